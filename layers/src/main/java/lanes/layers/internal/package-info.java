/**
 * Not API (not exported): reused buffers and the shape checks that the layers and losses share.
 */
package lanes.layers.internal;
