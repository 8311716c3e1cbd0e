/**
 * Training: {@link lanes.layers.train.Trainer} (mini-batches, evaluation, checkpoints, early stopping) and its
 * listener.
 */
package lanes.layers.train;
