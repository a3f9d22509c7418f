package dev.tempera.runtime.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the Hugging Face hub and its local cache are, read from the same environment variables as the Python
 * {@code huggingface_hub} library, so that Java and Python share one cache and one login.
 *
 * <ul>
 *   <li>{@link #endpoint()}: {@code HF_ENDPOINT}, default {@code https://huggingface.co}, trailing {@code /} removed.</li>
 *   <li>{@link #hubCache()}: {@code HF_HUB_CACHE}, else the legacy {@code HUGGINGFACE_HUB_CACHE}, else
 *       {@code $HF_HOME/hub}; {@code HF_HOME} itself defaults to {@code $XDG_CACHE_HOME/huggingface}, else
 *       {@code ~/.cache/huggingface}.</li>
 *   <li>{@link #token()}: {@code HF_TOKEN}, else the legacy {@code HUGGING_FACE_HUB_TOKEN}, else the contents of the
 *       token file ({@code HF_TOKEN_PATH}, default {@code $HF_HOME/token}, which {@code huggingface-cli login}
 *       writes). Surrounding white space and line breaks are removed; an empty token means none.</li>
 *   <li>{@link #offline()}: the first non-empty one of {@code HF_HUB_OFFLINE} and {@code TRANSFORMERS_OFFLINE} is
 *       {@code 1}, {@code ON}, {@code YES} or {@code TRUE} (any case). As in Python, {@code HF_HUB_OFFLINE=0} wins
 *       over {@code TRANSFORMERS_OFFLINE=1}.</li>
 * </ul>
 *
 * <p>What callers trip on: an empty variable counts as unset (Python would use the empty string); a leading
 * {@code ~} is expanded to the home directory, but {@code $VARS} inside values are not. {@link #from} reads the
 * token file once, when it is called. {@link #toString()} never prints the token.
 *
 * <pre>{@code
 * HfEnvironment env = HfEnvironment.fromSystem();
 * HfEnvironment test = HfEnvironment.from(Map.of("HF_HUB_CACHE", "/tmp/hub", "HF_HUB_OFFLINE", "1"), home);
 * }</pre>
 *
 * @param endpoint the hub's base URL, {@code http(s)://host[:port][/path]} without a trailing {@code /}
 * @param hubCache the cache folder holding {@code models--org--name} folders
 * @param token the access token sent as {@code Authorization: Bearer}, or {@code ""} for none
 * @param tokenSource where the token came from ({@code HF_TOKEN}, a file path...), or {@code ""} for none
 * @param offline whether the network must not be used at all
 */
public record HfEnvironment(String endpoint, Path hubCache, String token, String tokenSource, boolean offline) {

    /** The public hub. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    private static final Set<String> TRUTHY = Set.of("1", "ON", "YES", "TRUE");

    public HfEnvironment {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(hubCache, "hubCache");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenSource, "tokenSource");
        endpoint = stripTrailingSlashes(endpoint);
        if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
            throw new IllegalArgumentException("endpoint (HF_ENDPOINT) must be an http:// or https:// URL, but is: '"
                    + endpoint + "'");
        }
        token = cleanToken(token);
        if (token.isEmpty() != tokenSource.isEmpty()) {
            throw new IllegalArgumentException("token and tokenSource must both be set or both be empty, but tokenSource is: '"
                    + tokenSource + "' and the token is " + (token.isEmpty() ? "empty" : "set"));
        }
    }

    /** The variables of this process and {@code user.home}. */
    public static HfEnvironment fromSystem() {
        return from(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Reads the variables from {@code env} (a test passes its own map) with {@code home} standing for {@code ~}.
     *
     * @throws UncheckedIOException when the token file exists but cannot be read
     */
    public static HfEnvironment from(Map<String, String> env, Path home) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(home, "home");
        String endpoint = value(env, "HF_ENDPOINT").orElse(DEFAULT_ENDPOINT);
        Path hfHome = path(env, "HF_HOME", home)
                .orElseGet(() -> path(env, "XDG_CACHE_HOME", home).orElse(home.resolve(".cache")).resolve("huggingface"));
        Path hubCache = path(env, "HF_HUB_CACHE", home)
                .or(() -> path(env, "HUGGINGFACE_HUB_CACHE", home))
                .orElse(hfHome.resolve("hub"));
        String token = "";
        String source = "";
        for (String name : new String[] {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
            Optional<String> t = value(env, name).map(HfEnvironment::cleanToken).filter(s -> !s.isEmpty());
            if (t.isPresent()) {
                token = t.get();
                source = name;
                break;
            }
        }
        if (token.isEmpty()) {
            Path file = path(env, "HF_TOKEN_PATH", home).orElse(hfHome.resolve("token"));
            if (Files.isRegularFile(file)) {
                try {
                    token = cleanToken(Files.readString(file, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the Hugging Face token file " + file, e);
                }
                source = token.isEmpty() ? "" : file.toString();
            }
        }
        boolean offline = value(env, "HF_HUB_OFFLINE").or(() -> value(env, "TRANSFORMERS_OFFLINE"))
                .map(v -> TRUTHY.contains(v.trim().toUpperCase(Locale.ROOT)))
                .orElse(false);
        return new HfEnvironment(endpoint, hubCache, token, source, offline);
    }

    /** The same settings with another cache folder. */
    public HfEnvironment withHubCache(Path dir) {
        return new HfEnvironment(endpoint, dir, token, tokenSource, offline);
    }

    /** The same settings, offline or not. */
    public HfEnvironment withOffline(boolean off) {
        return new HfEnvironment(endpoint, hubCache, token, tokenSource, off);
    }

    /** The same settings with another token; {@code source} says where it came from, for error messages. */
    public HfEnvironment withToken(String newToken, String source) {
        return new HfEnvironment(endpoint, hubCache, newToken, source, offline);
    }

    public boolean hasToken() {
        return !token.isEmpty();
    }

    @Override
    public String toString() {
        return "HfEnvironment[endpoint=" + endpoint + ", hubCache=" + hubCache
                + ", token=" + (hasToken() ? "<set, from " + tokenSource + ">" : "<none>") + ", offline=" + offline + "]";
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static Optional<Path> path(Map<String, String> env, String name, Path home) {
        return value(env, name).map(v -> {
            if (v.equals("~")) {
                return home;
            }
            if (v.startsWith("~/") || v.startsWith("~\\")) {
                return home.resolve(v.substring(2));
            }
            return Path.of(v);
        });
    }

    private static String cleanToken(String raw) {
        return raw.replace("\r", "").replace("\n", "").trim();
    }

    private static String stripTrailingSlashes(String url) {
        String s = url.trim();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
