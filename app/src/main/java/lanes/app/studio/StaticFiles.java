package lanes.app.studio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The page's files: a fixed table from URL path to class-path resource, read once. Nothing outside the table is
 * served, so no path (with {@code ..}, encoded or not) reaches another file.
 */
final class StaticFiles implements HttpHandler {
    private static final String WEB = "lanes/app/studio/web/";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/";
    /** The page's modules, under /js/. */
    static final String[] MODULES = {"main.js", "api.js", "dom.js", "chart.js", "heatmap.js", "network.js",
        "playground.js", "train.js", "pad.js", "lecture.js", "url-state.js", "audio.js", "recorder.js",
        "recorder-worklet.js", "timeline.js"};

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    StaticFiles() {
        add("/", WEB + "index.html", "text/html; charset=utf-8");
        add("/studio.css", WEB + "studio.css", "text/css; charset=utf-8");
        for (String m : MODULES) {
            add("/js/" + m, WEB + "js/" + m, "text/javascript; charset=utf-8");
        }
        add("/lib/uPlot.esm.js", UPLOT + "dist/uPlot.esm.js", "text/javascript; charset=utf-8");
        add("/lib/uPlot.min.css", UPLOT + "dist/uPlot.min.css", "text/css; charset=utf-8");
        add("/lib/uPlot-LICENSE.txt", UPLOT + "LICENSE", "text/plain; charset=utf-8");
    }

    private void add(String path, String resource, String type) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the studio's resource " + resource + " is missing from the jar");
            }
            files.put(path, in.readAllBytes());
            types.put(path, type);
        } catch (IOException e) {
            throw new IllegalStateException("the studio's resource " + resource + " cannot be read: " + e, e);
        }
    }

    /** The paths served. */
    java.util.Set<String> paths() {
        return files.keySet();
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                Http.error(ex, new ApiError(405, null, method + " is not allowed here; use GET"));
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            byte[] body = files.get(path);
            if (body == null) {
                Http.error(ex, ApiError.notFound("no file " + Fields.clip(path) + " in the studio"));
                return;
            }
            if (path.equals("/")) {
                ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; media-src 'self' "
                        + "blob:; img-src 'self' data: "
                        + "blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
                ex.getResponseHeaders().set("X-Frame-Options", "DENY");
            }
            Http.send(ex, 200, types.get(path), body);
        }
    }
}
