package lanes.layers.nn;

import lanes.engine.Tensor;
import lanes.engine.VectorApi;
import lanes.engine.math.Activations;
import lanes.layers.internal.Buffers;
import lanes.layers.internal.Workspace;

/**
 * Element-wise activations, any shape, with PyTorch's definitions; each backward uses what its forward kept (the
 * input for the piecewise ones, the output for sigmoid and tanh).
 *
 * <pre>
 *   sigmoid      y = 1 / (1 + e^-x)                    dx = dy * y (1 - y)
 *   tanh         y = tanh x                            dx = dy * (1 - y^2)
 *   relu         y = max(x, 0)                         dx = dy * [x > 0]
 *   leakyRelu(s) y = x > 0 ? x : s x                   dx = dy * (x > 0 ? 1 : s)
 *   elu(a)       y = x > 0 ? x : a (e^x - 1)           dx = dy * (x > 0 ? 1 : y + a)
 * </pre>
 */
public final class Activation implements Layer {
    /** The function. */
    public enum Kind {
        /** 1 / (1 + e^-x). */
        SIGMOID,
        /** tanh(x). */
        TANH,
        /** max(x, 0). */
        RELU,
        /** x, or its negative slope times x below 0. */
        LEAKY_RELU,
        /** x, or alpha (e^x - 1) below 0. */
        ELU
    }

    /** Which function this layer is. */
    public final Kind kind;
    /** The negative slope of LEAKY_RELU, the alpha of ELU; unused otherwise. */
    public final float param;
    private Tensor x;
    private Tensor y;
    private final Workspace yBuffer = new Workspace();
    private Tensor dx;
    private final Workspace dxBuffer = new Workspace();

    private Activation(Kind kind, float param) {
        VectorApi.require();       // one clear line where the JVM lacks --add-modules jdk.incubator.vector
        this.kind = kind;
        this.param = param;
    }

    @Override
    public Activation replica() {
        return new Activation(kind, param);
    }

    /**
     * A sigmoid, {@code nn.Sigmoid()}.
     *
     * @return the layer
     */
    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID, 0f);
    }

    /**
     * A tanh, {@code nn.Tanh()}.
     *
     * @return the layer
     */
    public static Activation tanh() {
        return new Activation(Kind.TANH, 0f);
    }

    /**
     * A ReLU, {@code nn.ReLU()}.
     *
     * @return the layer
     */
    public static Activation relu() {
        return new Activation(Kind.RELU, 0f);
    }

    /**
     * Leaky ReLU, {@code nn.LeakyReLU(negativeSlope)}.
     *
     * @param negativeSlope the slope below 0 (PyTorch's default is 0.01)
     * @return the layer
     */
    public static Activation leakyRelu(float negativeSlope) {
        return new Activation(Kind.LEAKY_RELU, negativeSlope);
    }

    /**
     * ELU, {@code nn.ELU(alpha)}.
     *
     * @param alpha the scale of e^x - 1 below 0 (PyTorch's default is 1)
     * @return the layer
     */
    public static Activation elu(float alpha) {
        return new Activation(Kind.ELU, alpha);
    }

    @Override
    public Tensor forward(Tensor input) {
        x = input.contiguous();
        y = yBuffer.getLike(x);
        float[] in = x.data();
        float[] out = y.data();
        int off = x.offset();
        int n = x.size();
        float p = param;
        switch (kind) {
            case SIGMOID -> Activations.sigmoid(n, in, off, out, 0);
            case TANH -> Activations.tanh(n, in, off, out, 0);
            case RELU -> Activations.relu(n, in, off, out, 0);
            case LEAKY_RELU -> Activations.leakyRelu(n, p, in, off, out, 0);
            case ELU -> Activations.elu(n, p, in, off, out, 0);
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dyIn) {
        Buffers.requireGradient(this, dyIn, y);
        Tensor dy = dyIn.contiguous();
        dx = dxBuffer.getLike(y);
        float[] g = dy.data();
        int go = dy.offset();
        float[] in = x.data();
        int xo = x.offset();
        float[] out = y.data();
        float[] d = dx.data();
        int n = y.size();
        float p = param;
        switch (kind) {
            case SIGMOID -> Activations.sigmoidBackward(n, d, 0, g, go, out, 0);
            case TANH -> Activations.tanhBackward(n, d, 0, g, go, out, 0);
            case RELU -> Activations.reluBackward(n, d, 0, g, go, in, xo);
            case LEAKY_RELU -> Activations.leakyReluBackward(n, p, d, 0, g, go, in, xo);
            case ELU -> Activations.eluBackward(n, p, d, 0, g, go, in, xo, out, 0);
        }
        return dx;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SIGMOID -> "Sigmoid()";
            case TANH -> "Tanh()";
            case RELU -> "ReLU()";
            case LEAKY_RELU -> "LeakyReLU(negative_slope=" + param + ")";
            case ELU -> "ELU(alpha=" + param + ")";
        };
    }
}
