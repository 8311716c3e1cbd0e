package lanes.tests.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void everyPartHasRunWhenRunReturnsWhileTeamSizesChangeFromCallToCall() {
        // A worker left out of one call (a team of 2) must not count itself into the next (a team of 4): it used
        // to read the next call's helper count after seeing the earlier call's start, run the next call twice over
        // and count itself done twice, so that run returned while another member was still inside a part.
        int before = Parallel.threads();
        try {
            Parallel.setThreads(4);
            int[] spin = new int[1];
            for (int call = 0; call < 5_000; call++) {
                int parts = call % 2 == 0 ? 2 : 4;
                AtomicIntegerArray done = new AtomicIntegerArray(parts);
                Parallel.run(parts, p -> {
                    for (int i = 0; i < 200; i++) {
                        spin[0] += i;               // a part that takes a moment, so that a member is still in it
                    }
                    done.incrementAndGet(p);
                });
                for (int p = 0; p < parts; p++) {
                    if (done.get(p) != 1) {
                        throw new AssertionError("call " + call + " (" + parts + " parts): part " + p + " had run "
                                + done.get(p) + " times when run returned; expected 1");
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aThreadCountPastTheTeamsLimitLeavesTheTeamUsable() throws Exception {
        // more threads than the team has members used to leave the team marked busy, so that every later call ran
        // on its caller alone
        int before = Parallel.threads();
        try {
            Parallel.setThreads(100_000);
            AtomicIntegerArray runs = new AtomicIntegerArray(64);
            Parallel.run(64, runs::incrementAndGet);
            for (int p = 0; p < 64; p++) {
                assertEquals(1, runs.get(p), "part " + p);
            }
            Parallel.setThreads(2);
            java.util.concurrent.CountDownLatch second = new java.util.concurrent.CountDownLatch(1);
            boolean[] met = new boolean[1];
            Parallel.run(2, p -> {
                if (p == 1) {
                    second.countDown();
                } else {
                    try {
                        met[0] = second.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertTrue(met[0], "part 0 waited 10 s for part 1: the two ran one after the other on one thread");
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
