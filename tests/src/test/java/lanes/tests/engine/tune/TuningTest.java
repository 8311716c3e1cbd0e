package lanes.tests.engine.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import lanes.engine.Simd;
import lanes.engine.gemm.BlockSizes;
import lanes.engine.simd.Transpose;
import lanes.engine.tune.TileTable;
import lanes.engine.tune.Tuning;
import lanes.tests.Compare;
import org.junit.jupiter.api.Test;

/** The one tuning table: its defaults, its overrides, its errors, and the scalar switch in this JVM. */
class TuningTest {
    static Tuning with(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return Tuning.read(p);
    }

    @Test
    void withoutPropertiesEveryFigureIsTheTileTablesRowOrItsDocumentedDefault() {
        Tuning t = with();
        TileTable.Row row = t.tiles();
        assertEquals(row.kc(), t.gemmKc());
        assertEquals(row.mc(), t.gemmMc());
        assertEquals(row.nc(), t.gemmNc());
        assertEquals(32L * 32 * 32, t.gemmSmallProduct());
        assertEquals(2, t.gemmFewRows());
        assertEquals(row.parallelProduct(), t.gemmParallelProduct());
        assertEquals(96, t.gemmDirectBRows());
        assertEquals(row.directAColumns(), t.gemmDirectAColumns());
        assertEquals(200, t.spinMicros());
        assertEquals(Runtime.getRuntime().availableProcessors(), t.threads());
        assertFalse(t.scalar());
        assertFalse(t.convChannelsOnly());
        assertTrue(t.settings().stream().noneMatch(Tuning.Setting::overridden), t.settings().toString());
    }

    @Test
    void everyPropertyIsReadAndShownAsSetByIt() {
        Tuning t = with("lanes.scalar", "true", "lanes.vectorRegisters", "16", "lanes.gemm.rows", "4",
                "lanes.gemm.kc", "128", "lanes.gemm.mc", "48", "lanes.gemm.nc", "512", "lanes.gemm.small", "7",
                "lanes.gemm.fewRows", "3", "lanes.gemm.parallel", "9", "lanes.gemm.directB", "11", "lanes.gemm.directA", "13",
                "lanes.conv.tiles", "channels", "lanes.conv.panels", "false", "lanes.conv.weightPanels", "true",
                "lanes.threads", "3", "lanes.spinMicros", "0");
        assertTrue(t.scalar());
        assertEquals(16, t.tiles().registers());
        assertEquals(4, t.tiles().gemmRows());
        assertEquals(128, t.gemmKc());
        assertEquals(48, t.gemmMc());
        assertEquals(512, t.gemmNc());
        assertEquals(7, t.gemmSmallProduct());
        assertEquals(3, t.gemmFewRows());
        assertEquals(9, t.gemmParallelProduct());
        assertEquals(11, t.gemmDirectBRows());
        assertEquals(13, t.gemmDirectAColumns());
        assertTrue(t.convChannelsOnly());
        assertFalse(t.convPanels());
        assertTrue(t.convWeightPanels());
        assertEquals(3, t.threads());
        assertEquals(0, t.spinMicros());
        List<Tuning.Setting> settings = t.settings();
        assertEquals(16, settings.size(), settings.toString());
        assertTrue(settings.stream().allMatch(Tuning.Setting::overridden), settings.toString());
    }

    @Test
    void aValueThatDoesNotParseNamesThePropertyTheValueAndTheRule() {
        Compare.assertMessage(() -> with("lanes.gemm.kc", "big"), "lanes.gemm.kc", "\"big\"", "whole number");
        Compare.assertMessage(() -> with("lanes.gemm.mc", "0"), "lanes.gemm.mc", "\"0\"", "from 1");
        Compare.assertMessage(() -> with("lanes.threads", "-2"), "lanes.threads", "\"-2\"");
        Compare.assertMessage(() -> with("lanes.scalar", "yes"), "lanes.scalar", "\"yes\"", "true or false");
        Compare.assertMessage(() -> with("lanes.vectorRegisters", "24"), "lanes.vectorRegisters", "16 or 32");
        Compare.assertMessage(() -> with("lanes.conv.tiles", "rows"), "lanes.conv.tiles", "\"rows\"", "channels");
        Compare.assertMessage(() -> with("lanes.conv.panels", "on"), "lanes.conv.panels", "\"on\"", "true or false");
    }

    @Test
    void theKernelsRunWhatThisJvmsTuningSays() {
        Tuning t = Tuning.current();
        assertEquals(t.tiles().gemmRows(), BlockSizes.MR);
        assertEquals(BlockSizes.KC, t.gemmKc());
        assertTrue(BlockSizes.MC >= t.gemmMc() && BlockSizes.MC % BlockSizes.MR == 0, BlockSizes.describe());
        assertEquals(Boolean.parseBoolean(System.getProperty("lanes.scalar", "false")), t.scalar());
        assertEquals(t.scalar(), Simd.SCALAR);
    }

    /** Under -Dlanes.scalar=true (the build's scalar-paths run) no vector loop and no whole-vector access is left. */
    @Test
    void theScalarSwitchLeavesNoVectorLoop() {
        if (Simd.SCALAR) {
            assertEquals(0, Simd.loopBound(10 * Simd.LANES + 3));
            assertFalse(Simd.fits(0, 1 << 20));
            assertFalse(Transpose.supported());
        } else {
            assertEquals(10 * Simd.LANES, Simd.loopBound(10 * Simd.LANES + 3));
            assertTrue(Simd.fits(0, Simd.LANES));
        }
    }
}
