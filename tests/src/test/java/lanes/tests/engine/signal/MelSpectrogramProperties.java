package lanes.tests.engine.signal;

import static lanes.tests.Compare.assertClose;

import lanes.engine.Tensor;
import lanes.engine.signal.MelSettings;
import lanes.engine.signal.MelSpectrogram;
import lanes.reference.MelReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The log-mel kernels (strided frames, DFT as a product, power, filterbank product, log) against the reference's
 * straight loops in double, within the bound the reference derives from each sum's terms: for random signals
 * (tones, noise, silence, full scale) and random framings.
 */
class MelSpectrogramProperties {
    record Case(MelSettings settings, float[] x, int off, int n, String signal) {
        @Override
        public String toString() {
            return settings + ", " + signal + ", samples [" + off + ", " + (off + n) + ")";
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<MelSettings> settings = Combinators.combine(Arbitraries.of(8000, 16000, 22050),
                Arbitraries.integers().between(3, 10), Arbitraries.integers().between(25, 100),
                Arbitraries.integers().between(10, 100), Arbitraries.integers().between(1, 48),
                Arbitraries.doubles().between(0, 200)).as((rate, log2, windowShare, hopShare, mels, fMin) -> {
                    int nfft = 1 << log2;
                    int window = Math.max(1, nfft * windowShare / 100);
                    int hop = Math.max(1, window * hopShare / 100);
                    return new MelSettings(rate, nfft, window, hop, mels, fMin, rate / 2.0 * 0.95, 1e-6);
                });
        return Combinators.combine(settings, Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 7), Arbitraries.longs()).as((s, frames, off, seed) -> {
                    int n = s.nfft() + frames * s.hop() + (int) Math.floorMod(seed, (long) s.hop());
                    java.util.Random r = new java.util.Random(seed);
                    int kind = r.nextInt(4);
                    float[] x = new float[off + n + 3];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = switch (kind) {
                            case 0 -> (float) (0.6 * Math.sin(2 * Math.PI * 440 * i / s.rate())
                                    + 0.3 * Math.sin(2 * Math.PI * 1234.5 * i / s.rate()));
                            case 1 -> (float) (r.nextGaussian() * 0.1);
                            case 2 -> 0f;
                            default -> r.nextBoolean() ? 1f : -1f;
                        };
                    }
                    return new Case(s, x, off, n, new String[] {"tones", "noise", "silence", "full-scale"}[kind]);
                });
    }

    @Property
    void logMelIsTheDefinitionWithinTheBoundOfItsSums(@ForAll("cases") Case c) {
        MelReference.Result want = MelReference.logMel(c.x(), c.off(), c.n(), c.settings());
        Tensor got = new MelSpectrogram(c.settings()).apply(c.x(), c.off(), c.n());
        assertClose("log-mel of " + c, want.logMel(), got.toArray(), want.tolerance());
    }
}
