package lanes.tests.layers;

import java.util.List;
import lanes.engine.Tensor;
import lanes.layers.Activation;
import lanes.layers.Models;
import lanes.layers.Parameter;
import lanes.layers.Sequential;
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
        Sequential fused = plain.fuse();
        Tensor x = LayerGradientProperties.input(seed, 0, n, in);
        Tensor dy = LayerGradientProperties.input(seed + 1, 0, n, 3);
        String what = "mlp " + in + "-" + hidden + "-" + hidden + "-3 at batch " + n + ", seed " + seed + ": ";
        Compare.assertBitwiseEqual(what + "forward", plain.forward(x).toArray(), fused.forward(x).toArray());
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
