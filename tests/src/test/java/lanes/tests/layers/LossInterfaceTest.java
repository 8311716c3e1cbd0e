package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import lanes.engine.Tensor;
import lanes.layers.Lanes;
import lanes.layers.data.Dataset;
import lanes.layers.loss.BinaryCrossEntropyWithLogits;
import lanes.layers.loss.Loss;
import lanes.layers.loss.MeanSquaredError;
import lanes.layers.loss.SoftmaxCrossEntropy;
import lanes.layers.nn.Flatten;
import lanes.layers.nn.Linear;
import lanes.layers.nn.Sequential;
import lanes.layers.optim.Sgd;
import lanes.layers.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * Every loss behind one interface, and the Trainer with any of them: logistic regression (sigmoid and binary
 * cross-entropy) is the course's first model.
 */
class LossInterfaceTest {
    /** Two Gaussian blobs in the plane, labels 0 and 1, as 1 x 1 x 2 "images". */
    static Dataset blobs(int count, long seed) {
        Random r = new Random(seed);
        float[] pixels = new float[2 * count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 2;
            double centre = labels[i] == 0 ? -1.5 : 1.5;
            pixels[2 * i] = (float) (centre + 0.6 * r.nextGaussian());
            pixels[2 * i + 1] = (float) (-centre + 0.6 * r.nextGaussian());
        }
        return new Dataset(pixels, labels, 1, 1, 2, 2);
    }

    @Test
    void logisticRegressionWithBinaryCrossEntropyTrainsInTheTrainer() {
        Lanes.manualSeed(3);
        Sequential model = new Sequential(new Flatten(), new Linear(2, 1));
        Trainer t = new Trainer(model, new BinaryCrossEntropyWithLogits(), new Sgd(model.parameters(), 0.5f), 16, 1);
        Dataset train = blobs(400, 1);
        t.fit(train, 20, new Trainer.Listener() { });
        Trainer.Evaluation e = t.evaluate(blobs(200, 2));
        assertTrue(e.accuracy() >= 0.95, "logistic regression on separated blobs: " + e);
        assertEquals(2, e.confusion().length);
    }

    @Test
    void softmaxCrossEntropyGivesTheSameBitsFromIndexTensorsAsFromIntLabels() {
        Tensor logits = LayerGradientProperties.input(4, 0, 5, 3);
        int[] labels = {2, 0, 1, 1, 2};
        SoftmaxCrossEntropy a = new SoftmaxCrossEntropy();
        SoftmaxCrossEntropy b = new SoftmaxCrossEntropy();
        float fromInts = a.forward(logits, labels);
        float fromTensor = b.forward(logits, b.targets(labels, 5, 3));
        assertEquals(Float.floatToRawIntBits(fromInts), Float.floatToRawIntBits(fromTensor));
        assertArrayEquals(a.backward().toArray(), b.backward().toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.forward(logits, Tensor.wrap(new float[] {0, 1.5f, 2, 0, 1}, 5)));
        assertTrue(e.getMessage().contains("target[1] = 1.5 is not a class index"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.targets(new int[] {0, 3}, 2, 3));
        assertTrue(e.getMessage().contains("label 1 is 3, not one of the 3 classes"), e.getMessage());
    }

    @Test
    void eachLossMakesItsTargetsAndReadsItsClass() {
        Loss bce = new BinaryCrossEntropyWithLogits();
        assertArrayEquals(new float[] {1, 0, 1}, bce.targets(new int[] {1, 0, 1}, 3, 1).toArray());
        assertEquals(1, bce.predictedClass(new float[] {0.2f}, 0, 1));
        assertEquals(0, bce.predictedClass(new float[] {-0.2f}, 0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bce.targets(new int[] {2}, 1, 1));
        assertTrue(e.getMessage().contains("label 0 is 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bce.targets(new int[] {1}, 1, 3));
        assertTrue(e.getMessage().contains("3 wide"), e.getMessage());
        Loss mse = new MeanSquaredError();
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 1}, mse.targets(new int[] {1, 2}, 2, 3).toArray());
        assertEquals(2, mse.predictedClass(new float[] {0.1f, 0.2f, 0.9f}, 0, 3));
    }
}
