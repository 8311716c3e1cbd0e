package lanes.app;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import lanes.layers.train.Trainer;

/**
 * The lines a training run ends with, as {@code lanes train} and {@code lanes spark train} print them: the test
 * accuracy and loss, the confusion matrix, images/s, and when the test accuracy first reached each milestone.
 */
public final class RunSummary {
    /** Accuracy milestones reported at the end: when each was first reached. */
    public static final double[] MILESTONES = {0.90, 0.95, 0.97, 0.98, 0.99};

    private RunSummary() {
    }

    /**
     * Prints the summary.
     *
     * @param out where to
     * @param last the last evaluation of the test set
     * @param testCount examples in the test set
     * @param imagesPerSecond training images per second, evaluation excluded
     * @param trainSeconds training seconds, evaluation excluded
     * @param epochs the epochs run, with their figures
     */
    public static void print(PrintStream out, Trainer.Evaluation last, int testCount, double imagesPerSecond,
            double trainSeconds, List<TrainRun.Epoch> epochs) {
        out.printf(Locale.ROOT, "%nTest accuracy %.2f %% (%,d / %,d), test loss %.4f%n", 100 * last.accuracy(),
                Math.round(last.accuracy() * testCount), testCount, last.meanLoss());
        out.println(Confusion.format(last.confusion()));
        out.printf(Locale.ROOT, "Training: %,.0f images/s, %.1f s for %d epochs (evaluation not counted)%n",
                imagesPerSecond, trainSeconds, epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).number());
        out.print("Milestones (training time when the test accuracy first reached):");
        for (double m : MILESTONES) {
            double t = reached(epochs, m);
            out.printf(Locale.ROOT, "  %.0f %% %s", 100 * m, Double.isNaN(t) ? "-" : String.format(Locale.ROOT,
                    "%.1f s", t));
        }
        out.println();
    }

    /**
     * The training time at the end of the first epoch whose test accuracy reached {@code level}.
     *
     * @param epochs the epochs, in order
     * @param level an accuracy in [0, 1]
     * @return seconds, or NaN if no epoch reached it
     */
    public static double reached(List<TrainRun.Epoch> epochs, double level) {
        for (TrainRun.Epoch e : epochs) {
            if (e.testAccuracy() >= level) {
                return e.seconds();
            }
        }
        return Double.NaN;
    }
}
