package dev.tempera.runtime.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepoPathsTest {

    @Test
    void quotesLikePythonsUrllibQuote() {
        // expected values from /usr/bin/python3: urllib.parse.quote(s, safe=...)
        assertThat(RepoPaths.quote("refs/pr/1", "")).isEqualTo("refs%2Fpr%2F1");
        assertThat(RepoPaths.quote("onnx/model file+ü.onnx", "/")).isEqualTo("onnx/model%20file%2B%C3%BC.onnx");
        assertThat(RepoPaths.quote("a~b_c.d-e", "")).isEqualTo("a~b_c.d-e");
    }

    @Test
    void refusesPathsThatAreNotCleanAndRelative() {
        for (String bad : new String[] {"/etc/passwd", "a//b", "a/./b", "a/../b", "..", "a\\b", "dir/", ""}) {
            assertThatThrownBy(() -> RepoPaths.check(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(RepoPaths.check("onnx/model.onnx_data_1")).isEqualTo("onnx/model.onnx_data_1");
    }
}
