package lanes.app.studio;

/**
 * A request the studio refuses: the HTTP status (4xx), the field at fault (or null) and a message that names it
 * and the value. The API answers it as {@code {"error": message, "field": field}}.
 */
final class ApiError extends RuntimeException {
    final int status;
    final String field;

    ApiError(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    static ApiError badField(String field, String message) {
        return new ApiError(400, field, field + ": " + message);
    }

    static ApiError notFound(String what) {
        return new ApiError(404, null, what);
    }
}
