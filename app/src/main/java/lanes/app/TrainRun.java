package lanes.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import lanes.layers.data.DataFolder;
import lanes.layers.train.Trainer;

/**
 * One training run as the app shows it: a progress bar per epoch (images/s, running loss, ETA), the test set
 * evaluated after every epoch, and the training time kept apart from evaluation time.
 */
public final class TrainRun {
    /** One epoch's figures. {@code seconds} is the training time so far, evaluation excluded. */
    public record Epoch(int number, double trainLoss, double testAccuracy, double testLoss, double seconds) {
    }

    /**
     * How a run that diverged ended: at which step (over the trainer's life), the last finite step loss, and the
     * trainer's account of where the first non-finite value arose.
     *
     * @param step the step whose loss was not finite
     * @param lastFiniteLoss the loss of the step before (NaN if none)
     * @param why the trainer's message
     */
    public record Divergence(int step, double lastFiniteLoss, String why) {
    }

    private final Trainer trainer;
    private final DataFolder data;
    private final int batch;
    private final PrintStream progress;
    private final List<Epoch> epochs = new ArrayList<>();
    private Trainer.Evaluation last;
    private final List<Float> stepLosses = new ArrayList<>();
    private Divergence divergence;
    private double trainNanos;
    private long images;

    /** A run of {@code trainer} on {@code data}; the progress bar goes to {@code progress} (null for none). */
    public TrainRun(Trainer trainer, DataFolder data, int batch, PrintStream progress) {
        this.trainer = trainer;
        this.data = data;
        this.batch = batch;
        this.progress = progress;
    }

    /**
     * Trains until the trainer has done {@code count} epochs in all (fewer are left after a resume), evaluating
     * after each.
     */
    public void run(int count) {
        int perEpoch = (data.train().count + batch - 1) / batch;
        long[] epochStart = {System.nanoTime()};
        double[] running = {0, 0};          // loss sum and steps of this epoch
        long[] lastDraw = {0};
        int stepsBefore = trainer.steps();
        try {
            fit(count, perEpoch, epochStart, running, lastDraw);
        } catch (IllegalStateException e) {
            if (!e.getMessage().contains("loss is")) {
                throw e;
            }
            if (progress != null) {
                progress.println();
            }
            divergence = new Divergence(stepsBefore + stepLosses.size() + 1, stepLosses.isEmpty() ? Double.NaN
                    : stepLosses.get(stepLosses.size() - 1), e.getMessage());
        }
    }

    private void fit(int count, int perEpoch, long[] epochStart, double[] running, long[] lastDraw) {
        trainer.fit(data.train(), Math.max(0, count - trainer.epochs()), new Trainer.Listener() {
            @Override
            public void onStep(int epoch, int step, float loss) {
                stepLosses.add(loss);
                int inEpoch = (int) (running[1] + 1);
                running[0] += loss;
                running[1]++;
                images += Math.min(batch, data.train().count - (inEpoch - 1) * batch);
                long now = System.nanoTime();
                if (progress != null && (now - lastDraw[0] > 100_000_000L || inEpoch == perEpoch)) {
                    lastDraw[0] = now;
                    double secs = (now - epochStart[0]) / 1e9;
                    double done = (double) inEpoch / perEpoch;
                    double rate = Math.min(inEpoch * batch, data.train().count) / Math.max(secs, 1e-9);
                    progress.print("\r" + bar(epoch + 1, count, done) + String.format(
                            " %,8.0f img/s  loss %.4f  ETA %s ", rate, running[0] / running[1],
                            clock(secs / done - secs)));
                    progress.flush();
                }
            }

            @Override
            public void onEpoch(int epoch, float meanLoss) {
                trainNanos += System.nanoTime() - epochStart[0];
                last = trainer.evaluate(data.test());
                epochs.add(new Epoch(epoch + 1, meanLoss, last.accuracy(), last.meanLoss(), trainNanos / 1e9));
                if (progress != null) {
                    progress.printf("%n           test accuracy %.2f %%, test loss %.4f%n", 100 * last.accuracy(),
                            last.meanLoss());
                }
                running[0] = 0;
                running[1] = 0;
                epochStart[0] = System.nanoTime();
            }
        });
    }

    private static String bar(int epoch, int epochs, double done) {
        int width = 24;
        int filled = (int) Math.round(done * width);
        return String.format("epoch %2d/%d [%s%s] %3.0f%%", epoch, epochs, "#".repeat(filled),
                ".".repeat(width - filled), 100 * done);
    }

    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format("%d:%02d", s / 60, s % 60);
    }

    /**
     * The loss of every step of this run, in order.
     *
     * @return the losses (not a copy)
     */
    public List<Float> stepLosses() {
        return stepLosses;
    }

    /**
     * How the run diverged, or null if it did not.
     *
     * @return the divergence, or null
     */
    public Divergence divergence() {
        return divergence;
    }

    /**
     * Steps per epoch on this run's training set.
     *
     * @return ceil(count / batch)
     */
    public int stepsPerEpoch() {
        return (data.train().count + batch - 1) / batch;
    }

    /** The epochs so far. */
    public List<Epoch> epochs() {
        return epochs;
    }

    /** The last evaluation of the test set. */
    public Trainer.Evaluation lastEvaluation() {
        return last;
    }

    /** Training images per second, evaluation excluded. */
    public double imagesPerSecond() {
        return images / Math.max(trainNanos / 1e9, 1e-9);
    }

    /** Training seconds, evaluation excluded. */
    public double trainSeconds() {
        return trainNanos / 1e9;
    }
}
