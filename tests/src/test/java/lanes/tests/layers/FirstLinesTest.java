package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import lanes.engine.Tensor;
import lanes.layers.Lanes;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Conv1d;
import lanes.layers.nn.Conv2d;
import lanes.layers.nn.Linear;
import lanes.layers.nn.Sequential;
import lanes.layers.optim.Adam;
import lanes.layers.optim.Sgd;
import org.junit.jupiter.api.Test;

/** A PyTorch user's first lines, and what they promise: PyTorch's defaults, one seed for all, shared weights. */
class FirstLinesTest {
    @Test
    void aPytorchUsersFirstLinesBuildAndRun() {
        Lanes.manualSeed(1);
        Sequential model = new Sequential(new Conv2d(1, 6, 5).padding(2), Activation.relu(), new Linear(20, 32));
        Linear fc = new Linear(20, 32);
        assertEquals(32 * 20, fc.weight.value.size());
        assertEquals(32, fc.bias.value.size());
        new Sgd(model.parameters(), 0.1f).step();
        new Adam(model.parameters(), 1e-3f).step();
        Conv2d conv = new Conv2d(1, 6, 5).padding(2);
        Tensor y = conv.forward(LayerGradientProperties.input(1, 0, 2, 1, 28, 28));
        assertArrayEquals(new int[] {2, 6, 28, 28}, y.shape());
        assertEquals(new Conv1d(3, 4, 3).padding(1).forward(LayerGradientProperties.input(2, 0, 2, 3, 10)).shape(2),
                10);
    }

    @Test
    void manualSeedMakesTheSameLayersTheSameWeights() {
        Lanes.manualSeed(7);
        Linear a = new Linear(5, 3);
        Conv2d c = new Conv2d(2, 4, 3);
        Lanes.manualSeed(7);
        Linear b = new Linear(5, 3);
        Conv2d d = new Conv2d(2, 4, 3);
        assertArrayEquals(a.weight.value.toArray(), b.weight.value.toArray());
        assertArrayEquals(c.weight.value.toArray(), d.weight.value.toArray());
        Linear next = new Linear(5, 3);
        assertFalse(Arrays.equals(a.weight.value.toArray(), next.weight.value.toArray()),
                "the next layer draws the next seed");
        Lanes.manualSeed(8);
        assertFalse(Arrays.equals(a.weight.value.toArray(), new Linear(5, 3).weight.value.toArray()));
    }

    @Test
    void geometryOptionsShareTheWeightsAndMatchTheFullConstructor() {
        long seed = 42;
        Conv2d full = new Conv2d(3, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1, true, seed);
        Conv2d fluent = new Conv2d(3, 5, 3, 3, 1, 1, 0, 0, 1, 1, 1, true, seed).stride(2).padding(1);
        Tensor x = LayerGradientProperties.input(3, 0, 2, 3, 9, 9);
        assertArrayEquals(full.forward(x).toArray(), fluent.forward(x).toArray());
        Conv2d base = new Conv2d(3, 5, 3);
        Conv2d padded = base.padding(1);
        assertSame(base.weight, padded.weight);
        assertSame(base.bias, padded.bias);
        assertEquals(0, base.padH, "the original keeps its options");
        Conv2d fusedThenPadded = base.withRelu().padding(1);
        Tensor out = fusedThenPadded.forward(x);
        for (float v : out.toArray()) {
            assertTrue(v >= 0, "a fused ReLU survives a later option");
        }
    }

    @Test
    void badOptionsAreRefusedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(1, 6, 5).padding(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 6, 5).stride(0));
        assertTrue(e.getMessage().contains("stride"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3));
        assertTrue(e.getMessage().contains("Linear(0, 3)"), e.getMessage());
    }

    @Test
    void aTrainerChangesTheParametersAndNothingElseOfTheModel() {
        Lanes.manualSeed(5);
        Sequential model = new Sequential(new Conv2d(1, 2, 3), Activation.relu(), new lanes.layers.nn.Flatten(),
                new Linear(2 * 26 * 26, 10));
        float[] before = model.parameters().get(0).value.toArray();
        lanes.layers.train.Trainer t = new lanes.layers.train.Trainer(model, new Sgd(model.parameters(), 0.1f), 4, 1);
        Tensor x = LayerGradientProperties.input(7, 0, 4, 1, 28, 28);
        t.trainStep(x, new int[] {1, 2, 3, 4});
        assertFalse(Arrays.equals(before, model.parameters().get(0).value.toArray()), "the step trained the model");
        Tensor y = model.forward(x);
        assertTrue(model.backward(y) != null, "the model still computes dL/dx, as it did before the Trainer");
    }
}
