package lanes.tests.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lanes.engine.Tensor;
import lanes.layers.Activation;
import lanes.layers.Architecture;
import lanes.layers.ConvolutionLayer;
import lanes.layers.Layer;
import lanes.layers.Linear;
import lanes.layers.Pooling;
import lanes.layers.Sequential;
import lanes.layers.io.StateDict;
import lanes.reference.Tolerance;

/**
 * How far two float32 evaluations of one model may differ: each is within {@code sum_l gamma(K_l + 1) * M} of
 * the exact result, where K_l is layer l's fan-in and M the magnitude pass (|weights|, |bias|, |x|, tanh as the
 * identity). M dominates every layer's sum of |terms| and, the layers being 1-Lipschitz or linear with those
 * |weights|, the error carried in from the layers before. Two evaluations: twice that.
 */
final class ForwardBound {
    private ForwardBound() {
    }

    /**
     * The bound per output element of {@code model} (of {@code architecture}) on {@code x}.
     *
     * @param architecture rebuilds the model for the magnitude pass
     * @param model the model; not modified
     * @param x the input; not modified
     * @return the bound, one per output element, row-major
     */
    static float[] of(Architecture architecture, Sequential model, Tensor x) throws Exception {
        Sequential magnitude = architecture.build(0);
        Map<String, Tensor> abs = StateDict.tensors(model.replica());
        Map<String, Tensor> copies = new java.util.LinkedHashMap<>();
        abs.forEach((name, t) -> {
            float[] v = t.toArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.abs(v[i]);
            }
            copies.put(name, Tensor.wrap(v, t.shape()));
        });
        StateDict.load(magnitude, copies, "magnitudes");
        double[] gammas = {0};
        Sequential pass = substitute(magnitude, gammas);
        float[] ax = x.toArray();
        for (int i = 0; i < ax.length; i++) {
            ax[i] = Math.abs(ax[i]);
        }
        float[] m = pass.forward(Tensor.wrap(ax, x.shape())).toArray();
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) (2 * gammas[0] * m[i] * (1 + 1e-6));        // the pass itself rounds, upwards by at most that
        }
        return m;
    }

    private static Sequential substitute(Sequential s, double[] gammas) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : s.layers()) {
            if (l instanceof Sequential inner) {
                out.add(substitute(inner, gammas));
            } else if (l instanceof Linear lin) {
                gammas[0] += Tolerance.gamma(lin.in + 1);
                out.add(l);
            } else if (l instanceof ConvolutionLayer conv) {
                gammas[0] += Tolerance.gamma(conv.weight.value.size() / conv.weight.value.shape(0) + 1);
                out.add(l);
            } else if (l instanceof Pooling p) {
                gammas[0] += p.max ? 0 : Tolerance.gamma((long) Math.pow(p.kernel, p.rank) + 1);
                out.add(l);
            } else if (l instanceof Activation a) {
                switch (a.kind) {
                    case RELU -> out.add(l);                    // the identity on magnitudes
                    case TANH -> out.add(new Identity());       // |tanh z| <= |z|
                    default -> throw new IllegalArgumentException("no magnitude pass for " + a.kind);
                }
            } else {
                out.add(l);                                     // Flatten, Reshape: no arithmetic
            }
        }
        return new Sequential(out.toArray(Layer[]::new));
    }

    private static final class Identity implements Layer {
        @Override
        public Tensor forward(Tensor x) {
            return x;
        }

        @Override
        public Tensor backward(Tensor dy) {
            return dy;
        }
    }
}
