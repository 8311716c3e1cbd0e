package lanes.layers.audio;

/**
 * A mono recording: samples in [-1, 1] (full scale) at {@code rate} samples per second.
 *
 * @param samples the samples, in time order (not copied)
 * @param rate samples per second
 */
public record Audio(float[] samples, int rate) {
    /**
     * A recording, checked.
     *
     * @param samples the samples
     * @param rate samples per second, 1 to 768,000
     * @throws IllegalArgumentException if the rate is out of range
     */
    public Audio {
        if (rate < 1 || rate > 768_000) {
            throw new IllegalArgumentException("audio: sample rate " + rate + " Hz; give 1 to 768,000");
        }
    }

    /**
     * The length in seconds.
     *
     * @return samples / rate
     */
    public double seconds() {
        return (double) samples.length / rate;
    }

    /**
     * This recording at another rate ({@link Resampler}); itself where the rate is already {@code to}.
     *
     * @param to the new rate
     * @return the resampled recording
     */
    public Audio resampled(int to) {
        return to == rate ? this : new Audio(Resampler.between(rate, to).apply(samples), to);
    }
}
