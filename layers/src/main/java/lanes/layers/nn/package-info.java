/**
 * The modules of a network, as PyTorch's {@code torch.nn} has them: {@link lanes.layers.nn.Layer} (forward and backward
 * side by side), {@link lanes.layers.nn.Linear}, {@link lanes.layers.nn.Conv1d}, {@link lanes.layers.nn.Conv2d},
 * {@link lanes.layers.nn.Pooling}, {@link lanes.layers.nn.Activation}, {@link lanes.layers.nn.Flatten},
 * {@link lanes.layers.nn.Reshape}, {@link lanes.layers.nn.Softmax} and {@link lanes.layers.nn.Sequential}; their
 * {@link lanes.layers.nn.Parameter}s and {@link lanes.layers.nn.Init}ialisation; and
 * {@link lanes.layers.nn.GradCheck}, finite differences against backward. Layers compose the engine's kernels.
 */
package lanes.layers.nn;
