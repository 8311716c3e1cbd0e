/**
 * Inference: {@link lanes.layers.infer.Predictor}, a trained classifier's probabilities from many threads at once.
 */
package lanes.layers.infer;
