package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import lanes.engine.Tensor;
import lanes.layers.data.Dataset;
import lanes.layers.loss.BinaryCrossEntropyWithLogits;
import lanes.layers.models.Models;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Sequential;
import lanes.layers.optim.Sgd;
import lanes.layers.train.Trainer;
import org.junit.jupiter.api.Test;

/** Small end-to-end learning problems: each model must actually learn, in seconds. */
class LearningTest {
    static Path digits() {
        return Path.of(System.getProperty("lanes.data", "../data"), "digits");
    }

    @Test
    void logisticRegressionSeparatesLinearlySeparableData() {
        // 200 points in the plane, labelled by the side of the line x1 + 2 x2 = 0.3, at least 0.05 from it
        Random r = new Random(1);
        int n = 200;
        Tensor x = Tensor.zeros(n, 2);
        Tensor t = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            float a;
            float b;
            do {
                a = r.nextFloat() * 2 - 1;
                b = r.nextFloat() * 2 - 1;
            } while (Math.abs(a + 2 * b - 0.3f) < 0.05f);
            x.set(a, i, 0);
            x.set(b, i, 1);
            t.set(a + 2 * b > 0.3f ? 1f : 0f, i, 0);
        }
        Sequential model = Models.logisticRegression(2, 7);
        BinaryCrossEntropyWithLogits bce = new BinaryCrossEntropyWithLogits();
        Sgd sgd = new Sgd(model.parameters(), 2f, 0f);
        float loss = 0;
        for (int step = 0; step < 4000; step++) {
            sgd.zeroGrad();
            loss = bce.forward(model.forward(x), t);
            model.backward(bce.backward());
            sgd.step();
        }
        Tensor z = model.forward(x);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            correct += (z.get(i, 0) > 0) == (t.get(i, 0) > 0.5f) ? 1 : 0;
        }
        assertEquals(n, correct, "logistic regression classified " + correct + " of " + n + " (loss " + loss + ")");
    }

    @Test
    void anMlpLearnsXor() {
        float[] px = {0, 0, 0, 1, 1, 0, 1, 1};
        int[] labels = {0, 1, 1, 0};
        Dataset xor = new Dataset(px, labels, 1, 1, 2, 2);
        Sequential mlp = Models.mlp(Activation::tanh, 3, 2, 8, 2);
        Trainer trainer = new Trainer(mlp, new Sgd(mlp.parameters(), 0.5f, 0.9f, 0f, 0f, false), 4, 11);
        trainer.fit(xor, 300, new Trainer.Listener() { });
        Trainer.Evaluation e = trainer.evaluate(xor);
        assertEquals(1.0, e.accuracy(), "XOR: " + e);
        assertTrue(e.meanLoss() < 0.05, "XOR loss should be near 0: " + e);
    }

    @Test
    void lenet5ReachesNinetyPercentOnAThousandDigits() throws Exception {
        Dataset train = Dataset.readIdx(digits().resolve("train-images-idx3-ubyte.gz"),
                digits().resolve("train-labels-idx1-ubyte.gz"), 10).head(1000);
        Dataset test = Dataset.readIdx(digits().resolve("t10k-images-idx3-ubyte.gz"),
                digits().resolve("t10k-labels-idx1-ubyte.gz"), 10);
        Sequential lenet = Models.lenet5(false, 5);
        Trainer trainer = new Trainer(lenet, new Sgd(lenet.parameters(), 0.05f, 0.9f, 0f, 1e-4f, false), 32, 3);
        trainer.fit(train, 20, new Trainer.Listener() { });
        Trainer.Evaluation e = trainer.evaluate(test);
        System.out.println("LeNet-5, 20 epochs on 1,000 digits, test digits: " + e);
        assertTrue(e.accuracy() >= 0.90, "LeNet-5 after 20 epochs on 1,000 digits, on the 2,004 test digits: " + e);
    }

    @Test
    void aNonFiniteLossStopsTrainingNamingTheStepAndLayer() {
        Sequential mlp = Models.mlp(Activation::relu, 1, 2, 4, 2);
        mlp.parameters().get(0).value.set(Float.NaN, 1, 1);
        Trainer trainer = new Trainer(mlp, new Sgd(mlp.parameters(), 0.1f, 0f), 2, 1);
        Dataset d = new Dataset(new float[] {1, 2, 3, 4}, new int[] {0, 1}, 1, 1, 2, 2);
        IllegalStateException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> trainer.fit(d, 1, new Trainer.Listener() { }));
        assertTrue(ex.getMessage().contains("step 0") && ex.getMessage().contains("layer 1 Linear(2, 4)"),
                ex.getMessage());
    }
}
