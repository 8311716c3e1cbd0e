package lanes.layers.optim;

/** The learning rate for each epoch, as PyTorch's {@code StepLR} and {@code CosineAnnealingLR}. */
@FunctionalInterface
public interface LrSchedule {
    /**
     * The learning rate of epoch {@code epoch} (0-based).
     *
     * @param epoch the epoch (0-based)
     * @return its learning rate
     */
    float lr(int epoch);

    /**
     * {@code base * gamma^(epoch / stepSize)}.
     *
     * @param base the first learning rate
     * @param stepSize epochs between decays
     * @param gamma the factor of each decay
     * @return the schedule
     */
    static LrSchedule step(float base, int stepSize, float gamma) {
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR: step size " + stepSize + " must be >= 1");
        }
        return epoch -> (float) (base * Math.pow(gamma, epoch / stepSize));
    }

    /**
     * {@code etaMin + (base - etaMin) (1 + cos(pi epoch / tMax)) / 2}.
     *
     * @param base the first learning rate
     * @param tMax epochs to reach the minimum
     * @param etaMin the minimum
     * @return the schedule
     */
    static LrSchedule cosine(float base, int tMax, float etaMin) {
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR: T_max " + tMax + " must be >= 1");
        }
        return epoch -> (float) (etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2);
    }
}
