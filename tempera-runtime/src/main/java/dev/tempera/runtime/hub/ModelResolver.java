package dev.tempera.runtime.hub;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what a user typed, a model folder or a hub id, into a local folder holding the files a
 * {@link FileSelector} asks for.
 *
 * <ol>
 *   <li>An existing directory is returned as is (it wins over a hub id of the same spelling).</li>
 *   <li>Otherwise the text must be {@code org/name} or {@code org/name@revision}.</li>
 *   <li>If the cache has a snapshot for that revision ({@code refs/{revision}} for a branch) and the selector
 *       misses nothing in it, that snapshot folder is returned <b>without any request</b>. A branch therefore stays
 *       at the commit it had at its last download; pass a commit sha or another revision to move.</li>
 *   <li>Offline ({@code HF_HUB_OFFLINE=1}) anything else fails, naming the first missing file.</li>
 *   <li>Online: the hub lists the revision's files; a required file that is not there fails (with the selector's
 *       explanation, e.g. which dtype variants exist); the selected files are downloaded into the snapshot of the
 *       listed commit, and {@code refs/{revision}} is set to it.</li>
 * </ol>
 *
 * <p>Download order: all other files first, then {@code .onnx} graphs last. A graph present in a snapshot
 * therefore means the run that fetched it also finished its configs and external-data files; that is what makes
 * step 3's "misses nothing" safe for selectors that require only the graphs.
 *
 * <pre>{@code
 * ModelResolver resolver = ModelResolver.fromSystem();
 * Path dir = resolver.resolve("onnx-community/Qwen2-VL-2B-Instruct", OnnxFiles.selector(OnnxDtype.Q4F16,
 *         "vision_encoder", "embed_tokens", "decoder_model_merged"));
 * }</pre>
 */
public final class ModelResolver {

    private final HfHub hub;
    private final DownloadProgress progress;

    public ModelResolver(HfHub hub, DownloadProgress progress) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** The environment of this process; a progress bar on standard error when there is a console. */
    public static ModelResolver fromSystem() {
        return new ModelResolver(new HfHub(HfEnvironment.fromSystem()), ConsoleProgress.stderrIfInteractive());
    }

    public HfHub hub() {
        return hub;
    }

    /**
     * A local folder for {@code dirOrId}; see the class comment for the steps.
     *
     * @throws IllegalArgumentException when {@code dirOrId} is neither an existing folder nor a valid hub id
     * @throws HfHubException when the files cannot be found or downloaded
     */
    public Path resolve(String dirOrId, FileSelector selector) {
        Objects.requireNonNull(dirOrId, "dirOrId");
        Objects.requireNonNull(selector, "selector");
        Optional<Path> dir = asDirectory(dirOrId);
        if (dir.isPresent()) {
            return dir.get();
        }
        Optional<ModelRef> ref = ModelRef.tryParse(dirOrId);
        if (ref.isEmpty()) {
            throw new IllegalArgumentException("'" + dirOrId + "' is neither a folder nor a Hugging Face id (org/name"
                    + " or org/name@revision)" + (looksLikePath(dirOrId) ? "; no folder " + absolute(dirOrId) + " exists" : ""));
        }
        return resolve(ref.get(), selector);
    }

    /** {@link #resolve(String, FileSelector)} for a hub model. */
    public Path resolve(ModelRef ref, FileSelector selector) {
        HfCache cache = hub.cache();
        Optional<Path> snapshot = cache.snapshot(ref);
        if (snapshot.isPresent()) {
            List<String> lacking = selector.missing(cache.files(snapshot.get()));
            if (lacking.isEmpty()) {
                return snapshot.get();
            }
            if (hub.environment().offline()) {
                throw new HfHubException("model '" + ref.repoId() + "' file '" + lacking.get(0)
                        + "' is not in the local Hugging Face cache (" + cache.root() + ") and HF_HUB_OFFLINE=1 forbids "
                        + "downloading it");
            }
        } else if (hub.environment().offline()) {
            throw new HfHubException("model '" + ref.repoId() + "' revision '" + ref.revision()
                    + "' is not in the local Hugging Face cache (" + cache.root() + ") and HF_HUB_OFFLINE=1 forbids "
                    + "downloading it");
        }
        RepoFiles listing = hub.listFiles(ref);
        List<String> absent = selector.missing(listing.files());
        if (!absent.isEmpty()) {
            String why = selector.explain(absent.get(0), listing.files());
            throw new HfHubException("model '" + ref.repoId() + "' has no file '" + absent.get(0) + "' at revision '"
                    + ref.revision() + "' (commit " + listing.commit() + ")" + (why.isEmpty() ? "" : ": " + why));
        }
        List<String> wanted = downloadOrder(selector.select(listing.files()));
        if (wanted.isEmpty()) {
            throw new HfHubException("model '" + ref.repoId() + "' at revision '" + ref.revision() + "' has no file that "
                    + selector + " selects; its files are " + listing.files());
        }
        cache.tag();
        cache.writeRef(ref, listing.commit());
        ModelRef pinned = ref.at(listing.commit());
        for (String file : wanted) {
            hub.download(pinned, file, progress);
        }
        return cache.snapshot(pinned).orElseThrow(() -> new IllegalStateException(
                "the snapshot of " + pinned + " vanished from " + cache.root() + " right after downloading it"));
    }

    /** Everything else first, then external data, then the {@code .onnx} graphs; stable otherwise. */
    static List<String> downloadOrder(List<String> files) {
        List<String> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparingInt(ModelResolver::rank));
        return sorted;
    }

    private static int rank(String path) {
        if (path.endsWith(".onnx")) {
            return 2;
        }
        return path.contains(".onnx_data") || path.endsWith(".onnx.data") ? 1 : 0;
    }

    private static Optional<Path> asDirectory(String text) {
        try {
            Path p = Path.of(text.startsWith("~/") ? System.getProperty("user.home") + text.substring(1) : text);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static String absolute(String text) {
        try {
            return Path.of(text).toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            return text;
        }
    }

    private static boolean looksLikePath(String text) {
        return text.startsWith(".") || text.startsWith("/") || text.startsWith("~") || text.contains("\\")
                || text.contains(":");
    }
}
