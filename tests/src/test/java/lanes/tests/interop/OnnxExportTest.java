package lanes.tests.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import lanes.engine.Tensor;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Conv1d;
import lanes.layers.nn.Conv2d;
import lanes.layers.nn.Flatten;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Linear;
import lanes.layers.nn.Pooling;
import lanes.layers.nn.Reshape;
import lanes.layers.nn.Sequential;
import lanes.layers.nn.Softmax;
import lanes.onnx.OnnxExport;
import org.junit.jupiter.api.Test;

/** Every model Lanes exports runs in ONNX Runtime with Lanes' outputs, within the float32 bound, at batch 1 and 64. */
class OnnxExportTest {
    static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();

    @Test
    void everyBuiltInModelRunsInOnnxRuntimeWithLanesOutputs() throws Exception {
        for (String name : List.of("lenet5", "lenet5-classic", "mlp", "softmax", "tdnn")) {
            check(Architecture.forImages(name, 1, 28, 28, 10));
        }
        check(Architecture.forImages("logistic", 1, 28, 28, 2));
        check(Architecture.forImages("lenet5", 3, 28, 28, 6));
        check(Architecture.forImages("alexnet", 3, 32, 32, 6));
        check(Architecture.forImages("alexnet", 1, 20, 24, 3));
    }

    private static void check(Architecture arch) throws Exception {
        Sequential model = arch.build(4);
        byte[] onnx = OnnxExport.toBytes(model, arch.input(), Map.of());
        for (int batch : new int[] {1, 64}) {
            compare(arch.text(), model, onnx, input(batch, arch.input(), batch));
        }
        // the fused model (what training and Predictor run) exports to the same graph's outputs
        compare(arch.text() + " fused", model.fuse(), OnnxExport.toBytes(model.fuse(), arch.input(), Map.of()),
                input(5, arch.input(), 7));
    }

    @Test
    void everyExportedOperatorAndAttributeRunsInOnnxRuntimeWithLanesOutputs() throws Exception {
        Random r = new Random(3);
        Sequential front = new Sequential(
                new Conv2d(3, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, true, r.nextLong()), Activation.leakyRelu(0.1f),
                new Conv2d(8, 8, 3, 3, 1, 1, 2, 2, 2, 2, 2, true, r.nextLong()), Activation.elu(1f),
                Pooling.avgPool2d(3, 2, 1, true, false), Pooling.avgPool2d(2, 1, 1, false, true),
                Pooling.maxPool2d(2, 2, 1, true));
        int[] shape = front.replica().forward(Tensor.zeros(1, 3, 21, 19)).shape();
        int length = shape[2] * shape[3];
        Sequential middle = new Sequential(new Reshape(8, length),
                new Conv1d(8, 6, 3, 2, 1, 1, 1, true, r.nextLong()), Activation.sigmoid(),
                new Conv1d(6, 6, 2, 1, 1, 2, 3, false, r.nextLong()), Pooling.maxPool1d(2, 2, 1, true),
                Pooling.avgPool1d(2, 1, 0, false, true), new Flatten());
        int features = middle.replica().forward(Tensor.zeros(1, 8, shape[2], shape[3])).shape(1);
        Sequential model = new Sequential(front, middle, new Linear(features, 16, true, r.nextLong()),
                Activation.tanh(), new Linear(16, 5, false, r.nextLong()).withRelu(), new Linear(5, 4), new Softmax());
        int[] example = {3, 21, 19};
        byte[] onnx = OnnxExport.toBytes(model, example, Map.of("note", "every operator"));
        for (int batch : new int[] {1, 64}) {
            compare("every operator", model, onnx, input(batch, example, 11 + batch));
        }
    }

    @Test
    void aLayerWithoutAnOnnxFormIsRefusedByName() {
        Layer custom = new Layer() {
            @Override
            public Tensor forward(Tensor x) {
                return x;
            }

            @Override
            public Tensor backward(Tensor dy) {
                return dy;
            }

            @Override
            public String toString() {
                return "Doubler";
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.toBytes(new Sequential(new Flatten(), custom), new int[] {4}, Map.of()));
        assertTrue(e.getMessage().contains("(Doubler) has no ONNX form here"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.toBytes(new Sequential(new Linear(4, 2)), new int[] {3, 4}, Map.of()));
        assertTrue(e.getMessage().contains("a Linear layer on inputs of rank 3"), e.getMessage());
    }

    /**
     * Runs {@code onnx} in ONNX Runtime on {@code x} and compares with {@code model}'s output, then each layer on
     * its own: the whole model's bound grows with every layer's |weights| and is loose, one layer's is tight
     * (2 gamma(K+1) |W| |a|), so that a wrong layout or attribute shows there.
     */
    static void compare(String what, Sequential model, byte[] onnx, Tensor x) throws Exception {
        compareWhole(what, model, onnx, x);
        Tensor a = x;
        for (Layer layer : model.flattened()) {
            Sequential one = new Sequential(layer);
            int[] example = Arrays.copyOfRange(a.shape(), 1, a.rank());
            compareWhole(what + ": " + layer, one, OnnxExport.toBytes(one, example, Map.of()), a);
            a = one.replica().forward(a).copy();
        }
    }

    /** Every output of {@code onnx} run by ONNX Runtime (one thread) on {@code x}, by name. */
    static Map<String, Tensor> run(byte[] onnx, Tensor x) throws Exception {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = ORT.createSession(onnx, o);
                 OnnxTensor in = OnnxTensor.createTensor(ORT, FloatBuffer.wrap(x.toArray()),
                         Arrays.stream(x.shape()).asLongStream().toArray());
                 OrtSession.Result result = s.run(Map.of(s.getInputNames().iterator().next(), in))) {
                for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] v = new float[fb.remaining()];
                    fb.get(v);
                    out.put(e.getKey(), Tensor.wrap(v, Arrays.stream(t.getInfo().getShape()).mapToInt(d -> (int) d)
                            .toArray()));
                }
            }
        }
        return out;
    }

    private static void compareWhole(String what, Sequential model, byte[] onnx, Tensor x) throws Exception {
        float[] lanes = model.replica().forward(x).toArray();
        float[] bound = ForwardBound.of(model, x);
        Tensor result = run(onnx, x).get("output");
        float[] ort = result.toArray();
        assertArrayEquals(model.replica().forward(x).shape(), result.shape(), what + ": output shape");
        int worst = 0;
        double largest = 0;
        for (int i = 0; i < lanes.length; i++) {
            largest = Math.max(largest, Math.abs(lanes[i] - ort[i]));
            if (Math.abs(lanes[i] - ort[i]) / bound[i] > Math.abs(lanes[worst] - ort[worst]) / bound[worst]) {
                worst = i;
            }
        }
        System.out.printf("%s, batch %d: largest |Lanes - ONNX Runtime| %.3g; closest to its bound: element %d, "
                + "%.3g <= %.3g%n", what, x.shape(0), largest, worst, Math.abs(lanes[worst] - ort[worst]),
                bound[worst]);
        assertEquals(lanes.length, ort.length, what);
        assertTrue(Math.abs(lanes[worst] - ort[worst]) <= bound[worst], what + ", batch " + x.shape(0) + ", element "
                + worst + ": Lanes " + lanes[worst] + ", ONNX Runtime " + ort[worst] + ", difference "
                + Math.abs(lanes[worst] - ort[worst]) + " > tolerance " + bound[worst]);
    }

    /** {@code n} examples of {@code shape} with elements in [-1, 1), drawn from {@code seed}. */
    static Tensor input(int n, int[] shape, long seed) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        Tensor x = Tensor.zeros(s);
        Random r = new Random(seed);
        float[] v = x.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * r.nextFloat() - 1;
        }
        return x;
    }
}
