package lanes.app.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A run's training thread that fails leaves the reason for the page, instead of a run that merely stopped. */
class RunTest {

    /** A run whose training thread throws what it is given. */
    private static final class Failing extends Run {
        private final RuntimeException thrown;

        Failing(RuntimeException thrown) {
            super("7");
            this.thrown = thrown;
        }

        @Override
        String kind() {
            return "test";
        }

        @Override
        String state() {
            return "{}";
        }

        @Override
        void work() {
            throw thrown;
        }
    }

    @Test
    void aTrainingThreadThatThrowsLeavesItsExceptionAsTheRunsFault() throws Exception {
        Failing run = new Failing(new ArrayIndexOutOfBoundsException("Index 12 out of bounds for length 12"));
        assertNull(run.fault());
        run.play();
        long seen = run.version();
        for (long end = System.nanoTime() + 10_000_000_000L; run.playing() && System.nanoTime() < end; ) {
            seen = run.awaitChange(seen, 100);
        }
        assertFalse(run.playing(), "the failed thread still runs after 10 s");
        assertEquals("the training thread failed: java.lang.ArrayIndexOutOfBoundsException: Index 12 out of bounds "
                + "for length 12", run.fault());
    }
}
