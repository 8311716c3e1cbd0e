/**
 * The built-in architectures (LeNet-5, an MLP, softmax and logistic regression, a time-delay network, an
 * AlexNet-pattern CNN) by name ({@link lanes.layers.models.Architecture}) and as builders
 * ({@link lanes.layers.models.Models}).
 */
package lanes.layers.models;
