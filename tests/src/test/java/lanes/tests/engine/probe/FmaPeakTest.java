package lanes.tests.engine.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lanes.engine.Simd;
import lanes.engine.probe.FmaPeak;
import org.junit.jupiter.api.Test;

/** The probe runs and reports a plausible figure; how fast it is gets measured by `lanes info`, not asserted here. */
class FmaPeakTest {

    @Test
    void probeReportsAFinitePositiveFigureForEachWidthAndThreadCount() {
        for (FmaPeak.Width width : FmaPeak.Width.values()) {
            for (int threads = 1; threads <= 2; threads++) {
                FmaPeak.Result r = FmaPeak.measure(width, threads, 1);
                assertEquals(threads, r.threads());
                assertEquals(width.bits(), r.bits());
                assertTrue(r.gflops() > 0 && Double.isFinite(r.gflops()), () -> "implausible " + r);
            }
        }
        assertEquals(Simd.SPECIES.vectorBitSize(), FmaPeak.Width.PREFERRED.bits());
    }

    @Test
    void probeRejectsZeroThreadsOrRepeats() {
        assertThrows(IllegalArgumentException.class, () -> FmaPeak.measure(0, 1));
        assertThrows(IllegalArgumentException.class, () -> FmaPeak.measure(1, 0));
    }
}
