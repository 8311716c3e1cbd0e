/**
 * Optimizers over a model's parameters (SGD with momentum and weight decay, Adam) and learning-rate schedules, as
 * {@code torch.optim} has them.
 */
package lanes.layers.optim;
