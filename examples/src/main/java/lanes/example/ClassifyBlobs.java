package lanes.example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import lanes.layers.Lanes;
import lanes.layers.data.Dataset;
import lanes.layers.infer.Predictor;
import lanes.layers.io.ModelFile;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Flatten;
import lanes.layers.nn.Linear;
import lanes.layers.nn.Sequential;
import lanes.layers.optim.Sgd;
import lanes.layers.train.Trainer;

/**
 * Lanes as a library: a small classifier trained on data of its own (three clouds of points in the plane), saved,
 * loaded back, and asked for predictions from four threads at once.
 */
public final class ClassifyBlobs {
    private ClassifyBlobs() {
    }

    /** Three Gaussian clouds around (-2, 0), (2, 0) and (0, 2.5), labels 0, 1, 2, as 1 x 1 x 2 examples. */
    static Dataset blobs(int count, long seed) {
        double[][] centres = {{-2, 0}, {2, 0}, {0, 2.5}};
        Random r = new Random(seed);
        float[] points = new float[2 * count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 3;
            points[2 * i] = (float) (centres[labels[i]][0] + 0.7 * r.nextGaussian());
            points[2 * i + 1] = (float) (centres[labels[i]][1] + 0.7 * r.nextGaussian());
        }
        return new Dataset(points, labels, 1, 1, 2, 3);
    }

    /** Trains, saves, loads and predicts; returns the accuracy the loaded model reaches from four threads. */
    public static double run(Path dir) throws Exception {
        Lanes.manualSeed(42);
        Sequential model = new Sequential(new Flatten(), new Linear(2, 16), Activation.relu(), new Linear(16, 3));
        Trainer trainer = new Trainer(model, new Sgd(model.parameters(), 0.1f, 0.9f, 0f, 0f, false), 32, 1);
        trainer.fit(blobs(600, 1), 20, new Trainer.Listener() { });
        Dataset test = blobs(300, 2);
        System.out.println("trained: test " + trainer.evaluate(test));

        // saved under the architecture that rebuilds it: an MLP 2 -> 16 -> 3 with ReLU
        Path file = dir.resolve("blobs.lanes");
        ModelFile.write(file, new Architecture("mlp:2-16-3", new int[] {1, 1, 2}), model,
                Map.of("data", "three clouds"));
        Predictor predictor = Predictor.load(file);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            int[] correct = new int[4];
            Future<?>[] parts = new Future<?>[4];
            for (int t = 0; t < 4; t++) {
                int thread = t;
                parts[t] = pool.submit(() -> {
                    for (int i = thread; i < test.count; i += 4) {
                        if (predictor.classify(test.example(i)) == test.label(i)) {
                            correct[thread]++;
                        }
                    }
                });
            }
            for (Future<?> f : parts) {
                f.get();
            }
            double accuracy = (double) (correct[0] + correct[1] + correct[2] + correct[3]) / test.count;
            System.out.printf("loaded from %s (%d bytes): %.1f %% of %d points right from 4 threads%n",
                    file.getFileName(), Files.size(file), 100 * accuracy, test.count);
            return accuracy;
        } finally {
            pool.shutdown();
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("lanes-example");
        double accuracy = run(dir);
        if (accuracy < 0.9) {
            System.err.println("accuracy " + accuracy + " is below 0.9");
            System.exit(1);
        }
    }
}
