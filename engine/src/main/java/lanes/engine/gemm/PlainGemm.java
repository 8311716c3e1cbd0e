package lanes.engine.gemm;

import lanes.engine.gemm.tiles.MicroKernel;

/**
 * The plain path of GEMM ({@code -Dlanes.scalar=true}): {@code C := alpha * op(A) * op(B) + beta * C} as the
 * textbook loop nest over the strided operands, one fma chain per element of C in k order, written back with the
 * micro-kernels' rounding ({@link MicroKernel#storeOne}: beta = 0 does not read C). No packing, no threads, no
 * Vector API code; {@link Gemm} runs the epilogue after it, as after its other unpacked paths.
 */
final class PlainGemm {
    private PlainGemm() {
    }

    // op(A) (M,K), op(B) (K,N), any strides -> C (M,N) := alpha * op(A) op(B) + beta * C
    static void gemm(GemmCall call) {
        Operand a = call.a;
        Operand b = call.b;
        Operand c = call.c;
        for (int i = 0; i < call.m; i++) {
            for (int j = 0; j < call.n; j++) {
                float sum = 0f;
                for (int p = 0; p < call.k; p++) {
                    sum = Math.fma(a.data[a.at(i, p)], b.data[b.at(p, j)], sum);
                }
                MicroKernel.storeOne(c.data, c.at(i, j), sum, call.alpha, call.beta);
            }
        }
    }
}
