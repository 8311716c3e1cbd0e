package lanes.app.cli;

/** Checks of option values: a bad one throws naming the option and the value. */
public final class Args {
    private Args() {
    }

    /**
     * Checks that {@code value} is at least 1.
     *
     * @param option the option's name, e.g. {@code --epochs}
     * @param value its value
     * @throws IllegalArgumentException naming the option and the value if it is less than 1
     */
    public static void positive(String option, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " " + value + ": must be >= 1");
        }
    }

    /**
     * Checks that {@code value} is finite and above 0.
     *
     * @param option the option's name, e.g. {@code --lr}
     * @param value its value
     * @throws IllegalArgumentException naming the option and the value otherwise
     */
    public static void finitePositive(String option, float value) {
        if (!(value > 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException(option + " " + value + ": must be a finite number > 0");
        }
    }

    /**
     * Checks that {@code value} is finite and at least 0.
     *
     * @param option the option's name, e.g. {@code --momentum}
     * @param value its value
     * @throws IllegalArgumentException naming the option and the value otherwise
     */
    public static void finiteNonNegative(String option, float value) {
        if (!(value >= 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException(option + " " + value + ": must be a finite number >= 0");
        }
    }
}
