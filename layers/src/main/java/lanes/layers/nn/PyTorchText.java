package lanes.layers.nn;

/** How the layers write their settings as PyTorch's constructors take them: {@code 5}, {@code (3, 5)}. */
final class PyTorchText {
    private PyTorchText() {
    }

    /** {@code a} where both are equal, else the tuple {@code (a, b)}. */
    static String pair(int a, int b) {
        return a == b ? Integer.toString(a) : "(" + a + ", " + b + ")";
    }

    /** {@code ", name=value"}, or nothing where both values are PyTorch's default. */
    static String option(String name, int a, int b, int fallback) {
        return a == fallback && b == fallback ? "" : ", " + name + "=" + pair(a, b);
    }
}
