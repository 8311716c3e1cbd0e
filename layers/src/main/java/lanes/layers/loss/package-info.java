/**
 * Losses, each its forward (the batch's mean loss) and backward (dL/dlogits) side by side: softmax cross-entropy,
 * binary cross-entropy with logits, mean squared error.
 */
package lanes.layers.loss;
