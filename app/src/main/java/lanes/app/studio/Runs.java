package lanes.app.studio;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The runs a studio holds, at most {@code capacity} at once; a run that no page has looked at for
 * {@code idleSeconds} (no request and no open event stream) is ended by {@link #reap}, so a closed tab's runs go.
 */
final class Runs {
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);
    private final int capacity;
    private final long idleNanos;

    Runs(int capacity, double idleSeconds) {
        this.capacity = capacity;
        this.idleNanos = (long) (idleSeconds * 1e9);
    }

    /**
     * Makes and adds a run under a new id.
     *
     * @param make the run, from its id
     * @return the run
     * @throws ApiError 429 when the studio holds {@code capacity} runs
     */
    synchronized Run add(Function<String, Run> make) {
        if (runs.size() >= capacity) {
            throw new ApiError(429, null, "the studio holds " + runs.size() + " runs, its limit; delete one (DELETE "
                    + "/api/runs/ID) or close a page");
        }
        Run r = make.apply(Long.toString(next.getAndIncrement()));
        runs.put(r.id, r);
        return r;
    }

    Run get(String id) {
        Run r = runs.get(id);
        if (r == null) {
            throw ApiError.notFound("no run " + Fields.clip(id) + " (ended, deleted, or never made)");
        }
        r.touch();
        return r;
    }

    void delete(String id) {
        Run r = runs.remove(id);
        if (r == null) {
            throw ApiError.notFound("no run " + Fields.clip(id) + " (ended, deleted, or never made)");
        }
        r.close();
    }

    /** Ends the runs idle too long. */
    void reap() {
        long now = System.nanoTime();
        for (Run r : new ArrayList<>(runs.values())) {
            if (r.idle(now, idleNanos) && runs.remove(r.id, r)) {
                r.close();
            }
        }
    }

    List<Run> all() {
        return new ArrayList<>(runs.values());
    }

    int size() {
        return runs.size();
    }

    void closeAll() {
        for (Run r : all()) {
            runs.remove(r.id);
            r.close();
        }
    }
}
