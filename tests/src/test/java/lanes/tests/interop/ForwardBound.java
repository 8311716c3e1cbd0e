package lanes.tests.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import lanes.engine.Tensor;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Conv1d;
import lanes.layers.nn.Conv2d;
import lanes.layers.nn.ConvolutionLayer;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Linear;
import lanes.layers.nn.Parameter;
import lanes.layers.nn.Pooling;
import lanes.layers.nn.Sequential;
import lanes.layers.nn.Softmax;
import lanes.reference.Tolerance;

/**
 * How far two float32 evaluations of one model may differ. Each is within {@code G * M} of the exact result:
 * M is the magnitude pass (the model with |weights| and |bias| on |x|, each nonlinearity replaced by a bound of
 * its size that also bounds the error it passes on), G the sum over layers of each one's relative rounding
 * (gamma(K + 1) for a K-term sum, a few units for a transcendental). M dominates every layer's sum of |terms|,
 * and, the layers being linear in |weights| or Lipschitz with constant at most 1, the error carried in from the
 * layers before. Two evaluations: twice that.
 */
final class ForwardBound {
    /** Rounding of one transcendental (exp, tanh) and the arithmetic around it, in units of float32's u. */
    static final int TRANSCENDENTAL_UNITS = 8;

    private ForwardBound() {
    }

    /**
     * The bound per output element of {@code model} on {@code x}.
     *
     * @param model the model; not modified
     * @param x the input; not modified
     * @return the bound, one per output element, row-major
     */
    static float[] of(Sequential model, Tensor x) {
        double[] g = {0};
        Sequential magnitude = magnitude(model, g);
        float[] ax = x.toArray();
        for (int i = 0; i < ax.length; i++) {
            ax[i] = Math.abs(ax[i]);
        }
        float[] m = magnitude.forward(Tensor.wrap(ax, x.shape())).toArray();
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) (2 * g[0] * m[i] * (1 + 1e-5));        // the pass itself rounds, by far less than that
        }
        return m;
    }

    private static Sequential magnitude(Sequential s, double[] g) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : s.layers()) {
            out.add(magnitude(l, g));
        }
        return new Sequential(out.toArray(Layer[]::new));
    }

    private static Layer magnitude(Layer l, double[] g) {
        double u = Math.ulp(1f) / 2;
        switch (l) {
            case Sequential inner -> {
                return magnitude(inner, g);
            }
            case Linear lin -> {
                g[0] += Tolerance.gamma(lin.in + 1);
                Linear copy = new Linear(lin.in, lin.out, lin.bias != null, 0);
                absInto(lin.weight, copy.weight);
                absInto(lin.bias, copy.bias);
                return lin.fusedRelu() ? copy.withRelu() : copy;
            }
            case ConvolutionLayer conv -> {
                g[0] += Tolerance.gamma(conv.weight.value.size() / conv.weight.value.shape(0) + 1);
                ConvolutionLayer copy = switch (conv) {
                    case Conv2d c -> new Conv2d(c.inChannels, c.outChannels, c.kernelH, c.kernelW, c.strideH,
                            c.strideW, c.padH, c.padW, c.dilationH, c.dilationW, c.groups, c.bias != null, 0);
                    case Conv1d c -> new Conv1d(c.inChannels, c.outChannels, c.kernel, c.stride, c.padding,
                            c.dilation, c.groups, c.bias != null, 0);
                };
                absInto(conv.weight, copy.weight);
                absInto(conv.bias, copy.bias);
                return conv.fusedRelu() ? copy.withRelu() : copy;
            }
            case Pooling p -> {
                g[0] += p.max ? 0 : Tolerance.gamma((long) Math.pow(p.kernel, p.rank) + 1);
                return p.replica();
            }
            case Activation a -> {
                switch (a.kind) {
                    case RELU -> {
                        return a.replica();                                  // the identity on magnitudes
                    }
                    case LEAKY_RELU -> {
                        g[0] += u;
                        return new Elementwise(v -> v);                      // |f(z)| <= |z|, slope <= 1
                    }
                    case TANH, ELU -> {
                        if (a.kind == Activation.Kind.ELU && a.param > 1) {
                            throw new IllegalArgumentException("no magnitude pass for ELU with alpha > 1");
                        }
                        // |f(z)| <= |z| and 1-Lipschitz; e^z - 1 (or tanh through exp) near 0 cancels, so its own
                        // rounding is a few u of alpha (of 1), not of |z|
                        g[0] += TRANSCENDENTAL_UNITS * u;
                        float floor = a.kind == Activation.Kind.ELU ? a.param : 1f;
                        return new Elementwise(v -> Math.max(v, floor));
                    }
                    case SIGMOID -> {
                        g[0] += TRANSCENDENTAL_UNITS * u;
                        return new Elementwise(v -> Math.max(v / 4, 1f));    // |f| <= 1, 1/4-Lipschitz
                    }
                    default -> throw new IllegalArgumentException("no magnitude pass for " + a.kind);
                }
            }
            case Softmax s -> {
                // |p| <= 1 and the Jacobian's infinity norm is at most 1/2: each row becomes max_j(M_j)/2 + 1
                return new Rows(k -> (k + TRANSCENDENTAL_UNITS) * u, g);
            }
            default -> {
                return l.replica();                                          // Flatten, Reshape: no arithmetic
            }
        }
    }

    private static void absInto(Parameter from, Parameter to) {
        if (from == null) {
            return;
        }
        float[] v = from.value.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]);
        }
        to.value.copyFrom(Tensor.wrap(v, from.value.shape()));
    }

    /** An element-wise map of the magnitudes. */
    private record Elementwise(UnaryOperator<Float> f) implements Layer {
        @Override
        public Tensor forward(Tensor x) {
            float[] v = x.toArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = f.apply(v[i]);
            }
            return Tensor.wrap(v, x.shape());
        }

        @Override
        public Tensor backward(Tensor dy) {
            throw new UnsupportedOperationException("a magnitude pass runs forward only");
        }
    }

    /** Softmax's bound over the last dimension: every element of a row becomes max(row)/2 + 1. */
    private static final class Rows implements Layer {
        private final java.util.function.IntToDoubleFunction rounding;
        private final double[] g;
        private boolean counted;

        Rows(java.util.function.IntToDoubleFunction rounding, double[] g) {
            this.rounding = rounding;
            this.g = g;
        }

        @Override
        public Tensor forward(Tensor x) {
            int k = x.shape(x.rank() - 1);
            if (!counted) {
                g[0] += rounding.applyAsDouble(k);
                counted = true;
            }
            float[] v = x.toArray();
            for (int r = 0; r < v.length / k; r++) {
                float max = 0;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, v[r * k + j]);
                }
                for (int j = 0; j < k; j++) {
                    v[r * k + j] = max / 2 + 1;
                }
            }
            return Tensor.wrap(v, x.shape());
        }

        @Override
        public Tensor backward(Tensor dy) {
            throw new UnsupportedOperationException("a magnitude pass runs forward only");
        }
    }
}
