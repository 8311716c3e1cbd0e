package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import lanes.engine.Tensor;
import lanes.layers.nn.Init;
import org.junit.jupiter.api.Test;

/** The initialisations fill the whole tensor, and only it, uniformly within their bound. */
class InitTest {
    @Test
    void xavierIsUniformWithinGlorotsBoundAndFillsOnlyTheView() {
        int fanIn = 300;
        int fanOut = 100;
        double bound = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] backing = new float[2 + fanIn * fanOut + 2];
        Tensor view = Tensor.wrap(backing, backing.length).slice(0, 2, 2 + fanIn * fanOut);
        Init.xavier(view, fanIn, fanOut, new Random(7));
        assertEquals(0f, backing[0]);
        assertEquals(0f, backing[1]);
        assertEquals(0f, backing[backing.length - 1]);
        double sum = 0;
        double max = 0;
        for (int i = 2; i < 2 + fanIn * fanOut; i++) {
            assertTrue(Math.abs(backing[i]) <= bound, "element " + i + " = " + backing[i] + " beyond " + bound);
            sum += backing[i];
            max = Math.max(max, Math.abs(backing[i]));
        }
        int n = fanIn * fanOut;
        // mean of n uniforms on [-b, b]: standard deviation b / sqrt(3n); 5 of them is far beyond chance
        assertEquals(0, sum / n, 5 * bound / Math.sqrt(3.0 * n), "mean");
        assertTrue(max > 0.99 * bound, "the largest |w| " + max + " should reach the bound " + bound);
    }

    @Test
    void pytorchsDefaultIsUniformWithinOneOverTheSquareRootOfFanIn() {
        Tensor t = Tensor.zeros(64, 25);
        Init.pytorchDefault(t, 25, new Random(3));
        for (float v : t.toArray()) {
            assertTrue(Math.abs(v) <= 0.2, v + " beyond 1/sqrt(25)");
        }
    }
}
