package lanes.engine.gemm;

import java.util.Arrays;
import lanes.engine.Parallel;
import lanes.engine.Tensor;
import lanes.engine.VectorApi;

/**
 * Matrix products of tensor views. Any strides work for A and B: a transposed view is read as a transpose, any
 * other stride is absorbed by packing, and nothing is copied up front. C is written in place when its rows are
 * dense; otherwise the product is formed in a scratch matrix and copied in.
 */
public final class Matmul {
    private Matmul() {
    }

    /**
     * A new (M, N) tensor {@code a . b} for {@code a} (M, K) and {@code b} (K, N). Neither input is modified.
     *
     * @param a the left matrix (M, K), not modified
     * @param b the right matrix (K, N), not modified
     * @return a new (M, N) tensor
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        checkShapes(a, b, null);
        Tensor c = Tensor.zeros(a.shape(0), b.shape(1));
        matmul(1f, a, b, 0f, c, null);
        return c;
    }

    /**
     * {@code c = a . b} into an existing (M, N) view; returns c.
     *
     * @param a the left matrix (M, K), not modified
     * @param b the right matrix (K, N), not modified
     * @param c the result (M, N), modified
     * @return c
     */
    public static Tensor matmul(Tensor a, Tensor b, Tensor c) {
        matmul(1f, a, b, 0f, c, null);
        return c;
    }

    /**
     * {@code c := alpha * a . b + beta * c}, then the epilogue (null for none) on every element of c.
     * a (M, K) and b (K, N) not modified; c (M, N) modified. With beta = 0, c's old contents are not read.
     *
     * @param alpha scale of the product
     * @param a the left matrix (M, K), not modified
     * @param b the right matrix (K, N), not modified
     * @param beta scale of c's old contents
     * @param c the result (M, N), modified
     * @param epilogue applied to c after the product; null for none
     * @throws IllegalArgumentException if a shape is not a matrix or the shapes do not chain, or c is a broadcast
     *     view
     */
    public static void matmul(float alpha, Tensor a, Tensor b, float beta, Tensor c, Epilogue epilogue) {
        VectorApi.require();       // one clear line where the JVM lacks --add-modules jdk.incubator.vector
        checkShapes(a, b, c);
        c.requireWritable("matmul");
        int m = a.shape(0);
        int k = a.shape(1);
        int n = b.shape(1);
        boolean direct = (c.stride(1) == 1 || n <= 1) && (c.stride(0) >= n || m <= 1)
                && !(c.sharesData(a) || c.sharesData(b));
        Tensor out = direct ? c : Tensor.zeros(m, n);
        if (!direct && beta != 0f) {
            out.copyFrom(c);
        }
        int ldc = m <= 1 ? Math.max(n, 1) : out.stride(0);
        try (GemmCall call = GemmCall.start()) {
            call.a.set(a.data(), a.offset(), a.stride(0), a.stride(1));
            call.b.set(b.data(), b.offset(), b.stride(0), b.stride(1));
            call.c.set(out.data(), out.offset(), ldc, 1);
            Gemm.gemm(call.product(m, n, k, alpha, beta, epilogue), Parallel.threads());
        }
        if (!direct) {
            c.copyFrom(out);
        }
    }

    private static void checkShapes(Tensor a, Tensor b, Tensor c) {
        if (a.rank() != 2 || b.rank() != 2 || (c != null && c.rank() != 2)) {
            throw new IllegalArgumentException("matmul: needs matrices, got a " + Arrays.toString(a.shape()) + ", b "
                    + Arrays.toString(b.shape()) + (c == null ? "" : ", c " + Arrays.toString(c.shape())));
        }
        if (a.shape(1) != b.shape(0)) {
            throw new IllegalArgumentException("matmul: a " + Arrays.toString(a.shape()) + " and b "
                    + Arrays.toString(b.shape()) + " do not chain: " + a.shape(1) + " != " + b.shape(0));
        }
        if (c != null && (c.shape(0) != a.shape(0) || c.shape(1) != b.shape(1))) {
            throw new IllegalArgumentException("matmul: c is " + Arrays.toString(c.shape()) + " but a "
                    + Arrays.toString(a.shape()) + " . b " + Arrays.toString(b.shape()) + " is ["
                    + a.shape(0) + ", " + b.shape(1) + "]");
        }
    }
}
