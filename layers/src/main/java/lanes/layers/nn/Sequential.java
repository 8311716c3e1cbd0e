package lanes.layers.nn;

import java.util.ArrayList;
import java.util.List;
import lanes.engine.Tensor;
import lanes.engine.VectorApi;
import lanes.layers.infer.Predictor;
import lanes.layers.train.Trainer;

/** Layers applied in order; backward runs them in reverse. */
public final class Sequential implements Layer {
    private final List<Layer> layers;

    /**
     * The layers run one after another, in the order given.
     *
     * @param layers the layers, first to last
     */
    public Sequential(Layer... layers) {
        VectorApi.require();       // one clear line where the JVM lacks --add-modules jdk.incubator.vector
        this.layers = List.of(layers);
    }

    @Override
    public Sequential replica() {
        Layer[] copies = new Layer[layers.size()];
        for (int i = 0; i < copies.length; i++) {
            copies[i] = layers.get(i).replica();
        }
        return new Sequential(copies);
    }

    /**
     * The layers, in order.
     *
     * @return an unmodifiable list
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * The layers with every nested {@code Sequential} laid flat, in the order they run: what a format without
     * nesting (ONNX) holds.
     *
     * @return a new list
     */
    public List<Layer> flattened() {
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            if (l instanceof Sequential inner) {
                out.addAll(inner.flattened());
            } else {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * The model as it runs fastest: a replica (parameters shared, buffers its own; {@link Layer#replica}) with every
     * {@code Linear}, {@code Conv1d} or {@code Conv2d} followed by a ReLU fused into one layer
     * ({@link Linear#withRelu}, {@link ConvolutionLayer#withRelu}). Results are bit for bit the same, and each fused
     * pair makes one pass over memory fewer each way. {@link Trainer} and {@link Predictor} run what they are given
     * through this, so a caller never needs it; a layer that cannot be replicated is used as it is.
     *
     * @return a new model sharing this one's parameters
     */
    public Sequential fuse() {
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            boolean reluNext = i + 1 < layers.size() && layers.get(i + 1) instanceof Activation a
                    && a.kind == Activation.Kind.RELU;
            if (reluNext && l instanceof Linear lin && !lin.fusedRelu()) {
                out.add(lin.withRelu());
                i++;
            } else if (reluNext && l instanceof ConvolutionLayer conv && !conv.relu) {
                out.add(conv.withRelu());
                i++;
            } else if (l instanceof Sequential inner) {
                out.add(inner.fuse());
            } else {
                out.add(replicaOrSelf(l));
            }
        }
        return new Sequential(out.toArray(Layer[]::new));
    }

    /**
     * {@code model} as it runs fastest: {@link #fuse()} for a {@code Sequential}, else a replica, else (a layer that
     * cannot be replicated) the model itself.
     *
     * @param model any model
     * @return a model with the same parameters and results
     */
    public static Layer fused(Layer model) {
        return model instanceof Sequential s ? s.fuse() : replicaOrSelf(model);
    }

    private static Layer replicaOrSelf(Layer l) {
        try {
            return l.replica();
        } catch (UnsupportedOperationException e) {
            return l;                       // Layer.replica's default: a layer that does not say how
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor t = x;
        for (int i = 0; i < layers.size(); i++) {      // indexed: an iterator that escapes analysis is garbage
            Layer l = layers.get(i);
            t = l.forward(t);
        }
        return t;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor g = dy;
        for (int i = layers.size() - 1; i >= 0 && g != null; i--) {
            g = layers.get(i).backward(g);
        }
        return g;
    }

    /**
     * Passes the choice on to the leading layers up to and including the first with parameters: before it, no
     * gradient is of any use when the model's input needs none. {@link #backward} stops at a layer that returns
     * null.
     */
    @Override
    public void setInputGradient(boolean needed) {
        for (Layer l : layers) {
            l.setInputGradient(needed);
            if (!l.parameters().isEmpty()) {
                break;
            }
        }
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.parameters());
        }
        return all;
    }

    /**
     * What this model is for examples of {@code input}: per layer the output shape, parameters, multiply-adds,
     * receptive field and jump, then the totals ({@link Summary#table}).
     *
     * @param input one example's shape, e.g. {@code 1, 28, 28}
     * @return the summary
     * @throws IllegalArgumentException if the shapes do not chain for that input, naming the layer and both shapes
     */
    public Summary summary(int... input) {
        return Summary.of(this, input);
    }

    /**
     * The layers as PyTorch's text writes them, the text {@link ModelText} reads back into the
     * same model: {@code Conv2d(1, 6, kernel_size=5, padding=2), ReLU(), MaxPool2d(2), ...}. A nested
     * {@code Sequential} writes as {@code Sequential(...)}; a fused layer as the two it stands for.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            s.append(i == 0 ? "" : ", ").append(l instanceof Sequential inner ? "Sequential(" + inner + ")" : l);
        }
        return s.toString();
    }
}
