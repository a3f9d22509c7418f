package dev.tempera.runtime.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and writing the cache layout without any network. */
class HfCacheTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path root;

    private void blob(HfCache cache, String etag, String content) throws IOException {
        Files.createDirectories(cache.blobs("org/name"));
        Files.writeString(cache.blob("org/name", etag), content);
    }

    @Test
    void resolvesABranchThroughRefsAndACommitDirectly() throws IOException {
        HfCache cache = new HfCache(root);
        blob(cache, "e1", "hello");
        cache.link("org/name", COMMIT, "a/b/c.txt", "e1");
        assertThat(cache.file(ModelRef.of("org/name"), "a/b/c.txt")).isEmpty(); // no refs/main yet
        cache.writeRef(ModelRef.of("org/name"), COMMIT);

        assertThat(Files.readString(root.resolve("models--org--name/refs/main"))).isEqualTo(COMMIT);
        assertThat(cache.file(ModelRef.of("org/name"), "a/b/c.txt")).get().satisfies(p -> assertThat(p).hasContent("hello"));
        assertThat(cache.file(new ModelRef("org/name", COMMIT), "a/b/c.txt")).isPresent();
        assertThat(Files.readSymbolicLink(cache.pointer("org/name", COMMIT, "a/b/c.txt")))
                .isEqualTo(Path.of("../../../../blobs/e1"));
        assertThat(cache.files(cache.snapshot(ModelRef.of("org/name")).orElseThrow())).containsExactly("a/b/c.txt");
    }

    @Test
    void writingARefForACommitRevisionDoesNothing() {
        HfCache cache = new HfCache(root);
        cache.writeRef(new ModelRef("org/name", COMMIT), COMMIT);
        assertThat(root.resolve("models--org--name/refs")).doesNotExist();
    }

    @Test
    void withoutSymlinksSnapshotsGetHardLinksOrCopiesWithTheSameBytes() throws IOException {
        HfCache cache = new HfCache(root, false);
        blob(cache, "e1", "hello");
        Path p = cache.link("org/name", COMMIT, "config.json", "e1");
        assertThat(Files.isSymbolicLink(p)).isFalse();
        assertThat(p).hasContent("hello");
        assertThat(cache.blob("org/name", "e1")).exists(); // the blob stays for other snapshots
    }

    @Test
    void aDanglingLinkDoesNotCountAsCached() throws IOException {
        HfCache cache = new HfCache(root);
        blob(cache, "e1", "hello");
        cache.link("org/name", COMMIT, "config.json", "e1");
        Files.delete(cache.blob("org/name", "e1"));
        assertThat(cache.file(new ModelRef("org/name", COMMIT), "config.json")).isEmpty();
        assertThat(cache.files(cache.snapshotFolder("org/name", COMMIT))).isEmpty();
    }

    @Test
    void noExistMarkersAreFoundPerCommit() {
        HfCache cache = new HfCache(root);
        cache.markMissing("org/name", COMMIT, "onnx/model_fp16.onnx");
        assertThat(cache.knownMissing(new ModelRef("org/name", COMMIT), "onnx/model_fp16.onnx")).isTrue();
        assertThat(cache.knownMissing(new ModelRef("org/name", COMMIT), "onnx/model.onnx")).isFalse();
    }
}
