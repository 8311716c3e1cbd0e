package lanes.spark;

import java.io.Serializable;

/**
 * Everything a task needs to rebuild the training run where it runs: the data's path (every executor reads it
 * once, then keeps it), the architecture, the seed, the global batch and the optimizer's settings. Small: it
 * travels with every task; the weights travel as a broadcast.
 *
 * @param data the data folder every executor sees, or null for the digits embedded in the app
 * @param model the model name (lenet5, alexnet, mlp, ...)
 * @param channels an image folder's channels, or null to take them from its images
 * @param size the side an image folder's images are resized to
 * @param testFraction the test share of an image folder without train/ and test/
 * @param seed the seed of the initial weights and of the example order
 * @param batch the global batch: the examples of one step, over all partitions
 * @param partitions the partitions each global batch is split across
 * @param optimizer sgd or adam
 * @param momentum SGD's momentum
 * @param weightDecay the L2 weight decay
 */
public record TrainSpec(String data, String model, Integer channels, int size, double testFraction, long seed,
                        int batch, int partitions, String optimizer, float momentum, float weightDecay)
        implements Serializable {
    /**
     * Checks the settings.
     *
     * @param data the data folder, or null
     * @param model the model name
     * @param channels 1, 3 or null
     * @param size the image side
     * @param testFraction the test share
     * @param seed the seed
     * @param batch the global batch (at least the partitions)
     * @param partitions the partitions (>= 1)
     * @param optimizer sgd or adam
     * @param momentum the momentum
     * @param weightDecay the weight decay
     */
    public TrainSpec {
        if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
            throw new IllegalArgumentException("--optimizer " + optimizer + ": must be sgd or adam");
        }
        if (partitions < 1 || batch < partitions) {
            throw new IllegalArgumentException("--batch " + batch + " must be at least the " + partitions
                    + " partition(s) it is split across");
        }
    }

    /**
     * The examples of global step {@code step} of an epoch whose order is {@code order}: positions
     * [step * batch, (step + 1) * batch), the last step shorter.
     *
     * @param order the epoch's order of example indices
     * @param step the step within the epoch
     * @param partition which share of the batch (0 .. partitions - 1)
     * @return {from, to}: positions in {@code order}
     */
    public int[] slice(int[] order, int step, int partition) {
        int from = step * batch;
        int to = Math.min(order.length, from + batch);
        int n = to - from;
        return new int[] {from + (int) ((long) n * partition / partitions),
            from + (int) ((long) n * (partition + 1) / partitions)};
    }

    /**
     * The steps of one epoch over {@code examples} examples.
     *
     * @param examples the training set's size
     * @return ceil(examples / batch)
     */
    public int stepsPerEpoch(int examples) {
        return (examples + batch - 1) / batch;
    }

    /**
     * The order of the examples in epoch {@code epoch}: a seeded shuffle, the same on every machine.
     *
     * @param examples the training set's size
     * @param epoch the epoch (0-based)
     * @return a permutation of 0 .. examples - 1
     */
    public int[] order(int examples, int epoch) {
        int[] order = new int[examples];
        for (int i = 0; i < examples; i++) {
            order[i] = i;
        }
        java.util.Random r = new java.util.Random(seed * 1_000_003L + epoch);
        for (int i = examples - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
