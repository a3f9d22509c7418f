package dev.tempera.runtime.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Hugging Face hub cache on disk, in the layout the Python {@code huggingface_hub} library writes and reads, so
 * both can share it:
 *
 * <pre>
 * {hubCache}/models--{org}--{name}/
 *     refs/{revision}                 the commit sha the revision pointed to at the last download
 *     blobs/{etag}                    file contents, named by ETag (sha256 for LFS files, git blob sha1 otherwise)
 *     snapshots/{commit}/{path}       relative symlink to ../../blobs/{etag} (one more ../ per folder level)
 *     .no_exist/{commit}/{path}       empty marker: the file is known not to exist at that commit
 * {hubCache}/.locks/models--{org}--{name}/{etag}.lock
 * </pre>
 *
 * <p>Reading ({@link #commit}, {@link #snapshot}, {@link #file}) never touches the network. A revision that is a
 * 40-hex commit sha is used as is; any other revision is looked up in {@code refs/}, so a branch resolves to the
 * commit it had when it was last downloaded, not to the hub's current one.
 *
 * <p>Where the file system cannot make symbolic links (Windows without the privilege) snapshot entries are hard
 * links to the blob, and where that fails too, copies. Thread safety: instances hold no mutable state besides that
 * fallback flag; writes go through temp files and atomic renames, so concurrent readers never see half a file.
 */
public final class HfCache {

    private static final String CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n"
            + "# This file is a cache directory tag created by the Tempera toolkit (same layout as huggingface_hub).\n"
            + "# For information about cache directory tags see https://bford.info/cachedir/\n";

    private final Path root;
    private volatile boolean symlinks;

    /** The cache at {@code root} (usually {@link HfEnvironment#hubCache()}); nothing is created until a write. */
    public HfCache(Path root) {
        this(root, true);
    }

    /** {@code symlinks = false} behaves as a file system without symbolic links (for tests). */
    HfCache(Path root, boolean symlinks) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.symlinks = symlinks;
    }

    public Path root() {
        return root;
    }

    /** {@code {root}/models--org--name}, whether or not it exists. */
    public Path repoFolder(String repoId) {
        return root.resolve(ModelRef.of(repoId).cacheFolderName());
    }

    /**
     * The commit {@code ref} stands for: its revision when that is a commit sha, otherwise the sha in
     * {@code refs/{revision}}; empty when the revision was never downloaded.
     */
    public Optional<String> commit(ModelRef ref) {
        if (ref.pinned()) {
            return Optional.of(ref.revision());
        }
        Path refFile = RepoPaths.under(repoFolder(ref.repoId()).resolve("refs"), ref.revision());
        if (!Files.isRegularFile(refFile)) {
            return Optional.empty();
        }
        try {
            String sha = Files.readString(refFile, StandardCharsets.UTF_8).trim();
            return ModelRef.isCommit(sha) ? Optional.of(sha) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + refFile, e);
        }
    }

    /** The existing {@code snapshots/{commit}} folder of {@code ref}. */
    public Optional<Path> snapshot(ModelRef ref) {
        return commit(ref).map(c -> snapshotFolder(ref.repoId(), c)).filter(Files::isDirectory);
    }

    /** The cached file {@code path} of {@code ref}; empty unless it exists (a dangling link counts as missing). */
    public Optional<Path> file(ModelRef ref, String path) {
        RepoPaths.check(path);
        return snapshot(ref).map(s -> RepoPaths.under(s, path)).filter(Files::isRegularFile);
    }

    /** Whether a {@code .no_exist} marker says {@code path} does not exist at {@code ref}'s cached commit. */
    public boolean knownMissing(ModelRef ref, String path) {
        RepoPaths.check(path);
        return commit(ref)
                .map(c -> Files.exists(RepoPaths.under(repoFolder(ref.repoId()).resolve(".no_exist").resolve(c), path)))
                .orElse(false);
    }

    /** The files under {@code snapshotFolder}, as sorted {@code /}-separated repo paths (dangling links left out). */
    public List<String> files(Path snapshotFolder) {
        if (!Files.isDirectory(snapshotFolder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(snapshotFolder)) {
            return s.filter(Files::isRegularFile).map(p -> RepoPaths.relative(snapshotFolder, p)).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + snapshotFolder, e);
        }
    }

    Path snapshotFolder(String repoId, String commit) {
        return repoFolder(repoId).resolve("snapshots").resolve(commit);
    }

    Path blobs(String repoId) {
        return repoFolder(repoId).resolve("blobs");
    }

    Path blob(String repoId, String etag) {
        return blobs(repoId).resolve(etag);
    }

    Path pointer(String repoId, String commit, String path) {
        return RepoPaths.under(snapshotFolder(repoId, commit), path);
    }

    Path lockFile(String repoId, String etag) {
        return root.resolve(".locks").resolve(ModelRef.of(repoId).cacheFolderName()).resolve(etag + ".lock");
    }

    /** Records that {@code ref}'s revision points at {@code commit}; a no-op for a commit sha revision. */
    void writeRef(ModelRef ref, String commit) {
        if (ref.pinned()) {
            return;
        }
        if (!ModelRef.isCommit(commit)) {
            throw new IllegalArgumentException("commit must be 40 lowercase hex digits, but is: '" + commit + "'");
        }
        Path refFile = RepoPaths.under(repoFolder(ref.repoId()).resolve("refs"), ref.revision());
        try {
            if (Files.isRegularFile(refFile) && Files.readString(refFile, StandardCharsets.UTF_8).trim().equals(commit)) {
                return;
            }
            writeAtomically(refFile, commit.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + refFile, e);
        }
    }

    /** Writes the empty {@code .no_exist/{commit}/{path}} marker. */
    void markMissing(String repoId, String commit, String path) {
        Path marker = RepoPaths.under(repoFolder(repoId).resolve(".no_exist").resolve(commit), path);
        try {
            Files.createDirectories(marker.getParent());
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
        } catch (FileAlreadyExistsException e) {
            // another process wrote the same marker
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
    }

    /**
     * Makes {@code snapshots/{commit}/{path}} point at {@code blobs/{etag}} (which must exist): a relative symlink,
     * else a hard link, else a copy. Returns the snapshot path.
     */
    Path link(String repoId, String commit, String path, String etag) {
        Path blob = blob(repoId, etag);
        Path pointer = pointer(repoId, commit, path);
        try {
            Files.createDirectories(pointer.getParent());
            Files.deleteIfExists(pointer);
            if (symlinks) {
                try {
                    Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
                    return pointer;
                } catch (FileAlreadyExistsException e) {
                    return pointer;
                } catch (UnsupportedOperationException | FileSystemException e) {
                    symlinks = false;
                }
            }
            try {
                Files.createLink(pointer, blob);
            } catch (FileAlreadyExistsException e) {
                return pointer;
            } catch (UnsupportedOperationException | FileSystemException e) {
                Path tmp = pointer.resolveSibling(pointer.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
                Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
                move(tmp, pointer);
            }
            return pointer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link " + pointer + " to " + blob, e);
        }
    }

    /** Writes {@code CACHEDIR.TAG} in the cache root unless it is there (backup tools then skip the cache). */
    void tag() {
        Path tag = root.resolve("CACHEDIR.TAG");
        if (Files.exists(tag)) {
            return;
        }
        try {
            Files.createDirectories(root);
            writeAtomically(tag, CACHEDIR_TAG.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tag, e);
        }
    }

    /** Renames {@code from} onto {@code to} atomically where the file system can, replacing {@code to}. */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        Files.write(tmp, content);
        move(tmp, file);
    }

    @Override
    public String toString() {
        return "HfCache[" + root + "]";
    }
}
