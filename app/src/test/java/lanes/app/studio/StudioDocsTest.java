package lanes.app.studio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/studio.md lists every data-testid the page's code sets, and every API path the API answers. */
class StudioDocsTest {
    private static final Pattern[] TEST_IDS = {
        Pattern.compile("'data-testid': '([^']+)'"),
        Pattern.compile("data-testid=\"([^\"]+)\""),
        Pattern.compile("(?:input|select)\\('([a-z0-9-]+)'"),
        Pattern.compile("slider\\('[^']+', [^,]+, [^,]+, [^,]+, '([a-z0-9-]+)'"),
        Pattern.compile("'data-testid': `([a-z-]+)\\$\\{"),
    };

    @Test
    void everyTestIdOfThePageIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "studio.md"));
        Set<String> ids = new TreeSet<>();
        List<String> files = new ArrayList<>(List.of("index.html"));
        for (String m : StaticFiles.MODULES) {
            files.add("js/" + m);
        }
        for (String f : files) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("lanes/app/studio/web/" + f)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (Pattern p : TEST_IDS) {
                    Matcher m = p.matcher(text);
                    while (m.find()) {
                        ids.add(m.group(1));
                    }
                }
            }
        }
        ids.remove("y");                                   // dom.js's own example in a comment
        assertTrue(ids.size() > 80, "found only " + ids.size() + " test ids: " + ids);
        List<String> missing = ids.stream().filter(id -> !docs.contains("`" + id)).toList();
        assertTrue(missing.isEmpty(), "docs/studio.md does not list " + missing);
    }
}
