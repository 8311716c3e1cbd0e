package lanes.app.studio;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import lanes.layers.io.JsonText;

/**
 * The fields of one JSON request body, read with checks: each getter names the field and the value it refuses
 * ({@link ApiError}, 400), and {@link #only} refuses fields nobody reads (a misspelt name is an error, not a
 * silently ignored setting).
 */
final class Fields {
    /** The deepest nesting a body may have (the parser recurses). */
    static final int MAX_DEPTH = 16;

    private final Map<String, Object> map;
    private final String prefix;

    private Fields(Map<String, Object> map, String prefix) {
        this.map = map;
        this.prefix = prefix;
    }

    /**
     * The fields of {@code body}, which must be one JSON object.
     *
     * @param body the request's text
     * @return the fields
     * @throws ApiError 400 if it is not a JSON object
     */
    @SuppressWarnings("unchecked")
    static Fields parse(String body) {
        if (body.isBlank()) {
            return new Fields(Map.of(), "");
        }
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    throw new ApiError(400, "body", "body: JSON nested deeper than " + MAX_DEPTH + " levels at "
                            + "character " + i);
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        Object v;
        try {
            v = JsonText.parse(body);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "body", "body: malformed JSON: " + e.getMessage());
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new ApiError(400, "body", "body: expected a JSON object {...}, got " + describe(v));
        }
        return new Fields((Map<String, Object>) m, "");
    }

    /**
     * Refuses any field not in {@code known}.
     *
     * @param known the fields the request reads
     * @return this
     */
    Fields only(Set<String> known) {
        for (String k : map.keySet()) {
            if (!known.contains(k)) {
                throw new ApiError(400, prefix + k, prefix + k + ": unknown field; the fields are "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
        return this;
    }

    boolean has(String name) {
        return map.containsKey(name) && map.get(name) != null;
    }

    String string(String name, String fallback) {
        Object v = map.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw ApiError.badField(prefix + name, "expected a string, got " + describe(v));
        }
        return s;
    }

    String choice(String name, String fallback, List<String> allowed) {
        String s = string(name, fallback);
        if (!allowed.contains(s)) {
            throw ApiError.badField(prefix + name, "\"" + clip(s) + "\" is not one of " + String.join(", ", allowed));
        }
        return s;
    }

    double number(String name, double fallback, double min, double max) {
        Object v = map.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Double d)) {
            throw ApiError.badField(prefix + name, "expected a number, got " + describe(v));
        }
        if (!(d >= min && d <= max)) {                   // NaN fails too
            throw ApiError.badField(prefix + name, String.format(Locale.ROOT, "%s is out of range; give %s to %s",
                    d, plain(min), plain(max)));
        }
        return d;
    }

    int integer(String name, int fallback, int min, int max) {
        Object v = map.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Double d) || d != Math.rint(d) || Double.isInfinite(d)) {
            throw ApiError.badField(prefix + name, "expected a whole number, got " + describe(v));
        }
        if (d < min || d > max) {
            throw ApiError.badField(prefix + name, String.format(Locale.ROOT, "%s is out of range; give %d to %d",
                    plain(d), min, max));
        }
        return d.intValue();
    }

    boolean bool(String name, boolean fallback) {
        Object v = map.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw ApiError.badField(prefix + name, "expected true or false, got " + describe(v));
        }
        return b;
    }

    List<Object> list(String name, List<Object> fallback, int maxSize) {
        Object v = map.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof List<?> l)) {
            throw ApiError.badField(prefix + name, "expected a list [...], got " + describe(v));
        }
        if (l.size() > maxSize) {
            throw ApiError.badField(prefix + name, l.size() + " entries; give at most " + maxSize);
        }
        return new ArrayList<>(l);
    }

    List<String> strings(String name, List<String> fallback, int maxSize) {
        List<Object> l = list(name, null, maxSize);
        if (l == null) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s)) {
                throw ApiError.badField(prefix + name + "[" + i + "]", "expected a string, got "
                        + describe(l.get(i)));
            }
            out.add(s);
        }
        return out;
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "the string \"" + clip(s) + "\"";
        }
        if (v instanceof Double d) {
            return plain(d);
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        return v.toString();
    }

    static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
