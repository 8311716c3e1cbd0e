/** JMH benchmarks and the {@code lanes} command-line app. */
module lanes.bench {
    requires lanes.engine;
    requires lanes.layers;
    requires jmh.core;
    requires info.picocli;
    requires java.logging;
    requires ejml.core;
    requires ejml.fdense;
    requires dev.ludovic.netlib.blas;
    requires lanes.reference;
    requires lanes.onnx;
    requires org.knowm.xchart;
    requires java.desktop;
    requires java.management;

    opens lanes.bench.cli to info.picocli;
    opens lanes.bench to jmh.core;
    opens lanes.bench.jmh_generated to jmh.core;
}
