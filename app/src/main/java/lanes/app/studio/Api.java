package lanes.app.studio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import lanes.layers.io.JsonText;

/**
 * The studio's HTTP API under {@code /api/}, the one the page uses (docs/studio.md lists it with curl examples).
 * Every refusal is a 4xx whose JSON names the field ({@link ApiError}); anything else that goes wrong is answered
 * as a 500 whose message says so, with the stack trace on the server's console only.
 *
 * <pre>
 *   GET    /api/info                          limits, data sets, features, activations, data folders
 *   GET    /api/runs                          every run: id, kind, step, playing
 *   POST   /api/runs                          {"kind": "playground" | "train", ...}  -> 201 {"id": ...}
 *   GET    /api/runs/{id}                     the state (?grids=false: a playground run without its grids)
 *   POST   /api/runs/{id}/step                {"steps": N} -> the state after them (playground)
 *   POST   /api/runs/{id}/settings            {"learningRate", "regularization", "regularizationRate"} as it runs
 *   POST   /api/runs/{id}/play                {"stepsPerSecond": S} (0: as fast as it goes)
 *   POST   /api/runs/{id}/pause
 *   GET    /api/runs/{id}/events              Server-Sent Events: "state" events, "end" when the run ends
 *   GET    /api/runs/{id}/points              a playground run's points
 *   GET    /api/runs/{id}/model               the network as a Lanes model file
 *   GET    /api/runs/{id}/examples?true=T&amp;predicted=P   a train run's test images of one confusion cell
 *   POST   /api/runs/{id}/predict             {"width": W, "height": H, "pixels": [...]} a drawn digit
 *   DELETE /api/runs/{id}
 *   POST   /api/gradient-descent              the course's quadratic: a run at one rate
 *   POST   /api/receptive-field               {"model": ..., "layer": L, "row": R, "col": C}
 *   GET    /api/detectors, POST /api/detectors, POST /api/detect, GET /api/audio/example   ({@link AudioApi})
 * </pre>
 */
final class Api implements HttpHandler {
    /** The largest request body: a CSV of 10,000 points fits. */
    static final int MAX_BODY = 1 << 20;
    /** Event-stream frames at most this often. */
    static final long FRAME_NANOS = 40_000_000L;

    private final Runs runs;
    private final Studio.Settings settings;
    private final AudioApi audio;

    Api(Runs runs, Studio.Settings settings, Detectors detectors) {
        this.runs = runs;
        this.settings = settings;
        this.audio = new AudioApi(runs, detectors, settings.dataFolders());
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                route(ex);
            } catch (ApiError e) {
                Http.error(ex, e);
            } catch (RuntimeException | StackOverflowError e) {
                System.err.println("lanes studio: " + ex.getRequestMethod() + " " + ex.getRequestURI() + " failed:");
                e.printStackTrace();
                Http.error(ex, new ApiError(500, null, "the studio failed on this request (" + e.getClass()
                        .getSimpleName() + "); the server's console has the details"));
            }
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        String[] p = path.substring("/api/".length()).split("/", -1);
        if (p.length == 1 && p[0].equals("info")) {
            only(ex, "GET");
            Http.json(ex, 200, settings.infoJson());
        } else if (p.length == 1 && p[0].equals("runs")) {
            if (method.equals("POST")) {
                create(ex);
            } else {
                only(ex, "GET");
                Http.json(ex, 200, list());
            }
        } else if (p.length == 2 && p[0].equals("runs")) {
            if (method.equals("DELETE")) {
                runs.delete(p[1]);
                Http.send(ex, 204, "application/json", new byte[0]);
            } else {
                only(ex, "GET");
                Run r = runs.get(p[1]);
                boolean grids = !"grids=false".equals(ex.getRequestURI().getQuery());
                Http.json(ex, 200, state(r, grids));
            }
        } else if (p.length == 3 && p[0].equals("runs")) {
            runAction(ex, runs.get(p[1]), p[2]);
        } else if (p.length == 1 && p[0].equals("gradient-descent")) {
            only(ex, "POST");
            Http.json(ex, 200, Lecture.gradientDescent(Fields.parse(Http.body(ex, MAX_BODY))));
        } else if (p.length == 1 && p[0].equals("receptive-field")) {
            only(ex, "POST");
            Http.json(ex, 200, Lecture.receptiveField(Fields.parse(Http.body(ex, MAX_BODY))));
        } else if (!audio.route(ex, method, p)) {
            throw ApiError.notFound("no API " + method + " " + Fields.clip(path) + "; see GET /api/info and "
                    + "docs/studio.md");
        }
    }

    private void create(HttpExchange ex) throws IOException {
        Fields f = Fields.parse(Http.body(ex, MAX_BODY));
        String kind = f.choice("kind", "playground", List.of("playground", "train"));
        Run r;
        if (kind.equals("playground")) {
            PlaygroundSpec spec = PlaygroundSpec.parse(f);
            spec.data();                                    // refuse bad data before a run is held
            r = runs.add(id -> new PlaygroundRun(id, spec));
        } else {
            TrainSpec spec = TrainSpec.parse(f, settings);
            r = runs.add(id -> new TrainingRun(id, spec, settings));
        }
        ex.getResponseHeaders().set("Location", "/api/runs/" + r.id);
        Http.json(ex, 201, "{\"id\": " + JsonText.quote(r.id) + ", \"kind\": " + JsonText.quote(r.kind()) + "}");
    }

    private String list() {
        StringBuilder s = new StringBuilder("{\"runs\": [");
        List<Run> all = runs.all();
        all.sort(java.util.Comparator.comparingLong(r -> Long.parseLong(r.id)));
        for (int i = 0; i < all.size(); i++) {
            Run r = all.get(i);
            s.append(i == 0 ? "" : ", ").append("{\"id\": ").append(JsonText.quote(r.id)).append(", \"kind\": ")
                    .append(JsonText.quote(r.kind())).append(", \"playing\": ").append(r.playing()).append('}');
        }
        return s.append("], \"limit\": ").append(settings.maxRuns()).append('}').toString();
    }

    private void runAction(HttpExchange ex, Run r, String action) throws IOException {
        switch (action) {
            case "step" -> {
                only(ex, "POST");
                Fields f = Fields.parse(Http.body(ex, MAX_BODY)).only(Set.of("steps"));
                int steps = f.integer("steps", 1, 1, 100_000);
                PlaygroundRun p = playground(r, "step");
                if (p.playing()) {
                    throw new ApiError(409, null, "run " + r.id + " is playing; pause it before stepping");
                }
                p.lock.lock();
                try {
                    p.steps(steps);
                    Http.json(ex, 200, p.state(true));
                } finally {
                    p.lock.unlock();
                }
                p.changed();
            }
            case "settings" -> {
                only(ex, "POST");
                Fields f = Fields.parse(Http.body(ex, MAX_BODY));
                PlaygroundRun p = playground(r, "settings");
                p.lock.lock();
                try {
                    p.set(f);
                } finally {
                    p.lock.unlock();
                }
                p.changed();
                Http.json(ex, 200, state(r, false));
            }
            case "play" -> {
                only(ex, "POST");
                Fields f = Fields.parse(Http.body(ex, MAX_BODY)).only(Set.of("stepsPerSecond"));
                double speed = f.number("stepsPerSecond", 0, 0, 1e7);
                if (r instanceof PlaygroundRun p) {
                    if (p.divergence() != null) {
                        throw new ApiError(409, null, "run " + r.id + " diverged; reset it (a new run) with a "
                                + "smaller learning rate");
                    }
                    p.limitSpeed(speed);
                }
                r.play();
                Http.json(ex, 200, state(r, false));
            }
            case "pause" -> {
                only(ex, "POST");
                Fields.parse(Http.body(ex, MAX_BODY)).only(Set.of());
                r.pause();
                Http.json(ex, 200, state(r, false));
            }
            case "events" -> {
                only(ex, "GET");
                events(ex, r);
            }
            case "points" -> {
                only(ex, "GET");
                Http.json(ex, 200, playground(r, "points").pointsJson());
            }
            case "model" -> {
                only(ex, "GET");
                byte[] file;
                r.lock.lock();
                try {
                    file = r instanceof PlaygroundRun p ? p.modelFile() : ((TrainingRun) r).modelFile();
                } finally {
                    r.lock.unlock();
                }
                ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + r.kind() + "-"
                        + r.id + ".lanes\"");
                Http.send(ex, 200, "application/octet-stream", file);
            }
            case "examples" -> {
                only(ex, "GET");
                Http.json(ex, 200, training(r, "examples").examples(ex.getRequestURI().getRawQuery()));
            }
            case "predict" -> {
                only(ex, "POST");
                Http.json(ex, 200, training(r, "predict").predict(Fields.parse(Http.body(ex, MAX_BODY))));
            }
            default -> throw ApiError.notFound("no action \"" + Fields.clip(action) + "\" on a run; the actions "
                    + "are step, settings, play, pause, events, points, model, examples, predict");
        }
    }

    private static String state(Run r, boolean grids) {
        r.lock.lock();
        try {
            return r instanceof PlaygroundRun p ? p.state(grids) : r.state();
        } finally {
            r.lock.unlock();
        }
    }

    private static PlaygroundRun playground(Run r, String action) {
        if (r instanceof PlaygroundRun p) {
            return p;
        }
        throw new ApiError(409, null, action + " is for playground runs; run " + r.id + " is a " + r.kind()
                + " run");
    }

    private static TrainingRun training(Run r, String action) {
        if (r instanceof TrainingRun t) {
            return t;
        }
        throw new ApiError(409, null, action + " is for train runs; run " + r.id + " is a " + r.kind() + " run");
    }

    // a state event at every change, at most one per FRAME_NANOS; a comment every 5 s keeps the stream (and the
    // run) alive; "end" when the run ends; the stream ends when the page goes
    private void events(HttpExchange ex, Run r) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, 0);
        r.watch(1);
        try (OutputStream out = ex.getResponseBody()) {
            long seen = -1;
            long last = 0;
            while (!r.closed()) {
                long wait = (last + FRAME_NANOS - System.nanoTime()) / 1_000_000L;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                long v = r.awaitChange(seen, 5_000);
                if (r.closed()) {
                    break;
                }
                if (v == seen) {
                    out.write(": alive\n\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    seen = v;
                    last = System.nanoTime();
                    out.write(("event: state\ndata: " + state(r, true) + "\n\n").getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                r.touch();
            }
            out.write("event: end\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // the page went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            r.watch(-1);
        }
    }

    static void only(HttpExchange ex, String method) {
        if (!ex.getRequestMethod().equals(method)) {
            ex.getResponseHeaders().set("Allow", method);
            throw new ApiError(405, null, ex.getRequestMethod() + " " + ex.getRequestURI().getPath()
                    + " is not allowed; use " + method);
        }
    }
}
