package dev.tempera.runtime.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelRefTest {

    @Test
    void parsesIdAndRevisionSplittingAtTheFirstAt() {
        assertThat(ModelRef.parse("onnx-community/Qwen2-VL-2B-Instruct"))
                .isEqualTo(new ModelRef("onnx-community/Qwen2-VL-2B-Instruct", "main"));
        assertThat(ModelRef.parse("org/name@refs/pr/1")).isEqualTo(new ModelRef("org/name", "refs/pr/1"));
        assertThat(ModelRef.parse("org/name@v1.0").revision()).isEqualTo("v1.0");
    }

    @Test
    void cacheFolderJoinsTheParts() {
        assertThat(ModelRef.of("Xenova/clip-vit-base-patch32").cacheFolderName())
                .isEqualTo("models--Xenova--clip-vit-base-patch32");
    }

    @Test
    void knowsCommitShas() {
        assertThat(new ModelRef("org/name", "0123456789abcdef0123456789abcdef01234567").pinned()).isTrue();
        assertThat(ModelRef.of("org/name").pinned()).isFalse();
        assertThat(ModelRef.isCommit("0123456789ABCDEF0123456789abcdef01234567")).isFalse(); // the hub's shas are lowercase
    }

    @Test
    void rejectsIdsTheHubWouldRejectSayingWhy() {
        assertThatThrownBy(() -> ModelRef.of("./foo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("repoId must be 'org/name' with letters, digits, '-', '_' and '.' (each part starting and "
                        + "ending with a letter, digit or '_'), but is: './foo'");
        assertThatThrownBy(() -> ModelRef.of("gpt2")).hasMessageContaining("(exactly one '/')");
        assertThatThrownBy(() -> ModelRef.of("a/b/c")).hasMessageContaining("(exactly one '/')");
        assertThatThrownBy(() -> ModelRef.of("org/na--me")).hasMessageContaining("no '--' or '..'");
        assertThatThrownBy(() -> ModelRef.of("org/na..me")).hasMessageContaining("no '--' or '..'");
        assertThatThrownBy(() -> ModelRef.of("org/name.git")).hasMessageContaining("not ending in '.git'");
        assertThatThrownBy(() -> ModelRef.of("org/na me")).hasMessageContaining("each part");
        assertThatThrownBy(() -> ModelRef.of("org/" + "x".repeat(93))).hasMessageContaining("at most 96 characters");
        assertThat(ModelRef.tryParse("C:\\models\\clip")).isEmpty();
    }

    @Test
    void rejectsRevisionsThatCouldLeaveTheRefsFolder() {
        assertThatThrownBy(() -> new ModelRef("org/name", "../../x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but is: '../../x'");
        assertThatThrownBy(() -> new ModelRef("org/name", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelRef("org/name", "a b")).isInstanceOf(IllegalArgumentException.class);
    }
}
