package lanes.app.studio;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses, before any handler runs, a request that is not for this server: a {@code Host} header other than the
 * server's own name and port (a DNS-rebinding page reaching the studio under its own name), and an {@code Origin}
 * other than the server's own (another site's page posting to it). Both answer 403 naming the header.
 */
final class Guard extends Filter {
    private final Set<String> hosts;

    /**
     * A guard for a server reached as {@code names} on {@code port}.
     *
     * @param names the host names the server answers to (127.0.0.1, localhost, and the --host given)
     * @param port its port
     */
    Guard(Set<String> names, int port) {
        java.util.Set<String> h = new java.util.HashSet<>();
        for (String n : names) {
            String name = n.contains(":") && !n.startsWith("[") ? "[" + n + "]" : n;
            h.add((name + ":" + port).toLowerCase(Locale.ROOT));
        }
        this.hosts = Set.copyOf(h);
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || !hosts.contains(host.strip().toLowerCase(Locale.ROOT))) {
            Http.error(ex, new ApiError(403, "Host", "Host: \"" + Fields.clip(String.valueOf(host)) + "\" is not "
                    + "this studio's address (" + String.join(" or ", hosts.stream().sorted().toList()) + ")"));
            return;
        }
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null && !sameOrigin(origin)) {
            Http.error(ex, new ApiError(403, "Origin", "Origin: \"" + Fields.clip(origin) + "\" is another site; "
                    + "the studio answers only its own pages"));
            return;
        }
        chain.doFilter(ex);
    }

    private boolean sameOrigin(String origin) {
        try {
            URI u = new URI(origin.strip());
            return "http".equals(u.getScheme()) && u.getPath() != null && u.getPath().isEmpty()
                    && hosts.contains((u.getHost() + ":" + u.getPort()).toLowerCase(Locale.ROOT));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    @Override
    public String description() {
        return "refuses requests whose Host or Origin is not this studio";
    }
}
