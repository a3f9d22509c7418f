package dev.tempera.runtime.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which variable wins, as in huggingface_hub's constants.py. */
class HfEnvironmentTest {

    @TempDir
    Path home;

    private HfEnvironment env(Map<String, String> vars) {
        return HfEnvironment.from(vars, home);
    }

    @Test
    void defaultsToThePublicHubAndTheCacheUnderHome() {
        HfEnvironment e = env(Map.of());
        assertThat(e.endpoint()).isEqualTo("https://huggingface.co");
        assertThat(e.hubCache()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(e.hasToken()).isFalse();
        assertThat(e.offline()).isFalse();
    }

    @Test
    void endpointLosesTrailingSlashes() {
        assertThat(env(Map.of("HF_ENDPOINT", "https://hf-mirror.com//")).endpoint()).isEqualTo("https://hf-mirror.com");
    }

    @Test
    void endpointMustBeHttp() {
        assertThatThrownBy(() -> env(Map.of("HF_ENDPOINT", "ftp://x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint (HF_ENDPOINT) must be an http:// or https:// URL, but is: 'ftp://x'");
    }

    @Test
    void hubCachePrecedence() {
        // HF_HUB_CACHE > HUGGINGFACE_HUB_CACHE > HF_HOME/hub > XDG_CACHE_HOME/huggingface/hub > ~/.cache/huggingface/hub
        Map<String, String> all = Map.of("HF_HUB_CACHE", "/a", "HUGGINGFACE_HUB_CACHE", "/b", "HF_HOME", "/c",
                "XDG_CACHE_HOME", "/d");
        assertThat(env(all).hubCache()).isEqualTo(Path.of("/a"));
        assertThat(env(without(all, "HF_HUB_CACHE")).hubCache()).isEqualTo(Path.of("/b"));
        assertThat(env(Map.of("HF_HOME", "/c", "XDG_CACHE_HOME", "/d")).hubCache()).isEqualTo(Path.of("/c/hub"));
        assertThat(env(Map.of("XDG_CACHE_HOME", "/d")).hubCache()).isEqualTo(Path.of("/d/huggingface/hub"));
        assertThat(env(Map.of("HF_HOME", "~/hf")).hubCache()).isEqualTo(home.resolve("hf/hub"));
        assertThat(env(Map.of("HF_HUB_CACHE", "")).hubCache()).isEqualTo(home.resolve(".cache/huggingface/hub"));
    }

    @Test
    void tokenPrecedenceEnvThenLegacyEnvThenTokenFile() throws IOException {
        Path hfHome = home.resolve("hf");
        Files.createDirectories(hfHome);
        Files.writeString(hfHome.resolve("token"), "hf_file\n");
        Map<String, String> base = Map.of("HF_HOME", hfHome.toString());

        assertThat(env(with(base, "HF_TOKEN", "hf_a", "HUGGING_FACE_HUB_TOKEN", "hf_b")).token()).isEqualTo("hf_a");
        HfEnvironment legacy = env(with(base, "HUGGING_FACE_HUB_TOKEN", "hf_b"));
        assertThat(legacy.token()).isEqualTo("hf_b");
        assertThat(legacy.tokenSource()).isEqualTo("HUGGING_FACE_HUB_TOKEN");
        HfEnvironment file = env(base);
        assertThat(file.token()).isEqualTo("hf_file"); // line break removed
        assertThat(file.tokenSource()).isEqualTo(hfHome.resolve("token").toString());

        Files.writeString(home.resolve("elsewhere"), "  hf_path  ");
        assertThat(env(with(base, "HF_TOKEN_PATH", home.resolve("elsewhere").toString())).token()).isEqualTo("hf_path");
        assertThat(env(with(base, "HF_TOKEN", "  ")).token()).isEqualTo("hf_file"); // blank counts as unset
    }

    @Test
    void offlineIsTheFirstNonEmptyOfTheTwoVariablesReadAsABoolean() {
        for (String yes : new String[] {"1", "on", "YES", "True"}) {
            assertThat(env(Map.of("HF_HUB_OFFLINE", yes)).offline()).as(yes).isTrue();
        }
        assertThat(env(Map.of("HF_HUB_OFFLINE", "0")).offline()).isFalse();
        assertThat(env(Map.of("HF_HUB_OFFLINE", "2")).offline()).isFalse();
        assertThat(env(Map.of("TRANSFORMERS_OFFLINE", "1")).offline()).isTrue();
        // as in Python's `HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE`: an explicit 0 wins
        assertThat(env(Map.of("HF_HUB_OFFLINE", "0", "TRANSFORMERS_OFFLINE", "1")).offline()).isFalse();
        assertThat(env(Map.of("HF_HUB_OFFLINE", "", "TRANSFORMERS_OFFLINE", "1")).offline()).isTrue();
    }

    @Test
    void toStringNeverShowsTheToken() {
        HfEnvironment e = env(Map.of("HF_TOKEN", "hf_secret"));
        assertThat(e.toString()).doesNotContain("hf_secret").contains("from HF_TOKEN");
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new java.util.HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, String> without(Map<String, String> base, String key) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.remove(key);
        return m;
    }
}
