package lanes.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lanes bench} as the bench jar runs it: its help, and one clear line for bad input. */
class BenchCliTest {
    @TempDir
    static Path dir;

    /** What a run printed, and its exit status. */
    record Run(int status, String out, String err) {
    }

    static Run lanes(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = BenchApp.run(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void benchE2eRefusesAMissingFolderAndZeroEpochs() {
        assertOneLineError(lanes("bench", "e2e", "--data", dir.resolve("nowhere").toString()), 1, "no such folder");
        assertOneLineError(lanes("bench", "e2e", "--epochs", "0", "--no-peer"), 1, "--epochs 0: must be >= 1");
    }

    @Test
    void benchRefusesForksBelowOneAndForksForE2e() {
        for (String suite : new String[] {"gemm", "conv", "train", "predict"}) {
            assertOneLineError(lanes("bench", suite, "--forks", "0"), 1, "--forks 0: must be >= 1");
        }
        assertOneLineError(lanes("bench", "e2e", "--forks", "2", "--no-peer"), 1, "--forks 2: e2e times whole");
    }

    @Test
    void benchGemmRefusesRoundsBelowOne() {
        assertOneLineError(lanes("bench", "gemm", "--rounds", "0"), 1, "--rounds 0: must be >= 1");
    }

    @Test
    void theBenchJarHasTheAppsCommandsAndBench() {
        Run r = lanes("--help");
        assertEquals(0, r.status(), r.err());
        for (String command : new String[] {"train", "eval", "predict", "fuzz", "info", "bench"}) {
            assertTrue(r.out().contains("\n  " + command + " "), command + " in: " + r.out());
        }
        assertFalse(r.out().contains("come with the bench module"), r.out());
    }

    @Test
    void benchHelpPrintsNoPicocliWarning() {
        for (String suite : new String[] {"gemm", "conv", "train", "e2e", "predict", "all"}) {
            Run r = lanes("bench", suite, "--help");
            assertEquals(0, r.status(), suite + ": " + r.err());
            assertFalse((r.out() + r.err()).contains("[picocli WARN]"), suite + ": " + r.out() + r.err());
        }
        Run r = lanes("bench", "--help");
        assertEquals(0, r.status(), r.err());
        assertFalse((r.out() + r.err()).contains("[picocli WARN]"), r.out() + r.err());
    }

    private static void assertOneLineError(Run r, int status, String expected) {
        assertEquals(status, r.status(), r.out() + r.err());
        String err = r.err().strip();
        assertTrue(err.contains(expected), "\"" + expected + "\" in: " + err);
        assertFalse(err.contains("\n"), "one line, no stack trace: " + err);
    }
}
