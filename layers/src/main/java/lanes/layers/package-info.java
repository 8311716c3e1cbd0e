/**
 * The front door: {@link lanes.layers.Lanes#manualSeed} seeds every layer's default initialisation. The rest is in
 * the sub-packages: {@code nn}, {@code models}, {@code loss}, {@code optim}, {@code train}, {@code infer},
 * {@code data}, {@code io}.
 */
package lanes.layers;
