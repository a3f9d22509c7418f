package dev.tempera.lab.cli.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.lab.cli.Cli;
import dev.tempera.runtime.image.ImageLoader;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.text.GenerationRequest;
import dev.tempera.text.LocalEngine;
import dev.tempera.text.Prompt;
import dev.tempera.text.StreamListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tempera describe} with the seed's four configurations (examples/seed-configs.yaml) on shapes-vl: every
 * configuration's description is the library's for the same parameters and seed, the table shows them side by side,
 * --json carries params, seeds and timings; bad configuration files exit 2 naming the file and entry (tried: missing
 * file, not YAML, no 'configs' list, an entry without a name, duplicate names, an unknown parameter, top_p 1.5, a
 * text-only model).
 */
class DescribeCommandTest {

    static final String CONFIGS = GenerateCommandTest.ROOT.resolve("examples/seed-configs.yaml").toString();
    static final String ZH = "描述这张图片中的场景和细节";

    @TempDir
    Path dir;

    @Test
    void everyConfigurationIsTheLibrarysDescriptionWithTheSameSeed() throws IOException {
        Cli r = Cli.run("describe", "--model", GenerateCommandTest.VL, "--image", GenerateCommandTest.IMAGE,
                "--prompt", ZH, "--configs", CONFIGS, "--seed", "0", "--max-tokens", "48", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        JsonNode configs = o.get("configs");
        assertThat(configs).hasSize(4);
        assertThat(configs.get(0).get("name").asText()).isEqualTo("低温度，高 Top-P");
        double[][] tp = {{0.1, 0.9}, {0.7, 0.9}, {1.2, 0.9}, {0.7, 0.3}};
        try (LocalEngine e = LocalEngine.open(Path.of(GenerateCommandTest.VL), LocalEngine.Options.defaults())) {
            String text = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
                    + "<|vision_start|><|image_pad|><|vision_end|>" + ZH + "<|im_end|>\n<|im_start|>assistant\n";
            Prompt p = e.prepare(text, List.of(ImageLoader.withDefaults().load(Path.of(GenerateCommandTest.IMAGE))));
            assertThat(o.get("prompt_text").asText()).isEqualTo(p.text());
            for (int i = 0; i < 4; i++) {
                JsonNode c = configs.get(i);
                assertThat(c.get("params").get("temperature").asDouble()).isEqualTo(tp[i][0]);
                assertThat(c.get("params").get("top_p").asDouble()).isEqualTo(tp[i][1]);
                SamplingParams params = SamplingParams.builder().temperature(tp[i][0]).topP(tp[i][1]).seed(0)
                        .maxTokens(48).build();
                String expected = e.generate(p, GenerationRequest.of(params), StreamListener.NONE).text().strip();
                assertThat(c.get("description").asText()).as(c.get("name").asText()).isEqualTo(expected);
                assertThat(c.get("completions").get(0).get("seed").asLong()).isZero();
            }
        }
        assertThat(o.get("prefill_ms").asDouble()).isPositive();
    }

    @Test
    void theTableShowsTheConfigurationsSideBySide() {
        Cli r = Cli.run("describe", "--model", GenerateCommandTest.VL, "--image", GenerateCommandTest.IMAGE,
                "--prompt", ZH, "--configs", CONFIGS, "--seed", "0", "--width", "140");
        assertThat(r.code()).as(r.err()).isZero();
        String first = r.out().lines().findFirst().orElseThrow();
        assertThat(first).contains("低温度，高 Top-P").contains("中等温度，高 Top-P").contains("高温度，高 Top-P")
                .contains("中等温度，低 Top-P").contains("│");
        assertThat(r.out().lines()).allMatch(l -> SideBySide.cells(l) <= 140);
        Cli narrow = Cli.run("describe", "--model", GenerateCommandTest.VL, "--image", GenerateCommandTest.IMAGE,
                "--prompt", ZH, "--configs", CONFIGS, "--seed", "0", "--width", "60");
        assertThat(narrow.out()).contains("── 低温度，高 Top-P");
    }

    private Cli describe(String configs) {
        return Cli.run("describe", "--model", GenerateCommandTest.VL, "--image", GenerateCommandTest.IMAGE,
                "--prompt", ZH, "--configs", configs);
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void badConfigurationFilesExitTwoNamingFileAndEntry() throws IOException {
        Cli missing = describe(dir.resolve("none.yaml").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--configs: file does not exist");
        Cli notYaml = describe(file("bad.yaml", "configs: [ {name: a, temperature: ").toString());
        assertThat(notYaml.code()).isEqualTo(2);
        assertThat(notYaml.err()).contains("is not valid YAML");
        Cli noList = describe(file("nolist.yaml", "temperature: 0.5\n").toString());
        assertThat(noList.err()).contains("must hold a non-empty list 'configs'");
        Cli noName = describe(file("noname.yaml", "configs:\n  - temperature: 0.5\n").toString());
        assertThat(noName.err()).contains("entry 1").contains("non-empty 'name'");
        Cli dup = describe(file("dup.yaml", "configs:\n  - name: a\n  - name: a\n").toString());
        assertThat(dup.err()).contains("two entries named 'a'");
        Cli unknown = describe(file("unknown.yaml", "configs:\n  - name: a\n    temprature: 0.5\n").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("entry 'a'").contains("Unknown sampling parameter 'temprature'");
        Cli range = describe(file("range.yaml", "configs:\n  - name: hot\n    top_p: 1.5\n").toString());
        assertThat(range.code()).isEqualTo(2);
        assertThat(range.err()).contains("entry 'hot'").contains("top_p").contains("1.5");
        Cli textOnly = Cli.run("describe", "--model", GenerateCommandTest.LM, "--image", GenerateCommandTest.IMAGE,
                "--prompt", ZH, "--configs", CONFIGS);
        assertThat(textOnly.code()).isEqualTo(2);
        assertThat(textOnly.err()).contains("text-only model");
    }
}
