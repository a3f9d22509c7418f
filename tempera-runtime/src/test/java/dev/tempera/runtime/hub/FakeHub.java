package dev.tempera.runtime.hub;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A loopback stand-in for the Hugging Face hub, close enough to the real one for {@link HfHub}: resolve URLs
 * answer HEAD and GET with {@code X-Repo-Commit}, {@code ETag} (git blob sha1 for small files) or
 * {@code X-Linked-Etag}/{@code X-Linked-Size} (sha256 for LFS files), honour {@code Range: bytes=N-}, send LFS files
 * marked {@code viaCdn} through a 302 to a second server (the "CDN", another port, so another origin), redirect a
 * renamed repo with a relative {@code Location}, and list files at {@code /api/models/{id}/revision/{rev}}.
 * Every request to either server is recorded.
 */
final class FakeHub implements AutoCloseable {

    /** One recorded request; {@code server} is "hub" or "cdn", {@code rawPath} is as sent (still percent-encoded). */
    record Request(String server, String method, String rawPath, String authorization, String range) {}

    /** A file in a fake repo, with the faults a test can ask for. */
    static final class Entry {
        final byte[] content;
        final boolean lfs;
        boolean viaCdn;
        /** Size the metadata claims; -1 = the real size. */
        long claimedSize = -1;
        /** An ETag to claim instead of the real hash; null = the real one. */
        String claimedEtag;
        /** On the first GET, send only this many bytes and drop the connection; -1 = never. */
        int dropAfter = -1;
        boolean dropped;
        /** On the first GET, send only this many bytes and then nothing for {@code stallMillis}; -1 = never. */
        int stallAfter = -1;
        long stallMillis;
        boolean stalled;

        Entry(byte[] content, boolean lfs) {
            this.content = content;
            this.lfs = lfs;
        }

        String etag() {
            if (claimedEtag != null) {
                return claimedEtag;
            }
            return lfs ? hex("SHA-256", content) : gitBlobSha1(content);
        }

        long size() {
            return claimedSize >= 0 ? claimedSize : content.length;
        }
    }

    /** A fake repo: revisions to commits, files (the same at every commit), and an optional required token. */
    static final class Repo {
        final String id;
        final Map<String, String> refs = new LinkedHashMap<>();
        final Map<String, Entry> files = new LinkedHashMap<>();
        String token;

        Repo(String id) {
            this.id = id;
            refs.put("main", hex("SHA-1", id.getBytes(StandardCharsets.UTF_8)));
        }

        String commit(String revision) {
            if (refs.containsValue(revision)) {
                return revision;
            }
            return refs.get(revision);
        }

        Entry add(String path, String text) {
            return add(path, text.getBytes(StandardCharsets.UTF_8), false);
        }

        Entry add(String path, byte[] content, boolean lfs) {
            Entry e = new Entry(content, lfs);
            files.put(path, e);
            return e;
        }
    }

    private final HttpServer hub;
    private final HttpServer cdn;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, String> renamed = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ExecutorService workers = Executors.newCachedThreadPool();

    FakeHub() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        hub = HttpServer.create(loopback, 0);
        cdn = HttpServer.create(loopback, 0);
        hub.setExecutor(workers);
        cdn.setExecutor(workers);
        hub.createContext("/", this::hub);
        cdn.createContext("/", this::cdn);
        hub.start();
        cdn.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    String cdnOrigin() {
        return "http://127.0.0.1:" + cdn.getAddress().getPort();
    }

    Repo repo(String id) {
        return repos.computeIfAbsent(id, Repo::new);
    }

    /** Requests for {@code oldId} are redirected (relative Location) to {@code newId}. */
    void rename(String oldId, String newId) {
        renamed.put(oldId, newId);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        workers.shutdownNow();
    }

    // ---- hub ------------------------------------------------------------------------------------------------

    private void hub(HttpExchange ex) throws IOException {
        String raw = ex.getRequestURI().getRawPath();
        record(ex, "hub");
        try {
            if (raw.startsWith("/api/models/")) {
                listing(ex, raw.substring("/api/models/".length()));
                return;
            }
            String[] parts = raw.substring(1).split("/", 5);
            if (parts.length < 5 || !parts[2].equals("resolve")) {
                send(ex, 404, new byte[0]);
                return;
            }
            String id = parts[0] + "/" + parts[1];
            if (renamed.containsKey(id)) {
                ex.getResponseHeaders().set("Location", "/" + renamed.get(id) + raw.substring(1 + id.length()));
                ex.sendResponseHeaders(307, -1);
                return;
            }
            Repo repo = repos.get(id);
            if (repo == null) {
                error(ex, 404, "RepositoryNotFound", "Repository not found", null);
                return;
            }
            if (!authorized(ex, repo)) {
                return;
            }
            String commit = repo.commit(decode(parts[3]));
            if (commit == null) {
                error(ex, 404, "RevisionNotFound", "Invalid rev id: " + decode(parts[3]), null);
                return;
            }
            String path = decode(parts[4]);
            Entry e = repo.files.get(path);
            if (e == null) {
                error(ex, 404, "EntryNotFound", "Entry not found", commit);
                return;
            }
            Headers h = ex.getResponseHeaders();
            h.set("X-Repo-Commit", commit);
            if (e.lfs) {
                h.set("X-Linked-Etag", "\"" + e.etag() + "\"");
                h.set("X-Linked-Size", Long.toString(e.size()));
                h.set("ETag", "\"not-the-blob-etag\"");
            } else {
                h.set("ETag", "W/\"" + e.etag() + "\"");
            }
            if (e.viaCdn) {
                h.set("Location", cdnOrigin() + "/cdn/" + e.etag());
                ex.sendResponseHeaders(302, -1);
                return;
            }
            serve(ex, e);
        } finally {
            ex.close();
        }
    }

    private void listing(HttpExchange ex, String rest) throws IOException {
        int at = rest.indexOf("/revision/");
        String id = at < 0 ? rest : rest.substring(0, at);
        Repo repo = repos.get(id);
        if (repo == null) {
            error(ex, 404, "RepositoryNotFound", "Repository not found", null);
            return;
        }
        if (!authorized(ex, repo)) {
            return;
        }
        String commit = repo.commit(at < 0 ? "main" : decode(rest.substring(at + "/revision/".length())));
        if (commit == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id", null);
            return;
        }
        String siblings = repo.files.keySet().stream().map(f -> "{\"rfilename\":\"" + f + "\"}")
                .collect(Collectors.joining(","));
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, 200, ("{\"id\":\"" + id + "\",\"sha\":\"" + commit + "\",\"siblings\":[" + siblings + "]}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private boolean authorized(HttpExchange ex, Repo repo) throws IOException {
        if (repo.token == null || ("Bearer " + repo.token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        error(ex, 401, "GatedRepo", "Access to model " + repo.id + " is restricted", null);
        return false;
    }

    // ---- cdn ------------------------------------------------------------------------------------------------

    private void cdn(HttpExchange ex) throws IOException {
        record(ex, "cdn");
        try {
            String etag = ex.getRequestURI().getPath().substring("/cdn/".length());
            for (Repo repo : repos.values()) {
                for (Entry e : repo.files.values()) {
                    if (e.etag().equals(etag)) {
                        serve(ex, e);
                        return;
                    }
                }
            }
            send(ex, 404, new byte[0]);
        } finally {
            ex.close();
        }
    }

    // ---- shared ---------------------------------------------------------------------------------------------

    /** Answers a HEAD with the size, or a GET with the body from the requested offset (and maybe a fault). */
    private void serve(HttpExchange ex, Entry e) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            if (!e.lfs) {
                ex.getResponseHeaders().set("Content-Length", Long.toString(e.size()));
            }
            ex.sendResponseHeaders(200, -1);
            return;
        }
        int from = 0;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            if (from >= e.content.length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + e.content.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (e.content.length - 1) + "/" + e.content.length);
        }
        int length = e.content.length - from;
        ex.sendResponseHeaders(range != null ? 206 : 200, length);
        OutputStream out = ex.getResponseBody();
        if (e.dropAfter >= 0 && !e.dropped) {
            e.dropped = true;
            out.write(e.content, from, Math.min(e.dropAfter, length));
            out.flush();
            // A handler that throws makes HttpServer close the connection, mid-body here.
            throw new IOException("fake hub drops the connection after " + e.dropAfter + " bytes");
        }
        if (e.stallAfter >= 0 && !e.stalled) {
            e.stalled = true;
            out.write(e.content, from, Math.min(e.stallAfter, length));
            out.flush();
            try {
                Thread.sleep(e.stallMillis);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("fake hub gives up on a stalled response");
        }
        out.write(e.content, from, length);
    }

    private static void error(HttpExchange ex, int status, String code, String message, String commit) throws IOException {
        ex.getResponseHeaders().set("X-Error-Code", code);
        ex.getResponseHeaders().set("X-Error-Message", message);
        if (commit != null) {
            ex.getResponseHeaders().set("X-Repo-Commit", commit);
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
        } else {
            send(ex, status, message.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    private void record(HttpExchange ex, String server) {
        requests.add(new Request(server, ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Range")));
    }

    /** Percent-decoding of a path part (no '+' rule: that is for query strings). */
    static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The id git gives a blob: sha1 of "blob {size}\0" + content (what the hub uses as ETag for non-LFS files). */
    static String gitBlobSha1(byte[] content) {
        byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[header.length + content.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(content, 0, all, header.length, content.length);
        return hex("SHA-1", all);
    }

    /** Deterministic bytes 0..n-1 of a simple pattern, so a wrong offset shows. */
    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >> 8));
        }
        return b;
    }

    static List<Request> only(List<Request> rs, String server) {
        List<Request> out = new ArrayList<>();
        for (Request r : rs) {
            if (r.server().equals(server)) {
                out.add(r);
            }
        }
        return out;
    }
}
