/**
 * Files: the Lanes model file, PyTorch's safetensors and state_dict names, training checkpoints, and the atomic
 * writes and small JSON reader they share.
 */
package lanes.layers.io;
