/** The example as a module: requiring lanes.layers brings the engine and the Vector API module with it. */
module lanes.example {
    requires lanes.layers;

    exports lanes.example;
}
