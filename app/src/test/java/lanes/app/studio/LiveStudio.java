package lanes.app.studio;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class's studio on loopback (the defaults: 32 runs, 60 s idle) and its client, started once per class. */
abstract class LiveStudio {
    static Studio studio;
    static Client client;

    @BeforeAll
    static void startStudio() throws Exception {
        studio = Studio.start(new Studio.Settings("127.0.0.1", 0, Map.of(), 32, 60, List.of()));
        client = new Client(studio.port());
    }

    @AfterAll
    static void stopStudio() {
        studio.close();
    }
}
