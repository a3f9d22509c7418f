package dev.tempera.runtime.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FileSelectorTest {

    private static final List<String> REPO = List.of("config.json", "tokenizer.json", "onnx/model.onnx",
            "onnx/config.json", "chat_template.jinja", "README.md");

    @Test
    void aStarStopsAtSlashesAndADoubleStarDoesNot() {
        assertThat(FileSelector.globs("*.json").select(REPO)).containsExactly("config.json", "tokenizer.json");
        assertThat(FileSelector.globs("**.json").select(REPO)).containsExactly("config.json", "tokenizer.json",
                "onnx/config.json");
        assertThat(FileSelector.globs("onnx/*").select(REPO)).containsExactly("onnx/model.onnx", "onnx/config.json");
        assertThat(FileSelector.globs("?EADME.md").select(REPO)).containsExactly("README.md");
        assertThat(FileSelector.globs("config.json").select(List.of("configXjson"))).isEmpty(); // '.' is literal
    }

    @Test
    void globsRequireNothingButExactFilesDo() {
        assertThat(FileSelector.globs("*.json").missing(List.of())).isEmpty();
        FileSelector s = FileSelector.globs("*.jinja").plus(FileSelector.files("config.json", "onnx/model_fp16.onnx"));
        assertThat(s.missing(REPO)).containsExactly("onnx/model_fp16.onnx");
        assertThat(s.select(REPO)).containsExactly("chat_template.jinja", "config.json");
    }
}
