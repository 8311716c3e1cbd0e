/**
 * Lanes engine: strided {@code float} tensors and the Vector API kernels that everything else stands on.
 * Depends on nothing beyond the JDK.
 */
module lanes.engine {
    requires transitive jdk.incubator.vector;
    requires jdk.management;

    exports lanes.engine;
    // lanes.engine.internal, lanes.engine.simd and lanes.engine.gemm.tiles are not exported
    exports lanes.engine.conv;
    exports lanes.engine.gemm;
    exports lanes.engine.math;
    exports lanes.engine.pool;
    exports lanes.engine.tune;
    exports lanes.engine.signal;
    exports lanes.engine.probe to lanes.app, lanes.bench;
}
