package dev.tempera.runtime.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HfHub} against {@link FakeHub}: cache layout, resume, checks, errors, auth and quoting. */
class HfHubTest {

    private static final String ID = "org/name";

    @TempDir
    Path tmp;

    private FakeHub server;
    private FakeHub.Repo repo;

    @BeforeEach
    void start() throws IOException {
        server = new FakeHub();
        repo = server.repo(ID);
        repo.add("config.json", "{\"model_type\":\"llama\"}");
        repo.add("onnx/model.onnx", FakeHub.pattern(300_000), true);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HfEnvironment env(Map<String, String> extra) {
        Map<String, String> vars = new java.util.HashMap<>(Map.of("HF_ENDPOINT", server.endpoint(),
                "HF_HUB_CACHE", tmp.resolve("hub").toString()));
        vars.putAll(extra);
        return HfEnvironment.from(vars, tmp.resolve("home"));
    }

    private HfHub hub() {
        return new HfHub(env(Map.of()));
    }

    private Path repoDir() {
        return tmp.resolve("hub").resolve("models--org--name");
    }

    private String commit() {
        return repo.refs.get("main");
    }

    @Test
    void freshDownloadLandsInTheHuggingFaceCacheLayout() throws IOException {
        HfHub hub = hub();
        Path config = hub.download(ModelRef.of(ID), "config.json");
        Path model = hub.download(ModelRef.of(ID), "onnx/model.onnx");

        String configEtag = FakeHub.gitBlobSha1(repo.files.get("config.json").content);
        String modelEtag = FakeHub.hex("SHA-256", FakeHub.pattern(300_000));
        assertThat(Files.readString(repoDir().resolve("refs/main")).trim()).isEqualTo(commit());
        assertThat(config).isEqualTo(repoDir().resolve("snapshots").resolve(commit()).resolve("config.json"));
        // relative links, one more ../ for the file under onnx/
        assertThat(Files.isSymbolicLink(config)).isTrue();
        assertThat(Files.readSymbolicLink(config)).isEqualTo(Path.of("../../blobs/" + configEtag));
        assertThat(Files.readSymbolicLink(model)).isEqualTo(Path.of("../../../blobs/" + modelEtag));
        assertThat(Files.readAllBytes(repoDir().resolve("blobs").resolve(modelEtag))).isEqualTo(FakeHub.pattern(300_000));
        assertThat(Files.readString(config)).isEqualTo("{\"model_type\":\"llama\"}");
        try (Stream<Path> blobs = Files.list(repoDir().resolve("blobs"))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(configEtag, modelEtag);
        }
        assertThat(tmp.resolve("hub/CACHEDIR.TAG")).exists();
    }

    @Test
    void aCommitRevisionWhoseFileIsCachedMakesNoRequest() {
        HfHub hub = hub();
        Path first = hub.download(ModelRef.of(ID), "config.json");
        server.clearRequests();
        Path again = hub.download(new ModelRef(ID, commit()), "config.json");
        assertThat(again).isEqualTo(first);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aBranchRevisionAsksTheHubAgainButDoesNotDownloadAgain() {
        HfHub hub = hub();
        hub.download(ModelRef.of(ID), "onnx/model.onnx");
        server.clearRequests();
        hub.download(ModelRef.of(ID), "onnx/model.onnx");
        assertThat(server.requests()).extracting(FakeHub.Request::method).containsExactly("HEAD");
    }

    @Test
    void offlineResolvesFromTheCacheWithoutAnyRequest() {
        hub().download(ModelRef.of(ID), "config.json");
        server.clearRequests();
        HfHub offline = new HfHub(env(Map.of("HF_HUB_OFFLINE", "1")));
        assertThat(offline.download(ModelRef.of(ID), "config.json")).hasContent("{\"model_type\":\"llama\"}");
        assertThatThrownBy(() -> offline.download(ModelRef.of(ID), "onnx/model.onnx"))
                .isInstanceOf(HfHubException.class)
                .hasMessage("model 'org/name' file 'onnx/model.onnx' is not in the local Hugging Face cache ("
                        + tmp.resolve("hub") + ") and HF_HUB_OFFLINE=1 forbids downloading it");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aBrokenDownloadKeepsItsPartialFileAndTheNextCallResumesWithRange() throws IOException {
        FakeHub.Entry big = repo.files.get("onnx/model.onnx");
        big.dropAfter = 100_000;
        HfHub hub = hub();
        assertThatThrownBy(() -> hub.download(ModelRef.of(ID), "onnx/model.onnx"))
                .isInstanceOf(HfHubException.class)
                .hasMessageContaining("model 'org/name' file 'onnx/model.onnx'")
                .hasMessageContaining("broke off after")
                .hasMessageContaining("is kept and the next download resumes from it");
        List<Path> partial = incompleteFiles();
        assertThat(partial).hasSize(1);
        long kept = Files.size(partial.get(0));
        assertThat(kept).isPositive().isLessThan(300_000);
        assertThat(partial.get(0).getFileName().toString()).matches(big.etag() + "\\.[0-9a-f]{8}\\.incomplete");
        assertThat(repoDir().resolve("snapshots").resolve(commit()).resolve("onnx/model.onnx")).doesNotExist();

        server.clearRequests();
        Path done = hub.download(ModelRef.of(ID), "onnx/model.onnx");
        FakeHub.Request get = server.requests().stream().filter(r -> r.method().equals("GET")).findFirst().orElseThrow();
        assertThat(get.range()).isEqualTo("bytes=" + kept + "-");
        assertThat(Files.readAllBytes(done)).isEqualTo(FakeHub.pattern(300_000));
        assertThat(incompleteFiles()).isEmpty();
    }

    @Test
    void aStalledDownloadIsGivenUpAndKeepsWhatArrived() throws IOException {
        FakeHub.Entry big = repo.files.get("onnx/model.onnx");
        big.stallAfter = 50_000;
        big.stallMillis = 3_000;
        HfEnvironment e = env(Map.of());
        HfHub hub = new HfHub(e, new HfCache(e.hubCache()), HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER).build(), java.time.Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThatThrownBy(() -> hub.download(ModelRef.of(ID), "onnx/model.onnx"))
                .isInstanceOf(HfHubException.class)
                .hasMessageContaining("broke off after 50000 of 300000 bytes")
                .hasMessageContaining("no data for 300 ms");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.5); // not waiting for the server's 3 s
        assertThat(incompleteFiles()).singleElement().satisfies(p -> assertThat(Files.size(p)).isEqualTo(50_000));
    }

    @Test
    void aFileOfTheWrongSizeIsRejectedAndNotCached() throws IOException {
        repo.files.get("onnx/model.onnx").claimedSize = 300_005;
        HfHub hub = hub();
        assertThatThrownBy(() -> hub.download(ModelRef.of(ID), "onnx/model.onnx"))
                .isInstanceOf(HfHubException.class)
                .hasMessageContaining("model 'org/name' file 'onnx/model.onnx': got 300000 bytes from " + server.endpoint())
                .hasMessageContaining("the hub said the file has 300005 bytes");
        assertThat(repoDir().resolve("snapshots").resolve(commit()).resolve("onnx/model.onnx")).doesNotExist();
        assertThat(incompleteFiles()).isEmpty();
        try (Stream<Path> blobs = Files.list(repoDir().resolve("blobs"))) {
            assertThat(blobs).isEmpty();
        }
    }

    @Test
    void aSmallFileIsCheckedAgainstTheContentLengthOfTheHead() {
        // not an LFS file: no X-Linked-Size, so the size comes from the HEAD's Content-Length
        repo.files.get("config.json").claimedSize = 7;
        assertThatThrownBy(() -> hub().download(ModelRef.of(ID), "config.json"))
                .isInstanceOf(HfHubException.class)
                .hasMessageContaining("got 22 bytes")
                .hasMessageContaining("the hub said the file has 7 bytes");
    }

    @Test
    void aFileWhoseSha256DiffersFromItsEtagIsRejected() {
        String other = FakeHub.hex("SHA-256", "something else".getBytes(StandardCharsets.UTF_8));
        repo.files.get("onnx/model.onnx").claimedEtag = other;
        HfHub hub = hub();
        assertThatThrownBy(() -> hub.download(ModelRef.of(ID), "onnx/model.onnx"))
                .isInstanceOf(HfHubException.class)
                .hasMessageContaining("the sha256 of the 300000 bytes")
                .hasMessageContaining("is " + FakeHub.hex("SHA-256", FakeHub.pattern(300_000)) + ", but its ETag says " + other);
        assertThat(repoDir().resolve("blobs").resolve(other)).doesNotExist();
        assertThat(repoDir().resolve("snapshots").resolve(commit()).resolve("onnx/model.onnx")).doesNotExist();
    }

    @Test
    void a404NamesRepoFileAndUrlAndLeavesANoExistMarker() {
        HfHub hub = hub();
        assertThatThrownBy(() -> hub.download(ModelRef.of(ID), "onnx/model_fp16.onnx"))
                .isInstanceOf(HfHubException.class)
                .hasMessageStartingWith("model 'org/name' file 'onnx/model_fp16.onnx' does not exist at revision 'main': "
                        + "404 from " + server.endpoint() + "/org/name/resolve/main/onnx/model_fp16.onnx")
                .extracting(e -> ((HfHubException) e).status()).isEqualTo(404);
        assertThat(repoDir().resolve(".no_exist").resolve(commit()).resolve("onnx/model_fp16.onnx")).exists();
        assertThat(hub.cache().knownMissing(new ModelRef(ID, commit()), "onnx/model_fp16.onnx")).isTrue();
    }

    @Test
    void anUnknownRepoSaysSo() {
        assertThatThrownBy(() -> hub().download(ModelRef.of("org/nope"), "config.json"))
                .isInstanceOf(HfHubException.class)
                .hasMessageStartingWith("model 'org/nope' does not exist on " + server.endpoint() + ": 404 from ");
    }

    @Test
    void theTokenGoesToTheHubAsBearerButNotToTheCdn() {
        FakeHub.Repo gated = server.repo("org/gated");
        gated.token = "hf_secret";
        gated.add("onnx/model.onnx", FakeHub.pattern(5_000), true).viaCdn = true;
        HfHub hub = new HfHub(env(Map.of("HF_TOKEN", "hf_secret")));
        Path file = hub.download(ModelRef.of("org/gated"), "onnx/model.onnx");
        assertThat(file).hasBinaryContent(FakeHub.pattern(5_000));
        List<FakeHub.Request> rs = server.requests();
        assertThat(FakeHub.only(rs, "hub")).isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer hf_secret"));
        // the HEAD stops at the CDN redirect; only the GET goes there, without the token
        assertThat(FakeHub.only(rs, "cdn")).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.authorization()).isNull();
        });
    }

    @Test
    void a401WithoutATokenTellsToSetHfToken() {
        FakeHub.Repo gated = server.repo("org/gated");
        gated.token = "hf_secret";
        gated.add("config.json", "{}");
        assertThatThrownBy(() -> hub().download(ModelRef.of("org/gated"), "config.json"))
                .isInstanceOf(HfHubException.class)
                .hasMessageContaining("model 'org/gated' file 'config.json' at revision 'main': 401 from " + server.endpoint())
                .hasMessageContaining("Access to model org/gated is restricted")
                .hasMessageContaining("set HF_TOKEN");
        HfHub wrong = new HfHub(env(Map.of("HF_TOKEN", "hf_wrong")));
        assertThatThrownBy(() -> wrong.download(ModelRef.of("org/gated"), "config.json"))
                .hasMessageContaining("the token from HF_TOKEN was refused");
    }

    @Test
    void aRevisionWithSlashesIsQuotedInUrlsAndNestedInRefs() throws IOException {
        String prCommit = "1234567890abcdef1234567890abcdef12345678";
        repo.refs.put("refs/pr/1", prCommit);
        HfHub hub = hub();
        Path file = hub.download(new ModelRef(ID, "refs/pr/1"), "config.json");
        assertThat(server.requests()).extracting(FakeHub.Request::method).containsExactly("HEAD", "GET");
        assertThat(server.requests()).extracting(FakeHub.Request::rawPath)
                .containsOnly("/org/name/resolve/refs%2Fpr%2F1/config.json");
        assertThat(Files.readString(repoDir().resolve("refs/refs/pr/1"))).isEqualTo(prCommit);
        assertThat(file).isEqualTo(repoDir().resolve("snapshots").resolve(prCommit).resolve("config.json"));
        server.clearRequests();
        assertThat(hub.listFiles(new ModelRef(ID, "refs/pr/1")).commit()).isEqualTo(prCommit);
        assertThat(server.requests()).extracting(FakeHub.Request::rawPath)
                .containsExactly("/api/models/org/name/revision/refs%2Fpr%2F1");
    }

    @Test
    void aRenamedRepoIsFollowedThroughARelativeRedirect() {
        server.rename("org/old-name", ID);
        Path file = hub().download(ModelRef.of("org/old-name"), "config.json");
        assertThat(file).hasContent("{\"model_type\":\"llama\"}");
        assertThat(server.requests()).extracting(FakeHub.Request::rawPath).startsWith(
                "/org/old-name/resolve/main/config.json", "/org/name/resolve/main/config.json");
    }

    @Test
    void progressRisesMonotonicallyToTheSizeAlsoWhenResuming() {
        FakeHub.Entry big = repo.files.get("onnx/model.onnx");
        big.dropAfter = 70_000;
        List<long[]> seen = new ArrayList<>();
        DownloadProgress record = new DownloadProgress() {
            @Override
            public void update(String file, long done, long total) {
                assertThat(file).isEqualTo("onnx/model.onnx");
                seen.add(new long[] {done, total});
            }

            @Override
            public void finished(String file, long bytes) {
                seen.add(new long[] {bytes, -2});
            }
        };
        HfHub hub = hub();
        assertThatThrownBy(() -> hub.download(ModelRef.of(ID), "onnx/model.onnx", record)).isInstanceOf(HfHubException.class);
        int firstRun = seen.size();
        long reached = seen.get(firstRun - 1)[0];
        hub.download(ModelRef.of(ID), "onnx/model.onnx", record);

        assertThat(seen.get(0)).containsExactly(0, 300_000);
        assertThat(seen.get(firstRun)).containsExactly(reached, 300_000); // the resumed run starts where it stopped
        for (int i = 1; i < seen.size() - 1; i++) {
            assertThat(seen.get(i)[0]).isGreaterThanOrEqualTo(seen.get(i - 1)[0]);
            assertThat(seen.get(i)[1]).isEqualTo(300_000);
        }
        assertThat(seen.get(seen.size() - 2)).containsExactly(300_000, 300_000);
        assertThat(seen.get(seen.size() - 1)).containsExactly(300_000, -2);
    }

    @Test
    void listsTheFilesAndCommitOfARevision() {
        RepoFiles files = hub().listFiles(ModelRef.of(ID));
        assertThat(files.commit()).isEqualTo(commit());
        assertThat(files.files()).containsExactly("config.json", "onnx/model.onnx");
    }

    @Test
    void refusesAClientThatFollowsRedirectsItself() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThatThrownBy(() -> new HfHub(env(Map.of()), following))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not follow redirects");
    }

    @Test
    void refusesPathsThatLeaveTheSnapshot() {
        assertThatThrownBy(() -> hub().download(ModelRef.of(ID), "../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file path must not have empty, '.' or '..' parts, but is: '../../etc/passwd'");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void weakAndQuotedEtagsAreNormalised() {
        assertThat(HfHub.normalizeEtag("W/\"abc123\"")).isEqualTo("abc123");
        assertThat(HfHub.normalizeEtag("\"abc123\"")).isEqualTo("abc123");
        assertThat(HfHub.normalizeEtag("abc123")).isEqualTo("abc123");
    }

    private List<Path> incompleteFiles() throws IOException {
        Path blobs = repoDir().resolve("blobs");
        if (!Files.isDirectory(blobs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(blobs)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".incomplete")).toList();
        }
    }
}
