package lanes.layers.nn;

import java.util.Random;
import lanes.engine.Tensor;

/**
 * Parameter initialisation with PyTorch's defaults, every draw from a seed so that a run is reproducible bit for
 * bit: weights Kaiming-uniform with a = sqrt(5), i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)), biases U(-1/sqrt(fanIn),
 * 1/sqrt(fanIn)); and Xavier (Glorot) uniform, U(-sqrt(6/(fanIn+fanOut)), +...).
 */
public final class Init {
    private Init() {
    }

    /**
     * Fills {@code t} with U(-bound, bound) from {@code random}.
     *
     * @param t the tensor filled, modified
     * @param bound the half-width of the interval
     * @param random the source of the values
     * @return t
     */
    public static Tensor uniform(Tensor t, double bound, Random random) {
        float[] d = t.data();
        for (int i = t.offset(); i < t.offset() + t.size(); i++) {
            d[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return t;
    }

    /**
     * PyTorch's default for Linear and Conv weights (and biases): U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
     *
     * @param t the tensor filled, modified
     * @param fanIn inputs per output
     * @param random the source of the values
     * @return t
     */
    public static Tensor pytorchDefault(Tensor t, int fanIn, Random random) {
        return uniform(t, 1 / Math.sqrt(fanIn), random);
    }

    /**
     * Xavier (Glorot) uniform: U(-sqrt(6/(fanIn+fanOut)), sqrt(6/(fanIn+fanOut))).
     *
     * @param t the tensor filled, modified
     * @param fanIn inputs per output
     * @param fanOut outputs per input
     * @param random the source of the values
     * @return t
     */
    public static Tensor xavier(Tensor t, int fanIn, int fanOut, Random random) {
        return uniform(t, Math.sqrt(6.0 / (fanIn + fanOut)), random);
    }
}
