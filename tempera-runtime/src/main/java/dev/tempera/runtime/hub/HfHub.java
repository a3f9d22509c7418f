package dev.tempera.runtime.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Downloads files of Hugging Face hub models into the shared {@link HfCache}, the way the Python
 * {@code hf_hub_download} does, and lists a repo's files.
 *
 * <p>One download, step by step:
 * <ol>
 *   <li>Offline ({@code HF_HUB_OFFLINE=1}): the cached file or an error; the network is never used.</li>
 *   <li>A commit-sha revision whose file is cached returns at once, without a request.</li>
 *   <li>{@code HEAD {endpoint}/{org}/{name}/resolve/{quote(revision)}/{path}}, following relative redirects only
 *       (a renamed repo); the commit comes from {@code X-Repo-Commit}, the ETag from {@code X-Linked-Etag} or
 *       {@code ETag} ({@code W/} and quotes removed), the size from {@code X-Linked-Size} or {@code Content-Length}.
 *       An absolute redirect (the CDN of a large file) is where the GET starts.</li>
 *   <li>{@code refs/{revision}} is set to the commit (not for a commit-sha revision).</li>
 *   <li>Unless {@code blobs/{etag}} exists: GET into {@code blobs/{etag}.{8 hex}.incomplete}, following redirects.
 *       A partial file left by an earlier, broken download is resumed with {@code Range: bytes=N-}; when the
 *       connection breaks again the partial file stays for the next call. The size is checked, and the sha256
 *       too when the ETag is a 64-hex sha256 (LFS files); a failing file is deleted. Then it is renamed to
 *       {@code blobs/{etag}} atomically.</li>
 *   <li>{@code snapshots/{commit}/{path}} is linked to the blob and returned.</li>
 * </ol>
 *
 * <p>The token ({@link HfEnvironment#token()}) is sent as {@code Authorization: Bearer} only to the endpoint's own
 * scheme, host and port, never to the CDN a redirect points at. A download holds a lock per blob
 * ({@code .locks/...}) so two threads or processes never write the same partial file. A download that receives no
 * byte for 60 s is given up. Downloads are not retried within one call: call again to resume. Instances are thread
 * safe; progress is reported from the HTTP client's threads, one call at a time.
 *
 * <pre>{@code
 * HfHub hub = new HfHub(HfEnvironment.fromSystem());
 * Path config = hub.download(ModelRef.of("onnx-community/Qwen2-VL-2B-Instruct"), "config.json");
 * }</pre>
 */
public final class HfHub {

    private static final int MAX_REDIRECTS = 10;
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SAFE_ETAG = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final String USER_AGENT = "tempera/0.1; java/" + Runtime.version().feature();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HfEnvironment env;
    private final HfCache cache;
    private final HttpClient http;
    private final URI endpoint;
    private final Duration idleTimeout;

    /** A hub client with its own {@link HttpClient} (30 s connect timeout). */
    public HfHub(HfEnvironment env) {
        this(env, HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30)).build());
    }

    /**
     * A hub client on {@code http}, which must not follow redirects itself ({@link HttpClient.Redirect#NEVER}):
     * this class follows them so that the token never reaches another host.
     */
    public HfHub(HfEnvironment env, HttpClient http) {
        this(env, new HfCache(env.hubCache()), http);
    }

    HfHub(HfEnvironment env, HfCache cache, HttpClient http) {
        this(env, cache, http, IDLE_TIMEOUT);
    }

    /** {@code idleTimeout}: how long a download may go without receiving a byte before it is given up. */
    HfHub(HfEnvironment env, HfCache cache, HttpClient http, Duration idleTimeout) {
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.env = Objects.requireNonNull(env, "env");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.http = Objects.requireNonNull(http, "http");
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("http client must not follow redirects (HttpClient.Redirect.NEVER), but "
                    + "follows: " + http.followRedirects() + "; HfHub follows them itself so that the token stays on the hub");
        }
        this.endpoint = URI.create(env.endpoint());
    }

    public HfEnvironment environment() {
        return env;
    }

    public HfCache cache() {
        return cache;
    }

    /** {@code {endpoint}/{org}/{name}/resolve/{revision}/{path}}: the revision quoted entirely, the path except {@code /}. */
    public URI resolveUrl(ModelRef ref, String path) {
        return URI.create(env.endpoint() + "/" + ref.repoId() + "/resolve/" + RepoPaths.quote(ref.revision(), "") + "/"
                + RepoPaths.quote(RepoPaths.check(path), "/"));
    }

    /** {@link #download(ModelRef, String, DownloadProgress)} without progress reports. */
    public Path download(ModelRef ref, String path) {
        return download(ref, path, DownloadProgress.silent());
    }

    /**
     * The local path of {@code path} in {@code ref}, downloaded if needed (see the class comment).
     *
     * @return {@code {hubCache}/models--org--name/snapshots/{commit}/{path}}
     * @throws IllegalArgumentException when {@code path} is not a clean relative repo path
     * @throws HfHubException when the file cannot be had: HTTP error, broken connection, failed check, offline
     * @throws UncheckedIOException when the cache cannot be written
     */
    public Path download(ModelRef ref, String path, DownloadProgress progress) {
        Objects.requireNonNull(ref, "ref");
        RepoPaths.check(path);
        Objects.requireNonNull(progress, "progress");
        if (env.offline()) {
            return cache.file(ref, path).orElseThrow(() -> offlineMissing(ref, path));
        }
        if (ref.pinned()) {
            Optional<Path> cached = cache.file(ref, path);
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        Metadata meta = head(ref, path, resolveUrl(ref, path));
        cache.tag();
        cache.writeRef(ref, meta.commit);
        Path pointer = cache.pointer(ref.repoId(), meta.commit, path);
        if (Files.isRegularFile(pointer)) {
            return pointer;
        }
        Path blob = cache.blob(ref.repoId(), meta.etag);
        if (!Files.isRegularFile(blob)) {
            try (BlobLock lock = BlobLock.acquire(cache.lockFile(ref.repoId(), meta.etag))) {
                if (!Files.isRegularFile(blob)) {
                    fetch(ref, path, meta, blob, progress);
                }
            }
        }
        return cache.link(ref.repoId(), meta.commit, path, meta.etag);
    }

    /**
     * The commit {@code ref} resolves to and its files: {@code GET {endpoint}/api/models/{org}/{name}/revision/{rev}}.
     *
     * @throws HfHubException on HTTP errors, a broken connection, an unexpected answer, or offline mode
     */
    public RepoFiles listFiles(ModelRef ref) {
        Objects.requireNonNull(ref, "ref");
        String what = "file list";
        if (env.offline()) {
            throw new HfHubException("model '" + ref.repoId() + "' " + what + " at revision '" + ref.revision()
                    + "' needs the hub, and HF_HUB_OFFLINE=1 forbids using the network");
        }
        URI current = URI.create(env.endpoint() + "/api/models/" + ref.repoId() + "/revision/"
                + RepoPaths.quote(ref.revision(), ""));
        for (int hop = 0; ; hop++) {
            HttpResponse<byte[]> r = send(request(current).header("Accept", "application/json").GET()
                    .timeout(METADATA_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray(), ref, what, current);
            int status = r.statusCode();
            if (isRedirect(status)) {
                current = redirectTarget(ref, what, current, r.headers(), hop);
                continue;
            }
            if (status != 200) {
                throw httpError(ref, what, status, current, r.headers());
            }
            try {
                JsonNode root = JSON.readTree(r.body());
                String sha = root.path("sha").asText("");
                List<String> files = new ArrayList<>();
                for (JsonNode sibling : root.path("siblings")) {
                    String name = sibling.path("rfilename").asText("");
                    if (!name.isEmpty()) {
                        files.add(name);
                    }
                }
                if (!ModelRef.isCommit(sha)) {
                    throw new HfHubException("model '" + ref.repoId() + "' " + what + ": the answer from " + current
                            + " has no 40-hex 'sha' (is HF_ENDPOINT " + env.endpoint() + " a Hugging Face hub?)");
                }
                return new RepoFiles(sha, files);
            } catch (IOException e) {
                throw new HfHubException("model '" + ref.repoId() + "' " + what + ": the answer from " + current
                        + " is not JSON: " + e.getMessage(), 0, e);
            }
        }
    }

    // ---- metadata -------------------------------------------------------------------------------------------

    /** What a HEAD on the resolve URL told; {@code size} -1 when unknown; {@code location} where to GET. */
    private record Metadata(String commit, String etag, long size, URI location) {}

    private Metadata head(ModelRef ref, String path, URI url) {
        String what = "file '" + path + "'";
        URI current = url;
        for (int hop = 0; ; hop++) {
            HttpResponse<Void> r = send(request(current).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(METADATA_TIMEOUT).build(), HttpResponse.BodyHandlers.discarding(), ref, what, current);
            int status = r.statusCode();
            if (isRedirect(status)) {
                URI target = redirectTarget(ref, what, current, r.headers(), hop);
                if (r.headers().firstValue("Location").map(l -> URI.create(l).getRawAuthority() == null).orElse(false)) {
                    current = target;
                    continue;
                }
                return metadata(ref, what, r.headers(), current, target);
            }
            if (status >= 200 && status < 300) {
                return metadata(ref, what, r.headers(), current, current);
            }
            String code = r.headers().firstValue("X-Error-Code").orElse("");
            if (status == 404 && !code.equals("RepositoryNotFound") && !code.equals("RevisionNotFound")) {
                r.headers().firstValue("X-Repo-Commit").filter(ModelRef::isCommit)
                        .ifPresent(c -> cache.markMissing(ref.repoId(), c, path));
            }
            throw httpError(ref, what, status, current, r.headers());
        }
    }

    private Metadata metadata(ModelRef ref, String what, HttpHeaders h, URI from, URI location) {
        String subject = "model '" + ref.repoId() + "' " + what + ": the answer from " + from;
        String commit = h.firstValue("X-Repo-Commit").orElse("");
        if (!ModelRef.isCommit(commit)) {
            throw new HfHubException(subject + " has no 40-hex X-Repo-Commit header (is HF_ENDPOINT " + env.endpoint()
                    + " a Hugging Face hub?), but: '" + commit + "'");
        }
        String etag = normalizeEtag(h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).orElse(""));
        if (!SAFE_ETAG.matcher(etag).matches()) {
            throw new HfHubException(subject + " has no usable ETag (letters, digits, '.', '_', '-'), but: '" + etag + "'");
        }
        long size = h.firstValue("X-Linked-Size").or(() -> h.firstValue("Content-Length")).map(HfHub::parseSize).orElse(-1L);
        return new Metadata(commit, etag, size, location);
    }

    /** {@code W/"abc"} → {@code abc}. */
    static String normalizeEtag(String raw) {
        String s = raw.trim();
        if (s.startsWith("W/")) {
            s = s.substring(2);
        }
        return s.replace("\"", "");
    }

    private static long parseSize(String s) {
        try {
            long v = Long.parseLong(s.trim());
            return v >= 0 ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- download -------------------------------------------------------------------------------------------

    private void fetch(ModelRef ref, String path, Metadata meta, Path blob, DownloadProgress progress) {
        Path partial = incompleteFile(blob.getParent(), meta.etag);
        MessageDigest sha = SHA256.matcher(meta.etag).matches() ? sha256() : null;
        URI from = meta.location;
        try {
            for (int attempt = 0; ; attempt++) {
                long have = Files.exists(partial) ? Files.size(partial) : 0;
                if (meta.size >= 0 && have > meta.size) {
                    Files.delete(partial);
                    have = 0;
                }
                if (sha != null) {
                    sha.reset();
                    if (have > 0) {
                        digestFile(partial, sha);
                    }
                }
                if (!(have > 0 && have == meta.size)) {
                    from = get(ref, path, meta, partial, have, sha, progress);
                    if (from == null) {
                        if (attempt > 0) {
                            throw new HfHubException("model '" + ref.repoId() + "' file '" + path + "': " + meta.location
                                    + " refused the byte range twice (416); the partial file was deleted", 416, null);
                        }
                        Files.deleteIfExists(partial);
                        continue;
                    }
                }
                long got = Files.size(partial);
                if (meta.size >= 0 && got != meta.size) {
                    Files.delete(partial);
                    throw new HfHubException("model '" + ref.repoId() + "' file '" + path + "': got " + got + " bytes from "
                            + from + ", but the hub said the file has " + meta.size
                            + " bytes (X-Linked-Size / Content-Length); the download was deleted");
                }
                if (sha != null) {
                    String actual = HexFormat.of().formatHex(sha.digest());
                    if (!actual.equals(meta.etag)) {
                        Files.delete(partial);
                        throw new HfHubException("model '" + ref.repoId() + "' file '" + path + "': the sha256 of the "
                                + got + " bytes from " + from + " is " + actual + ", but its ETag says " + meta.etag
                                + "; the download was deleted");
                    }
                }
                HfCache.move(partial, blob);
                progress.finished(path, got);
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the download of model '" + ref.repoId() + "' file '" + path
                    + "' (" + partial + ")", e);
        }
    }

    /**
     * GETs the rest of the file into {@code partial}, which has {@code have} bytes already. Returns the URL that
     * served the bytes, or null when the server refused the range (416).
     */
    private URI get(ModelRef ref, String path, Metadata meta, Path partial, long have, MessageDigest sha,
            DownloadProgress progress) throws IOException {
        String what = "file '" + path + "'";
        URI current = meta.location;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder req = request(current).GET().timeout(DOWNLOAD_TIMEOUT);
            if (have > 0) {
                req.header("Range", "bytes=" + have + "-");
            }
            BodyToFile[] writer = new BodyToFile[1];
            String[] badRange = new String[1];
            HttpResponse.BodyHandler<Long> handler = info -> {
                int status = info.statusCode();
                String range = info.headers().firstValue("Content-Range").orElse("");
                if (status == 206 && !range.startsWith("bytes " + have + "-")) {
                    badRange[0] = range;
                    return HttpResponse.BodySubscribers.replacing(-1L);
                }
                if (status != 200 && status != 206) {
                    return HttpResponse.BodySubscribers.replacing(-1L);
                }
                if (status == 200 && sha != null) {
                    sha.reset(); // the server ignored the range: the whole file comes again
                }
                try {
                    writer[0] = new BodyToFile(partial, status == 206, have, sha, progress, path, meta.size);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + partial, e);
                }
                return writer[0];
            };
            HttpResponse<Long> r = await(http.sendAsync(req.build(), handler), writer, ref, path, current, partial, meta.size);
            int status = r.statusCode();
            if (isRedirect(status)) {
                current = redirectTarget(ref, what, current, r.headers(), hop);
                continue;
            }
            if (status == 416) {
                return null;
            }
            if (badRange[0] != null) {
                throw new HfHubException("model '" + ref.repoId() + "' " + what + ": asked " + current + " for bytes "
                        + have + "- and got Content-Range '" + badRange[0] + "'", 206, null);
            }
            if (status != 200 && status != 206) {
                throw httpError(ref, what, status, current, r.headers());
            }
            return current;
        }
    }

    /** Waits for a GET to finish, giving up when no byte came for {@link #idleTimeout}. */
    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> future, BodyToFile[] writer, ModelRef ref,
            String path, URI url, Path partial, long total) {
        while (true) {
            try {
                return future.get(Math.min(1_000, Math.max(10, idleTimeout.toMillis() / 4)), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                BodyToFile w = writer[0];
                if (w != null && w.idleNanos() > idleTimeout.toNanos()) {
                    w.abandon("no data for " + idleTimeout.toMillis() + " ms");
                }
            } catch (InterruptedException e) {
                future.cancel(true);
                if (writer[0] != null) {
                    writer[0].abandon("interrupted");
                }
                Thread.currentThread().interrupt();
                throw new HfHubException("model '" + ref.repoId() + "' file '" + path + "': interrupted while downloading "
                        + url + "; the partial file " + partial + " is kept and the next download resumes from it", 0, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UncheckedIOException local) {
                    throw local; // the partial file could not be opened: a local problem, not the network's
                }
                Throwable cause = e.getCause();
                if (writer[0] == null) {
                    throw new HfHubException("model '" + ref.repoId() + "' file '" + path + "': cannot reach " + url + " ("
                            + cause + "); to use only the local cache, set HF_HUB_OFFLINE=1", 0, cause);
                }
                long done = writer[0].done();
                throw new HfHubException("model '" + ref.repoId() + "' file '" + path + "': the download from " + url
                        + " broke off after " + done + (total >= 0 ? " of " + total : "") + " bytes (" + cause
                        + "); the partial file " + partial + " is kept and the next download resumes from it", 0, cause);
            }
        }
    }

    /** The largest {@code {etag}.*.incomplete} left by an earlier download (others are deleted), or a new name. */
    private static Path incompleteFile(Path blobs, String etag) {
        try {
            Files.createDirectories(blobs);
            Path best = null;
            List<Path> others = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(blobs, etag + ".*.incomplete")) {
                for (Path p : ds) {
                    if (best == null || Files.size(p) > Files.size(best)) {
                        if (best != null) {
                            others.add(best);
                        }
                        best = p;
                    } else {
                        others.add(p);
                    }
                }
            }
            for (Path p : others) {
                Files.deleteIfExists(p);
            }
            return best != null ? best
                    : blobs.resolve(etag + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + ".incomplete");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a download in " + blobs, e);
        }
    }

    private static void digestFile(Path file, MessageDigest sha) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    // ---- HTTP -----------------------------------------------------------------------------------------------

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("User-Agent", USER_AGENT)
                .header("Accept-Encoding", "identity");
        if (env.hasToken() && sameOrigin(uri, endpoint)) {
            b.header("Authorization", "Bearer " + env.token());
        }
        return b;
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private URI redirectTarget(ModelRef ref, String what, URI current, HttpHeaders h, int hop) {
        String location = h.firstValue("Location").orElseThrow(() -> new HfHubException("model '" + ref.repoId() + "' "
                + what + ": " + current + " redirected without a Location header"));
        if (hop + 1 >= MAX_REDIRECTS) {
            throw new HfHubException("model '" + ref.repoId() + "' " + what + ": more than " + MAX_REDIRECTS
                    + " redirects, the last from " + current + " to " + location);
        }
        try {
            return current.resolve(URI.create(location));
        } catch (IllegalArgumentException e) {
            throw new HfHubException("model '" + ref.repoId() + "' " + what + ": " + current
                    + " redirected to an unusable Location '" + location + "'", 0, e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, ModelRef ref, String what,
            URI url) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new HfHubException("model '" + ref.repoId() + "' " + what + ": cannot reach " + url + " (" + e
                    + "); to use only the local cache, set HF_HUB_OFFLINE=1", 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HfHubException("model '" + ref.repoId() + "' " + what + ": interrupted while talking to " + url, 0, e);
        }
    }

    private HfHubException httpError(ModelRef ref, String what, int status, URI url, HttpHeaders h) {
        String code = h.firstValue("X-Error-Code").orElse("");
        String serverSays = h.firstValue("X-Error-Message").map(m -> " (" + m + ")").orElse("");
        String repo = "model '" + ref.repoId() + "'";
        String at = " at revision '" + ref.revision() + "'";
        String message;
        if (status == 401 || status == 403) {
            message = repo + " " + what + at + ": " + status + " from " + url + serverSays + "; " + (env.hasToken()
                    ? "the token from " + env.tokenSource() + " was refused: check that it can read " + ref.repoId()
                            + " and, for a gated model, that its terms were accepted on the hub"
                    : "the repository is private, gated or does not exist: set HF_TOKEN to an access token that can "
                            + "read it (or log in with `huggingface-cli login`)");
        } else if (status == 404 && code.equals("RepositoryNotFound")) {
            message = repo + " does not exist on " + env.endpoint() + ": 404 from " + url + serverSays;
        } else if (status == 404 && code.equals("RevisionNotFound")) {
            message = repo + " has no revision '" + ref.revision() + "': 404 from " + url + serverSays;
        } else if (status == 404) {
            message = repo + " " + what + " does not exist" + at + ": 404 from " + url + serverSays;
        } else {
            message = repo + " " + what + at + ": HTTP " + status + " from " + url + serverSays;
        }
        return new HfHubException(message, status, null);
    }

    private HfHubException offlineMissing(ModelRef ref, String path) {
        String where = "the local Hugging Face cache (" + cache.root() + ")";
        if (cache.knownMissing(ref, path)) {
            return new HfHubException("model '" + ref.repoId() + "' file '" + path + "' does not exist at revision '"
                    + ref.revision() + "' (a .no_exist marker in " + where + " says so), and HF_HUB_OFFLINE=1 forbids "
                    + "asking the hub again");
        }
        return new HfHubException("model '" + ref.repoId() + "' file '" + path + "' is not in " + where
                + " and HF_HUB_OFFLINE=1 forbids downloading it");
    }

    @Override
    public String toString() {
        return "HfHub[" + env.endpoint() + ", " + cache.root() + (env.offline() ? ", offline" : "") + "]";
    }
}
