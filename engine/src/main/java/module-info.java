/**
 * Lanes engine: strided {@code float} tensors and the Vector API kernels that everything else stands on.
 * Depends on nothing beyond the JDK.
 */
module lanes.engine {
    requires transitive jdk.incubator.vector;
    requires jdk.management;

    exports lanes.engine;
    // internals the other Lanes modules share: not API, so not exported to anyone else
    exports lanes.engine.internal to lanes.layers;
    exports lanes.engine.conv;
    exports lanes.engine.gemm;
    exports lanes.engine.math;
    exports lanes.engine.pool;
    exports lanes.engine.probe to lanes.app, lanes.bench;
}
