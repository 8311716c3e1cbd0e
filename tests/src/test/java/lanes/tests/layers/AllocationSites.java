package lanes.tests.layers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingStream;

/**
 * Where the heap bytes of some threads go, sampled by JFR's {@code jdk.ObjectAllocationSample} events, for the
 * message of a failed allocation check: the allocated class, the first Lanes frames and whether each ran
 * interpreted, compiled on its own or inlined. A vector kernel that allocates once warm is either not compiled yet
 * (its frame says "Interpreted") or compiled without inlining the Vector API (its vectors are objects); the
 * message tells which, so that a failure on a machine nobody can log in to still says what happened.
 */
final class AllocationSites implements AutoCloseable {
    private final RecordingStream stream = new RecordingStream();
    private final Set<Long> threads;
    private final Map<String, Long> bytesBySite = new HashMap<>();

    /** Starts sampling the allocations of the threads {@code ids}. */
    AllocationSites(long[] ids) {
        threads = LongStream.of(ids).boxed().collect(Collectors.toUnmodifiableSet());
        stream.enable("jdk.ObjectAllocationSample").withStackTrace().with("throttle", "1000/s");
        stream.onEvent("jdk.ObjectAllocationSample", event -> {
            if (event.getThread() == null || !threads.contains(event.getThread().getJavaThreadId())) {
                return;
            }
            String site = site(event.getClass("objectClass").getName(), event.getStackTrace() == null
                    ? List.of() : event.getStackTrace().getFrames());
            synchronized (bytesBySite) {
                bytesBySite.merge(site, event.getLong("weight"), Long::sum);
            }
        });
        stream.startAsync();
    }

    /** Forgets what was sampled so far: the next report covers only what follows. */
    void reset() {
        synchronized (bytesBySite) {
            bytesBySite.clear();
        }
    }

    /**
     * The {@code top} sites by sampled bytes since the last {@link #reset}, one line each, with their share; "none
     * sampled" where nothing was. Waits briefly for the events in flight.
     */
    String report(int top) {
        try {
            Thread.sleep(1500);                          // JFR hands events over about once a second
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (bytesBySite) {
            long total = bytesBySite.values().stream().mapToLong(Long::longValue).sum();
            if (total == 0) {
                return "none sampled";
            }
            return bytesBySite.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(top)
                    .map(e -> String.format("%5.1f %% %s", 100.0 * e.getValue() / total, e.getKey()))
                    .collect(Collectors.joining("\n  ", "  ", ""));
        }
    }

    @Override
    public void close() {
        stream.close();
    }

    /** The class, then up to three Lanes frames (method, line, how it ran); the top frame where there is none. */
    private static String site(String allocatedClass, List<RecordedFrame> frames) {
        List<String> lanes = frames.stream()
                .filter(f -> f.getMethod().getType().getName().startsWith("lanes."))
                .limit(3)
                .map(AllocationSites::frame)
                .toList();
        if (lanes.isEmpty() && !frames.isEmpty()) {
            lanes = List.of(frame(frames.get(0)));
        }
        return allocatedClass + " at " + String.join(" < ", lanes);
    }

    private static String frame(RecordedFrame f) {
        RecordedMethod method = f.getMethod();
        String type = method.getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + method.getName() + ":" + f.getLineNumber()
                + " (" + f.getType() + ")";
    }
}
