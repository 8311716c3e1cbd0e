/** JMH benchmarks with their peers (EJML, netlib, OpenBLAS, PyTorch), and the {@code lanes bench} command. */
module lanes.bench {
    requires lanes.app;
    requires lanes.engine;
    requires lanes.layers;
    requires lanes.reference;
    requires jmh.core;
    requires info.picocli;
    requires java.logging;
    requires ejml.core;
    requires ejml.fdense;
    requires dev.ludovic.netlib.blas;
    requires java.management;
    requires java.net.http;

    opens lanes.bench.cli to info.picocli;
    opens lanes.bench to jmh.core;
    opens lanes.bench.jmh_generated to jmh.core;
}
