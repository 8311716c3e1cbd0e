package lanes.layers;

import java.util.Random;

/**
 * The generator that layers built without a seed draw their initial weights from, as {@code torch.manual_seed}
 * sets PyTorch's: seeded with 0 when the JVM starts, so a program that builds the same layers in the same order
 * gets the same weights on every run, and {@link #manualSeed} makes a run start from another seed. Layers given
 * an explicit seed (the constructors that take one) do not touch it.
 */
public final class Lanes {
    private static final Random SEEDS = new Random(0);

    private Lanes() {
    }

    /**
     * Reseeds the generator: the layers built from now on get weights determined by {@code seed}.
     *
     * @param seed the seed
     */
    public static synchronized void manualSeed(long seed) {
        SEEDS.setSeed(seed);
    }

    /**
     * The next layer's seed from the generator (what a layer built without a seed uses).
     *
     * @return a seed
     */
    public static synchronized long nextSeed() {
        return SEEDS.nextLong();
    }
}
