package lanes.bench.peers;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Native OpenBLAS reached through netlib-java's JNI loader (the system's libblas.so.3, e.g. Debian's
 * libopenblas0-pthread). Its thread count is set through OpenBLAS's own {@code openblas_set_num_threads}, and its
 * kernel choice is reported through {@code openblas_get_corename} (OPENBLAS_CORETYPE in the environment forces one).
 */
public final class OpenBlas {
    /** netlib logs which BLAS it loaded at INFO on every JVM start; the benchmark reports it once itself. */
    private static final java.util.logging.Logger QUIET_NETLIB = quietNetlib();

    private static java.util.logging.Logger quietNetlib() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas");
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private static final Optional<OpenBlas> INSTANCE = load();

    private final BLAS blas;
    private final MethodHandle setThreads;
    private final MethodHandle coreName;

    private OpenBlas(BLAS blas, MethodHandle setThreads, MethodHandle coreName) {
        this.blas = blas;
        this.setThreads = setThreads;
        this.coreName = coreName;
    }

    /** OpenBLAS if the system has it, else empty (with {@link #whyMissing()} saying why). */
    public static Optional<OpenBlas> get() {
        return INSTANCE;
    }

    private static String missing = "";

    /** Why {@link #get()} is empty. */
    public static String whyMissing() {
        return missing;
    }

    private static Optional<OpenBlas> load() {
        try {
            BLAS blas = NativeBLAS.getInstance();
            SymbolLookup lookup = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
            Linker linker = Linker.nativeLinker();
            MethodHandle set = lookup.find("openblas_set_num_threads")
                    .map(s -> linker.downcallHandle(s, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)))
                    .orElse(null);
            MethodHandle core = lookup.find("openblas_get_corename")
                    .map(s -> linker.downcallHandle(s, FunctionDescriptor.of(ValueLayout.ADDRESS)))
                    .orElse(null);
            return Optional.of(new OpenBlas(blas, set, core));
        } catch (Throwable t) {
            missing = "native OpenBLAS not available (" + t.getClass().getSimpleName() + ": " + t.getMessage()
                    + "); on Debian/Ubuntu: apt-get install libopenblas0-pthread";
            return Optional.empty();
        }
    }

    /** Row-major C = alpha op(A) op(B) + beta C, as column-major C^T = op(B)^T op(A)^T. */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                      float[] b, int ldb, float beta, float[] c, int ldc) {
        blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, 0, ldb, a, 0, lda, beta, c, 0, ldc);
    }

    /** Sets OpenBLAS's thread count (no effect if the library does not export the call). */
    public void setThreads(int threads) {
        if (setThreads != null) {
            try {
                setThreads.invokeExact(threads);
            } catch (Throwable t) {
                throw new IllegalStateException("openblas_set_num_threads failed", t);
            }
        }
    }

    /** The kernel family OpenBLAS chose (e.g. Haswell, Cooperlake), or "unknown". */
    public String coreName() {
        if (coreName == null) {
            return "unknown";
        }
        try {
            java.lang.foreign.MemorySegment s = (java.lang.foreign.MemorySegment) coreName.invokeExact();
            return s.reinterpret(64).getString(0);
        } catch (Throwable t) {
            return "unknown";
        }
    }
}
