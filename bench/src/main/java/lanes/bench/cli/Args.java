package lanes.bench.cli;

/** Checks of option values: a bad one throws naming the option and the value. */
final class Args {
    private Args() {
    }

    static void positive(String option, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " " + value + ": must be >= 1");
        }
    }

    static void finitePositive(String option, float value) {
        if (!(value > 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException(option + " " + value + ": must be a finite number > 0");
        }
    }

    static void finiteNonNegative(String option, float value) {
        if (!(value >= 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException(option + " " + value + ": must be a finite number >= 0");
        }
    }
}
