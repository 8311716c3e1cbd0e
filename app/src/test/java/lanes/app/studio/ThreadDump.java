package lanes.app.studio;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The stacks of this JVM's engine and studio threads, virtual ones included, for a test that timed out waiting
 * on the studio: what the training thread and the kernel team were doing, in the failure's own message.
 */
final class ThreadDump {
    private static final int FRAMES = 12;

    private ThreadDump() {
    }

    /** The threads whose name holds "lanes" or "studio", each with its top {@value #FRAMES} frames. */
    static String studioThreads() {
        try {
            Path file = Files.createTempDirectory("lanes-threads-").resolve("threads.txt");
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            List<String> kept = new ArrayList<>();
            boolean keep = false;
            int frames = 0;
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("#")) {             // a thread's header: #id "name" ...
                    keep = line.contains("lanes") || line.contains("studio");
                    frames = 0;
                    if (keep) {
                        kept.add(line);
                    }
                } else if (keep && !line.isBlank() && frames++ < FRAMES) {
                    kept.add(line);
                }
            }
            return String.join("\n", kept);
        } catch (IOException | RuntimeException e) {
            return "(no thread dump: " + e + ")";
        }
    }
}
