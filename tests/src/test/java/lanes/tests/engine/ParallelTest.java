package lanes.tests.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import lanes.engine.Parallel;
import org.junit.jupiter.api.Test;

/** The shared thread team: every part runs exactly once, failures reach the caller, nesting does not deadlock. */
class ParallelTest {

    @Test
    void everyPartRunsExactlyOnceForAnyPartCount() {
        for (int parts = 0; parts <= 9; parts++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            Parallel.run(parts, runs::incrementAndGet);
            int[] expected = new int[parts];
            java.util.Arrays.fill(expected, 1);
            int[] actual = new int[parts];
            for (int p = 0; p < parts; p++) {
                actual[p] = runs.get(p);
            }
            assertArrayEquals(expected, actual, "parts = " + parts);
        }
    }

    @Test
    void theOtherMemberRunsTheRestOfTheSharesOfAMemberHeldUpByASlowPart() throws Exception {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            int parts = 9;
            String[] ranOn = new String[parts];
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            Parallel.run(parts, p -> {
                runs.incrementAndGet(p);
                ranOn[p] = Thread.currentThread().getName();
                if (p == 1) {
                    try {
                        Thread.sleep(300);      // member 1's first part: whoever runs it is held up
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            for (int p = 0; p < parts; p++) {
                assertEquals(1, runs.get(p), "part " + p + " ran " + runs.get(p) + " times");
            }
            for (int p = 3; p < parts; p += 2) {
                assertNotEquals(ranOn[1], ranOn[p], "part " + p + " waited for the thread held up by part 1 ("
                        + ranOn[1] + ") instead of running on the other");
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aFailingPartIsRethrownToTheCallerAndTheTeamStaysUsable() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.run(4, p -> {
            if (p == 3) {
                throw new IllegalStateException("part 3 failed");
            }
        }));
        assertEquals("part 3 failed", e.getMessage());
        AtomicIntegerArray runs = new AtomicIntegerArray(2);
        Parallel.run(2, runs::incrementAndGet);
        assertEquals(1, runs.get(0) * runs.get(1));
    }

    @Test
    void aKernelCalledInsideAPartRunsInlineInsteadOfWaitingForTheBusyTeam() {
        AtomicIntegerArray inner = new AtomicIntegerArray(4);
        Parallel.run(2, outer -> Parallel.run(2, p -> inner.incrementAndGet(outer * 2 + p)));
        for (int i = 0; i < 4; i++) {
            assertEquals(1, inner.get(i), "inner part " + i);
        }
    }

    @Test
    void threadCountsBelowOneAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    }
}
