package lanes.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SGEMM benchmark cases, named as in every report (transA transB M N K). TN: A stored K x M; NT: B stored
 * N x K. The mlp cases are the GEMMs of a 784 -> 256 Linear layer at batch 64; {@code _Wt} is PyTorch's weight
 * layout (out x in).
 */
public record GemmCase(String name, boolean transA, boolean transB, int m, int n, int k) {
    /** Every case, in report order. */
    public static final Map<String, GemmCase> ALL = new LinkedHashMap<>();

    static {
        for (int s : new int[] {64, 128, 256, 512, 1024, 2048}) {
            add(new GemmCase("sq" + s, false, false, s, s, s));
        }
        add(new GemmCase("mlp.fwd", false, false, 64, 256, 784));
        add(new GemmCase("mlp.fwd_Wt", false, true, 64, 256, 784));
        add(new GemmCase("mlp.bwd_dX", false, true, 64, 784, 256));
        add(new GemmCase("mlp.bwd_dX_Wt", false, false, 64, 784, 256));
        add(new GemmCase("mlp.bwd_dW", true, false, 784, 256, 64));
        add(new GemmCase("mlp.bwd_dW_Wt", true, false, 256, 784, 64));
    }

    private static void add(GemmCase c) {
        ALL.put(c.name, c);
    }

    /** The case called {@code name}; throws naming the known cases if there is none. */
    public static GemmCase named(String name) {
        GemmCase c = ALL.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown GEMM case \"" + name + "\"; known: " + ALL.keySet());
        }
        return c;
    }

    /** Floating-point operations of one product: 2 M N K. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    /** Leading dimensions of the operands as stored (dense). */
    public int lda() {
        return transA ? m : k;
    }

    public int ldb() {
        return transB ? k : n;
    }

    /** "NN", "NT", "TN" or "TT". */
    public String ops() {
        return (transA ? "T" : "N") + (transB ? "T" : "N");
    }
}
