package lanes.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code lanes bench gemm --rounds}: each ratio comes from one round's pair, never from two rounds' figures. */
class PairedRatiosTest {
    private static final double NAN = Double.NaN;

    @Test
    void medianSkipsMissingRoundsAndAveragesTheMiddlePair() {
        assertEquals(2.0, PairedRatios.median(new double[] {3, 1, 2}));
        assertEquals(2.5, PairedRatios.median(new double[] {4, NAN, 1, 2, 3}));
        assertTrue(Double.isNaN(PairedRatios.median(new double[] {NAN, NAN})));
        assertTrue(Double.isNaN(PairedRatios.median(new double[0])));
    }

    @Test
    void ratiosPairFiguresOfTheSameRoundOnly() {
        // the fast round of one side meets the fast round of the other: 1.0 each, where the ratio of the medians
        // (150 / 150) agrees by chance and the best against the worst would read 2.0
        assertArrayEquals(new double[] {1.0, 1.0},
                PairedRatios.ratios(new double[] {200, 100}, new double[] {200, 100}));
        // a round where either side is missing gives no ratio
        assertArrayEquals(new double[] {2.0},
                PairedRatios.ratios(new double[] {NAN, 100, 50}, new double[] {10, 50, NAN}));
    }

    @Test
    void describeGivesTheMedianAndTheRangeOfTheRounds() {
        assertEquals("-", PairedRatios.describe(new double[] {100}, new double[] {NAN}));
        assertEquals("1.25x", PairedRatios.describe(new double[] {125}, new double[] {100}));
        assertEquals("0.90x 0.80-1.10",
                PairedRatios.describe(new double[] {80, 90, 110}, new double[] {100, 100, 100}));
    }

    @Test
    void roundsOfDifferentLengthAreRefusedWithBothLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedRatios.ratios(new double[2], new double[3]));
        assertTrue(e.getMessage().contains("2 against 3"), e.getMessage());
    }
}
