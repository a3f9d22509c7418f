package dev.tempera.text;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A loopback Hugging Face hub that serves local model folders as repos (resolve URLs with HEAD and GET, the
 * file-listing API), the headers huggingface_hub reads (X-Repo-Commit, ETag = sha256 as for LFS files, Content-Length),
 * and records the paths fetched. Enough for {@link ModelFolders}' tests; the hub client itself is tested in
 * tempera-runtime against a fuller fake.
 */
final class FolderHub implements AutoCloseable {

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private final HttpServer server;
    private final Map<String, Path> repos = new LinkedHashMap<>();
    final List<String> fetched = new ArrayList<>();

    FolderHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void add(String id, Path folder) {
        repos.put(id, folder);
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString().replace('\\', '/'))
                    .sorted().collect(Collectors.toList());
        }
    }

    private synchronized void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/api/models/")) {
                String rest = path.substring("/api/models/".length());
                String id = rest.contains("/revision/") ? rest.substring(0, rest.indexOf("/revision/")) : rest;
                Path folder = repos.get(id);
                if (folder == null) {
                    send(ex, 404, "{\"error\":\"Repository not found\"}");
                    return;
                }
                String siblings = files(folder).stream().map(f -> "{\"rfilename\":\"" + f + "\"}")
                        .collect(Collectors.joining(","));
                ex.getResponseHeaders().set("Content-Type", "application/json");
                send(ex, 200, "{\"id\":\"" + id + "\",\"sha\":\"" + COMMIT + "\",\"siblings\":[" + siblings + "]}");
                return;
            }
            String[] parts = path.substring(1).split("/", 5);
            Path folder = parts.length == 5 ? repos.get(parts[0] + "/" + parts[1]) : null;
            if (folder == null || !parts[2].equals("resolve")) {
                ex.getResponseHeaders().set("X-Error-Code", "RepositoryNotFound");
                send(ex, 404, "Repository not found");
                return;
            }
            Path file = folder.resolve(parts[4]);
            if (!Files.isRegularFile(file)) {
                ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
                send(ex, 404, "Entry not found");
                return;
            }
            byte[] body = Files.readAllBytes(file);
            ex.getResponseHeaders().set("X-Repo-Commit", COMMIT);
            ex.getResponseHeaders().set("ETag", "\"" + sha256(body) + "\"");
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                ex.sendResponseHeaders(200, -1);
                return;
            }
            fetched.add(parts[4]);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } finally {
            ex.close();
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
