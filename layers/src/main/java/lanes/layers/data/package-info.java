/**
 * Data sets: in-memory examples ({@link lanes.layers.data.Dataset}), IDX files (MNIST's format), image folders in
 * torchvision's layout, and per-channel normalisation.
 */
package lanes.layers.data;
