package lanes.app.studio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import lanes.layers.io.JsonText;

/** A test's HTTP client of one studio: JSON requests through the JDK's client, raw ones through a socket. */
final class Client {
    /** An answer: its status, its body, and the body as JSON where it is JSON. */
    record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) JsonText.parse(body);
        }

        Object get(String key) {
            return json().get(key);
        }

        /** The refusal's field, checking the answer is a refusal with a message. */
        String field() {
            Map<String, Object> j = json();
            if (!(j.get("error") instanceof String m) || m.isBlank()) {
                throw new AssertionError("not a refusal with a message: " + body);
            }
            return (String) j.get("field");
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    final int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Client(int port) {
        this.port = port;
    }

    Answer send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers());
    }

    /** POSTs bytes of a content type (null: no Content-Type header). */
    Answer postBytes(String path, byte[] body, String type) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers());
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    Answer post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    byte[] bytes(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    /** A new playground run of {@code json}'s settings; its id. */
    String playground(String json) throws IOException, InterruptedException {
        Answer a = post("/api/runs", json);
        if (a.status() != 201) {
            throw new AssertionError("POST /api/runs " + json + " -> " + a);
        }
        return (String) a.get("id");
    }

    /**
     * A request written by hand: {@code head} is the request line and headers (CRLF added), then the body.
     *
     * @return the status and the body
     */
    Answer raw(String head, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            out.write((head.replace("\n", "\r\n") + "\r\nConnection: close\r\nContent-Length: " + b.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(9, 12));
            int split = all.indexOf("\r\n\r\n");
            String rest = split < 0 ? "" : all.substring(split + 4);
            if (all.substring(0, Math.max(0, split)).toLowerCase().contains("transfer-encoding: chunked")) {
                rest = unchunk(rest);
            }
            return new Answer(status, rest, null);
        }
    }

    private static String unchunk(String s) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < s.length()) {
            int eol = s.indexOf("\r\n", at);
            int n = Integer.parseInt(s.substring(at, eol).strip(), 16);
            if (n == 0) {
                break;
            }
            out.append(s, eol + 2, eol + 2 + n);
            at = eol + 2 + n + 2;
        }
        return out.toString();
    }
}
