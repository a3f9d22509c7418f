package dev.tempera.runtime.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempera.runtime.onnx.OnnxDtype;
import dev.tempera.runtime.onnx.OnnxFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelResolver} on {@link FakeHub}: folder or id, cache first, variant selection, offline. */
class ModelResolverTest {

    private static final String ID = "onnx-community/tiny";

    @TempDir
    Path tmp;

    private FakeHub server;
    private FakeHub.Repo repo;

    @BeforeEach
    void start() throws IOException {
        server = new FakeHub();
        repo = server.repo(ID);
        repo.add("README.md", "# tiny");
        repo.add("config.json", "{}");
        repo.add("tokenizer.json", "{\"model\":{}}");
        repo.add("chat_template.jinja", "{{ messages }}");
        repo.add("onnx/model.onnx", FakeHub.pattern(1_000), true);
        repo.add("onnx/model.onnx_data", FakeHub.pattern(4_000), true);
        repo.add("onnx/model_fp16.onnx", FakeHub.pattern(900), true);
        repo.add("onnx/model_fp16.onnx_data", FakeHub.pattern(2_000), true);
        repo.add("onnx/model_fp16.onnx_data_1", FakeHub.pattern(2_001), true);
        repo.add("onnx/model_q4.onnx", FakeHub.pattern(500), true);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelResolver resolver(boolean offline) {
        Map<String, String> vars = new HashMap<>(Map.of("HF_ENDPOINT", server.endpoint(),
                "HF_HUB_CACHE", tmp.resolve("hub").toString()));
        if (offline) {
            vars.put("HF_HUB_OFFLINE", "1");
        }
        return new ModelResolver(new HfHub(HfEnvironment.from(vars, tmp.resolve("home"))), DownloadProgress.silent());
    }

    private Path snapshot() {
        return tmp.resolve("hub/models--onnx-community--tiny/snapshots").resolve(repo.refs.get("main"));
    }

    @Test
    void anExistingFolderIsReturnedAsIsWithoutAnyRequest() throws IOException {
        Path local = Files.createDirectories(tmp.resolve("my-model"));
        assertThat(resolver(false).resolve(local.toString(), OnnxFiles.selector(OnnxDtype.FP32, "model"))).isEqualTo(local);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void textThatIsNeitherAFolderNorAnIdIsRefused() {
        assertThatThrownBy(() -> resolver(false).resolve("./foo", FileSelector.all()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'./foo' is neither a folder nor a Hugging Face id (org/name or org/name@revision)"
                        + "; no folder ")
                .hasMessageEndingWith("foo exists");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void downloadsConfigsAndOneVariantWithItsDataChunksGraphsLast() throws IOException {
        Path dir = resolver(false).resolve(ID, OnnxFiles.selector(OnnxDtype.FP16, "model"));
        assertThat(dir).isEqualTo(snapshot());
        assertThat(new HfCache(tmp.resolve("hub")).files(dir)).containsExactly("chat_template.jinja", "config.json",
                "onnx/model_fp16.onnx", "onnx/model_fp16.onnx_data", "onnx/model_fp16.onnx_data_1", "tokenizer.json");
        assertThat(Files.readAllBytes(dir.resolve("onnx/model_fp16.onnx_data_1"))).isEqualTo(FakeHub.pattern(2_001));
        assertThat(Files.readString(tmp.resolve("hub/models--onnx-community--tiny/refs/main"))).isEqualTo(repo.refs.get("main"));
        // downloads are pinned to the listed commit, and the graph comes after everything else
        List<String> gets = server.requests().stream().filter(r -> r.method().equals("GET")).map(FakeHub.Request::rawPath)
                .toList();
        assertThat(gets.get(0)).isEqualTo("/api/models/onnx-community/tiny/revision/main");
        assertThat(gets.get(gets.size() - 1))
                .isEqualTo("/onnx-community/tiny/resolve/" + repo.refs.get("main") + "/onnx/model_fp16.onnx");
    }

    @Test
    void aSecondResolveIsServedFromTheCacheWithoutAnyRequest() {
        Path first = resolver(false).resolve(ID, OnnxFiles.selector(OnnxDtype.FP16, "model"));
        server.clearRequests();
        Path second = resolver(false).resolve(ID, OnnxFiles.selector(OnnxDtype.FP16, "model"));
        assertThat(second).isEqualTo(first);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anotherVariantOfACachedModelIsAddedToTheSameSnapshot() {
        resolver(false).resolve(ID, OnnxFiles.selector(OnnxDtype.FP16, "model"));
        server.clearRequests();
        Path dir = resolver(false).resolve(ID, OnnxFiles.selector(OnnxDtype.Q4, "model"));
        assertThat(dir.resolve("onnx/model_q4.onnx")).exists();
        assertThat(dir.resolve("onnx/model_fp16.onnx")).exists();
        // the configs were cached: only the listing and the q4 graph are fetched
        assertThat(server.requests().stream().filter(r -> r.method().equals("GET")).map(FakeHub.Request::rawPath))
                .containsExactly("/api/models/onnx-community/tiny/revision/main",
                        "/onnx-community/tiny/resolve/" + repo.refs.get("main") + "/onnx/model_q4.onnx");
    }

    @Test
    void offlineUsesTheCacheAndNamesTheMissingFileWithoutAnyRequest() {
        resolver(false).resolve(ID, OnnxFiles.selector(OnnxDtype.FP16, "model"));
        server.clearRequests();
        ModelResolver offline = resolver(true);
        assertThat(offline.resolve(ID, OnnxFiles.selector(OnnxDtype.FP16, "model"))).isEqualTo(snapshot());
        assertThatThrownBy(() -> offline.resolve(ID, OnnxFiles.selector(OnnxDtype.Q4F16, "model")))
                .isInstanceOf(HfHubException.class)
                .hasMessage("model 'onnx-community/tiny' file 'onnx/model_q4f16.onnx' is not in the local Hugging Face cache ("
                        + tmp.resolve("hub") + ") and HF_HUB_OFFLINE=1 forbids downloading it");
        assertThatThrownBy(() -> offline.resolve("onnx-community/other", FileSelector.all()))
                .hasMessage("model 'onnx-community/other' revision 'main' is not in the local Hugging Face cache ("
                        + tmp.resolve("hub") + ") and HF_HUB_OFFLINE=1 forbids downloading it");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aVariantTheRepoLacksFailsListingTheVariantsItHas() {
        assertThatThrownBy(() -> resolver(false).resolve(ID, OnnxFiles.selector(OnnxDtype.Q4F16, "model")))
                .isInstanceOf(HfHubException.class)
                .hasMessage("model 'onnx-community/tiny' has no file 'onnx/model_q4f16.onnx' at revision 'main' (commit "
                        + repo.refs.get("main") + "): no q4f16 variant of model (nor model_q4f16.onnx at the root); "
                        + "found: fp32, fp16, q4");
        assertThat(server.requests()).extracting(FakeHub.Request::method).containsExactly("GET"); // only the listing
    }

    @Test
    void findsGraphsAtTheRootInTheOptimumLayout() {
        FakeHub.Repo optimum = server.repo("org/optimum");
        optimum.add("config.json", "{}");
        optimum.add("model.onnx", FakeHub.pattern(100), true);
        optimum.add("model.onnx_data", FakeHub.pattern(300), true);
        Path dir = resolver(false).resolve("org/optimum", OnnxFiles.selector(OnnxDtype.FP32, "model"));
        assertThat(new HfCache(tmp.resolve("hub")).files(dir)).containsExactly("config.json", "model.onnx", "model.onnx_data");
    }

    @Test
    void anIdMayNameARevision() {
        String pr = "89abcdef0123456789abcdef0123456789abcdef";
        repo.refs.put("refs/pr/1", pr);
        Path dir = resolver(false).resolve(ID + "@refs/pr/1", FileSelector.files("config.json"));
        assertThat(dir.getFileName().toString()).isEqualTo(pr);
        assertThat(tmp.resolve("hub/models--onnx-community--tiny/refs/refs/pr/1")).hasContent(pr);
    }

    @Test
    void downloadOrderPutsDataBeforeGraphsAndGraphsLast() {
        assertThat(ModelResolver.downloadOrder(List.of("onnx/a.onnx", "onnx/a.onnx_data", "config.json", "b.onnx.data")))
                .containsExactly("config.json", "onnx/a.onnx_data", "b.onnx.data", "onnx/a.onnx");
    }
}
