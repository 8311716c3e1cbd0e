package lanes.app.studio;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import lanes.layers.io.JsonText;

/** Reading requests and writing answers: bodies up to a limit, JSON answers, errors as JSON naming the field. */
final class Http {
    /** The most bytes of a refused body read and dropped before the answer. */
    static final long DISCARD_LIMIT = 64L << 20;

    private Http() {
    }

    /**
     * The request's body as text, refused past {@code limit} bytes (413) before more is kept.
     *
     * @throws ApiError 413 naming the limit
     */
    static String body(HttpExchange ex, int limit) throws IOException {
        return new String(bytes(ex, limit), StandardCharsets.UTF_8);
    }

    /**
     * The request's body, refused past {@code limit} bytes (413) before more is kept: the rest is read and dropped
     * ({@link #discard}), so that the client reads the refusal.
     *
     * @throws ApiError 413 naming the limit
     */
    static byte[] bytes(HttpExchange ex, int limit) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > limit) {
                    discard(ex.getRequestBody());
                    throw tooLarge(limit);
                }
            } catch (NumberFormatException e) {
                throw new ApiError(400, "Content-Length", "Content-Length: \"" + Fields.clip(declared)
                        + "\" is not a number");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        try (InputStream in = ex.getRequestBody()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + n > limit) {
                    discard(in);
                    throw tooLarge(limit);
                }
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    /**
     * Reads and drops the rest of a refused body, up to {@link #DISCARD_LIMIT} bytes, so that its client, still
     * sending, reads the refusal. Closing a connection with bytes unread resets it, and the reset can discard the
     * answer before the client reads it. A body larger still is cut off, reset and all.
     */
    private static void discard(InputStream in) {
        byte[] buf = new byte[16384];
        try (in) {
            for (long left = DISCARD_LIMIT, n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0;
                    left -= n) {
                // dropped
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    /** A query string's parameters, decoded (the last of a repeated name wins). */
    static java.util.Map<String, String> query(String query) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        if (query != null) {
            for (String part : query.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    m.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
                }
            }
        }
        return m;
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, null, "the query \"" + Fields.clip(s) + "\" is not URL-encoded text");
        }
    }

    private static ApiError tooLarge(int limit) {
        return new ApiError(413, "body", String.format("body: larger than the limit of %,d bytes", limit));
    }

    static void json(HttpExchange ex, int status, String json) throws IOException {
        send(ex, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (ex.getRequestMethod().equals("HEAD") || status == 204) {
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    static void error(HttpExchange ex, ApiError e) throws IOException {
        json(ex, e.status, "{\"error\": " + JsonText.quote(e.getMessage()) + ", \"field\": "
                + (e.field == null ? "null" : JsonText.quote(e.field)) + "}");
    }
}
