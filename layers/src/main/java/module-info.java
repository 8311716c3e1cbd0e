/** Lanes layers: layers, losses, optimizers, models and training, built on the engine's kernels. */
module lanes.layers {
    requires transitive lanes.engine;
    requires java.desktop;          // javax.imageio: the images of an image folder

    exports lanes.layers;
    exports lanes.layers.data;
    exports lanes.layers.io;
}
