package lanes.app.studio;

/** Steps per second over the last second or so: counts in two alternating one-second buckets. */
final class Meter {
    private long bucketStart = System.nanoTime();
    private long current;
    private double last;

    synchronized void add(long steps) {
        roll();
        current += steps;
    }

    synchronized double perSecond() {
        roll();
        double age = (System.nanoTime() - bucketStart) / 1e9;
        return age < 0.5 ? last : current / age;
    }

    private void roll() {
        long now = System.nanoTime();
        double age = (now - bucketStart) / 1e9;
        if (age >= 1) {
            last = age < 2 ? current / age : 0;
            current = 0;
            bucketStart = now;
        }
    }
}
