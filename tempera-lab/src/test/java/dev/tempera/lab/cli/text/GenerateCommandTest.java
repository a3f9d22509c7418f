package dev.tempera.lab.cli.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.lab.cli.Cli;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.text.GenerationRequest;
import dev.tempera.text.GenerationResult;
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
 * {@code tempera generate} on the bundled models: the printed text is the library's for the same prompt and
 * parameters; --json carries params, seeds and timings; --stream prints the same text; bad inputs exit 2 with the
 * input named (tried: missing model folder, unknown --dtype, --n 0, greedy with --n 2, --top-p 1.5, an image for a
 * text-only model, a missing image file, an empty image file, more images than --max-images, --raw with an image
 * but no placeholder, --device cuda on a machine without CUDA).
 */
class GenerateCommandTest {

    static final Path ROOT = root();
    static final String LM = ROOT.resolve("models/shapes-lm").toString();
    static final String VL = ROOT.resolve("models/shapes-vl").toString();
    static final String IMAGE = ROOT.resolve("tempera-text/src/test/resources/conformance/images/red-circle-64.png")
            .toString();
    static final String PROMPT = "Describe a scene with red star, gray triangle.";

    @TempDir
    Path dir;

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("models/shapes-lm"))) {
            p = p.getParent();
        }
        return p;
    }

    private static String library(String model, String renderedUser, List<dev.tempera.runtime.image.RgbPixels> images,
                                  SamplingParams params) {
        try (LocalEngine e = LocalEngine.open(Path.of(model), LocalEngine.Options.defaults())) {
            Prompt p = e.prepare(renderedUser, images);
            GenerationResult r = e.generate(p, GenerationRequest.of(params), StreamListener.NONE);
            return r.text();
        }
    }

    private static String chat(String user) {
        return "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n" + user
                + "<|im_end|>\n<|im_start|>assistant\n";
    }

    @Test
    void greedyTextIsTheLibrarysAndStatsGoToStderr() {
        Cli r = Cli.run("generate", "--model", LM, "--prompt", PROMPT);
        assertThat(r.code()).as(r.err()).isZero();
        String expected = library(LM, chat(PROMPT), List.of(),
                SamplingParams.builder().temperature(0).maxTokens(64).build());
        assertThat(r.out().strip()).isEqualTo(expected);
        assertThat(r.err()).contains("prompt tokens").contains("generated").contains("tok/s");
    }

    @Test
    void jsonCarriesTextTokensParamsSeedsAndTimings() throws IOException {
        Cli r = Cli.run("generate", "--model", LM, "--prompt", PROMPT, "--temperature", "1.2", "--top-p", "0.9",
                "--n", "3", "--seed", "7", "--max-tokens", "40", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("params").get("temperature").asDouble()).isEqualTo(1.2);
        assertThat(o.get("params").get("top_p").asDouble()).isEqualTo(0.9);
        assertThat(o.get("params").get("n").asInt()).isEqualTo(3);
        assertThat(o.get("completions")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode c = o.get("completions").get(i);
            assertThat(c.get("seed").asLong()).isEqualTo(7 + i);
            String alone = library(LM, chat(PROMPT), List.of(), SamplingParams.builder().temperature(1.2).topP(0.9)
                    .seed(7 + i).maxTokens(40).build());
            assertThat(c.get("text").asText()).as("sequence %d equals a single run with seed %d", i, 7 + i)
                    .isEqualTo(alone);
            assertThat(c.get("tokens").size()).isBetween(1, 40);
        }
        assertThat(o.get("prompt").get("tokens").asInt()).isEqualTo(o.get("prompt").get("ids").size());
        assertThat(o.get("timings").get("prefill_ms").asDouble()).isPositive();
        assertThat(o.get("prompt_text").asText()).isEqualTo(chat(PROMPT));
    }

    @Test
    void streamingPrintsTheSameTextAsAWholeRun() throws IOException {
        Cli whole = Cli.run("generate", "--model", VL, "--image", IMAGE, "--prompt", "描述这张图片中的场景和细节");
        Cli streamed = Cli.run("generate", "--model", VL, "--image", IMAGE, "--prompt", "描述这张图片中的场景和细节",
                "--stream");
        assertThat(streamed.code()).as(streamed.err()).isZero();
        assertThat(streamed.out().strip()).isEqualTo(whole.out().strip()).contains("红色圆形");
        Cli events = Cli.run("generate", "--model", VL, "--image", IMAGE, "--prompt", "描述这张图片中的场景和细节",
                "--stream", "--json");
        String[] lines = events.out().strip().split("\n");
        StringBuilder text = new StringBuilder();
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            if (line.startsWith("{\"event\"")) {
                text.append(json.readTree(line).get("text").asText());
            }
        }
        assertThat(text.toString()).isEqualTo(whole.out().strip());
    }

    @Test
    void aSystemMessageAndTheRawModeChangeThePrompt() throws IOException {
        Cli sys = Cli.run("generate", "--model", LM, "--prompt", "Hello", "--system", "Be brief.", "--json");
        assertThat(new ObjectMapper().readTree(sys.out()).get("prompt_text").asText())
                .startsWith("<|im_start|>system\nBe brief.<|im_end|>");
        Cli raw = Cli.run("generate", "--model", LM, "--prompt", chat(PROMPT), "--raw", "--json");
        JsonNode o = new ObjectMapper().readTree(raw.out());
        assertThat(o.get("prompt_text").asText()).isEqualTo(chat(PROMPT));
    }

    private static void assertUsage(Cli r, String... fragments) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        for (String f : fragments) {
            assertThat(r.err()).contains(f);
        }
    }

    @Test
    void aChatTemplateThatFailsToRenderIsReportedWithItsMessage() throws IOException {
        Path model = Files.createDirectory(dir.resolve("lm"));
        try (var files = Files.list(Path.of(LM))) {
            for (Path f : files.toList()) {
                Files.createSymbolicLink(model.resolve(f.getFileName()), f.toAbsolutePath());
            }
        }
        Files.writeString(model.resolve("chat_template.jinja"),
                "{% if messages[0]['role'] != 'system' %}{{ raise_exception('a system message is required') }}{% endif %}"
                        + "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
                        + "<|im_start|>assistant\n");
        Cli r = Cli.run("generate", "--model", model.toString(), "--prompt", "x");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("a system message is required").contains("chat_template.jinja");
        Cli ok = Cli.run("generate", "--model", model.toString(), "--prompt", "x", "--system", "s", "--max-tokens", "2");
        assertThat(ok.code()).as(ok.err()).isZero();
    }

    @Test
    void badInputsExitTwoNamingTheInput() throws IOException {
        assertUsage(Cli.run("generate", "--model", dir.resolve("nope").toString(), "--prompt", "x"),
                "is neither a folder nor a Hugging Face id");
        assertUsage(Cli.run("generate", "--model", LM, "--prompt", "x", "--dtype", "fp7"), "--dtype");
        assertUsage(Cli.run("generate", "--model", LM, "--prompt", "x", "--n", "0"), "--n must be >= 1, but is: 0");
        assertUsage(Cli.run("generate", "--model", LM, "--prompt", "x", "--n", "2"), "n");
        assertUsage(Cli.run("generate", "--model", LM, "--prompt", "x", "--top-p", "1.5"), "top_p", "1.5");
        assertUsage(Cli.run("generate", "--model", LM, "--prompt", "x", "--image", IMAGE),
                "text-only model and takes no images");
        assertUsage(Cli.run("generate", "--model", VL, "--prompt", "x", "--image", dir.resolve("missing.png").toString()),
                "missing.png");
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertUsage(Cli.run("generate", "--model", VL, "--prompt", "x", "--image", empty.toString()), "empty.png");
        assertUsage(Cli.run("generate", "--model", VL, "--prompt", "x", "--image", IMAGE, "--image", IMAGE,
                "--max-images", "1"), "--max-images = 1");
        assertUsage(Cli.run("generate", "--model", VL, "--prompt", "x", "--image", IMAGE, "--raw"),
                "--raw with --image");
        Cli cuda = Cli.run("generate", "--model", LM, "--prompt", "x", "--device", "cuda");
        assertThat(cuda.code()).isNotZero();
        assertThat(cuda.err()).contains("onnxruntime_gpu");
    }
}
