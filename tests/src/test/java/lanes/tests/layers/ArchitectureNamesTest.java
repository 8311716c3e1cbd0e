package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lanes.layers.infer.Predictor;
import lanes.layers.loss.BinaryCrossEntropyWithLogits;
import lanes.layers.loss.SoftmaxCrossEntropy;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Sequential;
import org.junit.jupiter.api.Test;

/** One name per model: "logistic" is binary logistic regression, "softmax" the multinomial one. */
class ArchitectureNamesTest {
    @Test
    void logisticIsBinaryAndTrainsWithBinaryCrossEntropy() {
        Architecture a = Architecture.forImages("logistic", 1, 1, 2, 2);
        assertEquals("logistic:2", a.text());
        assertInstanceOf(BinaryCrossEntropyWithLogits.class, a.loss());
        Sequential m = a.build(3);
        assertEquals(1, m.forward(LayerGradientProperties.input(1, 0, 4, 1, 1, 2)).shape(1), "one logit");
        Predictor p = new Predictor(m, 1, 1, 2);
        assertEquals(2, p.classes());
        float[] x = {0.3f, -1.2f};
        float[] prob = p.predict(x);
        assertEquals(1.0, prob[0] + prob[1], 1e-6);
        assertEquals(prob[1] > 0.5f ? 1 : 0, p.classify(x));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architecture.forImages("logistic", 1, 28, 28, 10));
        assertTrue(e.getMessage().contains("--model softmax"), e.getMessage());
    }

    @Test
    void softmaxIsMultinomialAndOldLogisticFilesReadAsIt() {
        Architecture s = Architecture.forImages("softmax", 1, 28, 28, 10);
        assertEquals("softmax:784-10", s.text());
        assertInstanceOf(SoftmaxCrossEntropy.class, s.loss());
        Architecture old = new Architecture("logistic:784-10", new int[] {1, 28, 28});
        assertInstanceOf(SoftmaxCrossEntropy.class, old.loss());
        assertEquals(10, old.build(1).forward(LayerGradientProperties.input(2, 0, 3, 1, 28, 28)).shape(1));
    }
}
