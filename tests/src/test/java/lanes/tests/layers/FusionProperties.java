package lanes.tests.layers;

import java.util.List;
import lanes.engine.Tensor;
import lanes.layers.models.Models;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Conv1d;
import lanes.layers.nn.Conv2d;
import lanes.layers.nn.Parameter;
import lanes.layers.nn.Sequential;
import lanes.tests.Compare;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Fused layers give what their unfused pairs give, bit for bit: outputs, input gradients, parameter gradients. */
class FusionProperties {
    @Property(tries = 40)
    void fusedLinearReluEqualsLinearThenReluBitForBit(@ForAll @IntRange(min = 1, max = 70) int n,
                                                      @ForAll @IntRange(min = 1, max = 50) int in,
                                                      @ForAll @IntRange(min = 1, max = 40) int hidden,
                                                      @ForAll long seed) {
        Sequential plain = Models.mlp(Activation::relu, seed, in, hidden, hidden, 3);
        String what = "mlp " + in + "-" + hidden + "-" + hidden + "-3 at batch " + n + ", seed " + seed + ": ";
        assertFusedEqualsPlain(what, plain, LayerGradientProperties.input(seed, 0, n, in), seed);
    }

    @Property(tries = 60)
    void fusedConvReluEqualsConvThenReluBitForBit(@ForAll @IntRange(min = 1, max = 4) int n,
                                                  @ForAll @IntRange(min = 1, max = 5) int c,
                                                  @ForAll @IntRange(min = 1, max = 40) int oc,
                                                  @ForAll @IntRange(min = 3, max = 19) int size,
                                                  @ForAll @IntRange(min = 1, max = 3) int kernel,
                                                  @ForAll @IntRange(min = 1, max = 2) int stride,
                                                  @ForAll boolean oneD,
                                                  @ForAll long seed) {
        int pad = kernel / 2;
        Sequential plain = oneD
                ? new Sequential(new Conv1d(c, oc, kernel, stride, pad, seed), Activation.relu(),
                        new Conv1d(oc, 3, kernel, 1, pad, seed + 1), Activation.relu())
                : new Sequential(new Conv2d(c, oc, kernel, stride, pad, seed), Activation.relu(),
                        new Conv2d(oc, 3, kernel, 1, pad, seed + 1), Activation.relu());
        Tensor x = oneD ? LayerGradientProperties.input(seed, 0, n, c, size)
                : LayerGradientProperties.input(seed, 0, n, c, size, size);
        assertFusedEqualsPlain(plain + " at x " + java.util.Arrays.toString(x.shape()) + ", seed " + seed + ": ",
                plain, x, seed);
    }

    @Property
    void fusedLenet5EqualsPlainLenet5BitForBit(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll long seed) {
        assertFusedEqualsPlain("lenet5 at batch " + n + ", seed " + seed + ": ", Models.lenet5(false, seed),
                LayerGradientProperties.input(seed, 0, n, 1, 28, 28), seed);
    }

    /** Forward, dx and every parameter gradient of {@code plain.fuse()} are those of {@code plain}, bit for bit. */
    private static void assertFusedEqualsPlain(String what, Sequential plain, Tensor x, long seed) {
        Sequential fused = plain.fuse();
        if (fused.flattened().size() == plain.flattened().size()) {
            throw new AssertionError(what + "nothing was fused in " + plain);
        }
        float[] yPlain = plain.forward(x).toArray();
        Compare.assertBitwiseEqual(what + "forward", yPlain, fused.forward(x).toArray());
        Tensor dy = LayerGradientProperties.input(seed + 1, 0, plain.forward(x).shape());
        List<Parameter> params = plain.parameters();     // shared by both models
        params.forEach(Parameter::zeroGrad);
        float[] dxPlain = plain.backward(dy).toArray();
        float[][] gPlain = params.stream().map(p -> p.grad.toArray()).toArray(float[][]::new);
        params.forEach(Parameter::zeroGrad);
        fused.forward(x);
        float[] dxFused = fused.backward(dy).toArray();
        Compare.assertBitwiseEqual(what + "dx", dxPlain, dxFused);
        for (int i = 0; i < params.size(); i++) {
            Compare.assertBitwiseEqual(what + "gradient of parameter " + i + " " + params.get(i), gPlain[i],
                    params.get(i).grad.toArray());
        }
    }
}
