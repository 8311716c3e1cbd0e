package lanes.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Figures of this process for end-to-end reports: seconds since the JVM started, and the peak resident memory. */
public final class ProcessStats {
    private ProcessStats() {
    }

    /** Seconds since the JVM started (its own start-up included). */
    public static double uptimeSeconds() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
    }

    /**
     * The peak resident set size in bytes ({@code VmHWM} of {@code /proc/self/status}), or -1 where the system has
     * no such file (not Linux).
     */
    public static long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[0]) * (f.length > 1 && f[1].equalsIgnoreCase("kB") ? 1024 : 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
