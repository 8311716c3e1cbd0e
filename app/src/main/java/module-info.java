/**
 * The {@code lanes} command-line program: {@code lanes.app.cli} holds the picocli commands, {@code lanes.app} what a
 * training run needs around the library (data loading, the progress and report of a run, the plot). The benchmark
 * suites ({@code lanes bench}) add themselves from the bench module; Spark's jobs live in the spark module.
 */
module lanes.app {
    requires transitive lanes.layers;
    requires lanes.reference;
    requires lanes.onnx;
    requires transitive info.picocli;
    requires org.knowm.xchart;
    requires java.desktop;
    requires java.management;
    requires jdk.httpserver;

    exports lanes.app;
    exports lanes.app.cli;
    exports lanes.app.studio;
    opens lanes.app.cli to info.picocli;
}
