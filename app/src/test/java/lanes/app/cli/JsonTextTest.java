package lanes.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import lanes.layers.io.JsonText;
import org.junit.jupiter.api.Test;

/** The reader of the child processes' reports: the shapes they write, and errors that say where. */
class JsonTextTest {
    @Test
    void aReportReadsAsMapsListsNumbersAndStrings() {
        Object v = JsonText.parse("{\"impl\": \"py\\\"torch\\u0041\", \"n\": -1.5e3, \"ok\": true, \"none\": null,"
                + " \"per_epoch\": [{\"seconds\": 6.1}, {\"seconds\": 12}], \"empty\": [], \"o\": {}}");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals("py\"torchA", m.get("impl"));
        assertEquals(-1500.0, m.get("n"));
        assertEquals(Boolean.TRUE, m.get("ok"));
        assertTrue(m.containsKey("none") && m.get("none") == null);
        assertEquals(12.0, ((Map<?, ?>) ((List<?>) m.get("per_epoch")).get(1)).get("seconds"));
        assertEquals(List.of(), m.get("empty"));
        assertEquals(Map.of(), m.get("o"));
    }

    @Test
    void malformedTextIsRefusedWithItsOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonText.parse("{\"a\": 1,}"));
        assertTrue(e.getMessage().contains("offset 8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JsonText.parse("[1] x"));
        assertTrue(e.getMessage().contains("text after the value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{\"a\": nope}"));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
    }
}
