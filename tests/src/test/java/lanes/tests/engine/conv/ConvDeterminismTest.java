package lanes.tests.engine.conv;

import static lanes.tests.Compare.assertBitwiseEqual;

import java.util.Random;
import lanes.engine.Parallel;
import lanes.engine.Tensor;
import lanes.engine.conv.Conv;
import lanes.engine.conv.ConvSpec;
import org.junit.jupiter.api.Test;

/**
 * The three passes give the same bits cold (interpreted, first calls) and warm (after the JIT has compiled them),
 * on 1 thread and on 2. A horizontal sum whose order changes with the JIT tier ({@code reduceLanes(ADD)} on
 * floats) breaks this, and with it every training run's reproducibility.
 */
class ConvDeterminismTest {
    /** Calls that get every kernel of these shapes compiled by C2. */
    static final int WARM_UP = 1500;

    @Test
    void lenetLayersGiveTheSameBitsColdAndWarm() {
        int before = Parallel.threads();
        try {
            for (ConvSpec s : new ConvSpec[] {
                ConvSpec.conv2d(16, 1, 28, 28, 6, 5, 5).withPadding(2),
                ConvSpec.conv2d(16, 6, 14, 14, 16, 5, 5)}) {
                Parallel.setThreads(1);
                float[][] cold = passes(s);
                for (int i = 0; i < WARM_UP; i++) {
                    Parallel.setThreads(1 + i % 2);
                    passes(s);
                }
                for (int threads = 1; threads <= 2; threads++) {
                    Parallel.setThreads(threads);
                    float[][] warm = passes(s);
                    String[] names = {"forward y", "backwardData dx", "backwardWeights dw", "backwardWeights db"};
                    for (int k = 0; k < names.length; k++) {
                        assertBitwiseEqual(s + " " + names[k] + ", cold on 1 thread vs warm on " + threads,
                                cold[k], warm[k]);
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    // y, dx, dw, db of fixed inputs
    private static float[][] passes(ConvSpec s) {
        Random r = new Random(11);
        Tensor x = fill(Tensor.zeros(s.inputShape()), r);
        Tensor w = fill(Tensor.zeros(s.weightShape()), r);
        Tensor b = fill(Tensor.zeros(s.outChannels), r);
        Tensor dy = fill(Tensor.zeros(s.outputShape()), r);
        Tensor y = Tensor.zeros(s.outputShape());
        Tensor dx = Tensor.zeros(s.inputShape());
        Tensor dw = Tensor.zeros(s.weightShape());
        Tensor db = Tensor.zeros(s.outChannels);
        Conv.forward(s, y, x, w, b);
        Conv.backwardData(s, dx, dy, w);
        Conv.backwardWeights(s, dw, db, dy, x);
        return new float[][] {y.toArray(), dx.toArray(), dw.toArray(), db.toArray()};
    }

    private static Tensor fill(Tensor t, Random r) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat() * 2 - 1;
        }
        return t;
    }
}
