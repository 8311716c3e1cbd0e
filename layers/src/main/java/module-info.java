/**
 * Lanes layers: the modules of a network ({@code nn}), the built-in architectures ({@code models}), losses
 * ({@code loss}), optimizers and schedules ({@code optim}), training ({@code train}), inference ({@code infer}),
 * data sets ({@code data}) and files ({@code io}), built on the engine's kernels.
 */
module lanes.layers {
    requires transitive lanes.engine;
    requires java.desktop;          // javax.imageio: the images of an image folder

    exports lanes.layers;
    exports lanes.layers.nn;
    exports lanes.layers.models;
    exports lanes.layers.loss;
    exports lanes.layers.optim;
    exports lanes.layers.train;
    exports lanes.layers.infer;
    exports lanes.layers.data;
    exports lanes.layers.io;
    exports lanes.layers.audio;
    // lanes.layers.internal (buffers and shape checks the layers share) is not exported
}
