package dev.tempera.lab.cli.text;

import static dev.tempera.lab.cli.text.BatchCli.image;
import static dev.tempera.lab.cli.text.BatchCli.readJsonl;
import static dev.tempera.lab.cli.text.BatchCli.run;
import static dev.tempera.lab.cli.text.BatchCli.shapesLm;
import static dev.tempera.lab.cli.text.BatchCli.shapesVl;
import static dev.tempera.lab.cli.text.BatchCli.single;
import static dev.tempera.lab.cli.text.BatchCli.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tempera generate --in --out} end to end on the bundled shapes-lm and shapes-vl: every line must give exactly
 * what a single {@code generate} call with the same prompt, images, system message and parameters gives.
 */
class BatchGenerateTest {

    private static final String EXPAND_EN = "Describe a scene with red star, gray triangle.";
    private static final String EXPAND_ZH = "描述一个有红色的星形的场景。";

    @TempDir Path dir;

    @Test
    void greedyLinesOfShapesLmEqualSingleGenerateCalls() {
        Path in = write(dir.resolve("p.jsonl"),
                "{\"prompt\": \"" + EXPAND_EN + "\"}",
                "{\"prompt\": \"" + EXPAND_ZH + "\"}",
                "{\"prompt\": \"Who are you?\", \"system\": \"Answer briefly.\"}");
        Path out = dir.resolve("o.jsonl");

        BatchCli r = run("generate", "--model", shapesLm(), "--in", in.toString(), "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> got = readJsonl(out);
        List<JsonNode> want = List.of(
                single("--model", shapesLm(), "--prompt", EXPAND_EN),
                single("--model", shapesLm(), "--prompt", EXPAND_ZH),
                single("--model", shapesLm(), "--prompt", "Who are you?", "--system", "Answer briefly."));
        assertThat(got).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(got.get(i).get("text").asText()).as("line %d", i + 1).isEqualTo(want.get(i).get("text").asText());
            assertThat(got.get(i).get("tokens").asInt()).isEqualTo(want.get(i).get("tokens").asInt());
            assertThat(got.get(i).get("prompt_tokens").asInt()).isEqualTo(want.get(i).get("prompt_tokens").asInt());
            assertThat(got.get(i).get("finish_reason").asText()).isEqualTo("stop");
            assertThat(got.get(i).get("seed").isNull()).as("greedy uses no seed").isTrue();
        }
        // three different prompts: the comparison is not between three copies of one text
        assertThat(got.stream().map(g -> g.get("text").asText()).distinct()).hasSize(3);
    }

    @Test
    void greedyLinesOfShapesVlEqualSingleGenerateCallsWithRelativeAndAbsoluteImages() throws IOException {
        Files.createDirectories(dir.resolve("images"));
        Files.copy(image("star-square-64.png"), dir.resolve("images/a.png"));
        Path absolute = image("triangle-64.png").toAbsolutePath();
        Path in = write(dir.resolve("p.jsonl"),
                "{\"prompt\": \"Describe this image.\", \"images\": [\"images/a.png\"]}",
                "{\"prompt\": \"描述这张图片。\", \"images\": [\"" + absolute + "\"]}",
                "{\"prompt\": \"Hello\"}");
        Path out = dir.resolve("o.jsonl");

        BatchCli r = run("generate", "--model", shapesVl(), "--in", in.toString(), "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> got = readJsonl(out);
        List<JsonNode> want = List.of(
                single("--model", shapesVl(), "--image", image("star-square-64.png").toString(),
                        "--prompt", "Describe this image."),
                single("--model", shapesVl(), "--image", absolute.toString(), "--prompt", "描述这张图片。"),
                single("--model", shapesVl(), "--prompt", "Hello"));
        for (int i = 0; i < 3; i++) {
            assertThat(got.get(i).get("text").asText()).as("line %d", i + 1).isEqualTo(want.get(i).get("text").asText());
            assertThat(got.get(i).get("prompt_tokens").asInt()).isEqualTo(want.get(i).get("prompt_tokens").asInt());
        }
        // 16 image tokens each (a 64×64 image → grid 1×8×8 → 64 patches / 4): the images were really used
        assertThat(got.get(0).get("prompt_tokens").asInt() - got.get(2).get("prompt_tokens").asInt())
                .isGreaterThanOrEqualTo(16);
        assertThat(got.get(1).get("text").asText()).containsPattern("\\p{IsHan}");
    }

    @Test
    void inputFieldsAreCopiedUnchangedAndTheResultFieldsFollowThem() throws IOException {
        String scene = "{\"background\":\"purple\",\"shapes\":[{\"kind\":\"star\",\"color\":\"red\","
                + "\"size\":\"large\",\"position\":\"top\"}]}";
        Path in = write(dir.resolve("p.jsonl"),
                "{\"group\":\"lm-greedy\",\"index\":27,\"scene\":" + scene + ",\"prompt\":\"" + EXPAND_EN + "\","
                        + "\"weight\":0.1,\"big\":12345678901234567890,\"note\":\"形状\",\"flag\":null}");
        Path out = dir.resolve("o.jsonl");

        BatchCli r = run("generate", "--model", shapesLm(), "--in", in.toString(), "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        String line = Files.readAllLines(out, StandardCharsets.UTF_8).get(0);
        // written exactly as given: the nested object, the decimal, the 20-digit integer, the Chinese text, the null
        assertThat(line).startsWith("{\"group\":\"lm-greedy\",\"index\":27,\"scene\":" + scene + ",\"prompt\":\""
                + EXPAND_EN + "\",\"weight\":0.1,\"big\":12345678901234567890,\"note\":\"形状\",\"flag\":null,"
                + "\"text\":");
        JsonNode o = BatchCli.JSON.readTree(line);
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("group", "index", "scene", "prompt", "weight", "big", "note", "flag",
                "text", "tokens", "finish_reason", "seed", "prompt_tokens");
    }

    @Test
    void seededSamplingGivesLineKSeedSPlusKUnlessItsParamsSetOne() {
        String[] flags = {"--temperature", "2.0", "--top-p", "1.0"};
        JsonNode s40 = single(with(flags, "--model", shapesLm(), "--prompt", EXPAND_EN, "--seed", "40"));
        JsonNode s41 = single(with(flags, "--model", shapesLm(), "--prompt", EXPAND_EN, "--seed", "41"));
        JsonNode s7 = single(with(flags, "--model", shapesLm(), "--prompt", EXPAND_EN, "--seed", "7"));
        // at T = 2 these seeds draw different texts, so a wrong seed shows as a wrong text
        assumeThat(List.of(s40.get("text").asText(), s41.get("text").asText(), s7.get("text").asText()))
                .doesNotHaveDuplicates();
        Path in = write(dir.resolve("p.jsonl"),
                "{\"prompt\": \"" + EXPAND_EN + "\"}",
                "",
                "{\"prompt\": \"" + EXPAND_EN + "\"}",
                "{\"prompt\": \"" + EXPAND_EN + "\", \"params\": {\"seed\": 7}}");
        Path out = dir.resolve("o.jsonl");

        BatchCli r = run(with(flags, "generate", "--model", shapesLm(), "--in", in.toString(), "--out",
                out.toString(), "--seed", "40"));

        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> got = readJsonl(out);
        // the blank line is not a prompt: the second prompt is k = 1
        assertThat(got).extracting(g -> g.get("seed").asLong()).containsExactly(40L, 41L, 7L);
        assertThat(got).extracting(g -> g.get("text").asText())
                .containsExactly(s40.get("text").asText(), s41.get("text").asText(), s7.get("text").asText());
    }

    @Test
    void lineParamsOverrideTheFlags() {
        Path in = write(dir.resolve("p.jsonl"),
                "{\"prompt\": \"" + EXPAND_EN + "\", \"params\": {\"temperature\": 0}}",
                "{\"prompt\": \"" + EXPAND_EN + "\", \"params\": {\"max_tokens\": 3}}");
        Path out = dir.resolve("o.jsonl");

        BatchCli r = run("generate", "--model", shapesLm(), "--in", in.toString(), "--out", out.toString(),
                "--temperature", "2.0", "--seed", "1", "--max-tokens", "40");

        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> got = readJsonl(out);
        JsonNode greedy = single("--model", shapesLm(), "--prompt", EXPAND_EN, "--max-tokens", "40");
        assertThat(got.get(0).get("text").asText()).isEqualTo(greedy.get("text").asText());
        assertThat(got.get(0).get("seed").isNull()).isTrue();
        assertThat(got.get(1).get("tokens").asInt()).isEqualTo(3);
        assertThat(got.get(1).get("finish_reason").asText()).isEqualTo("length");
        assertThat(got.get(1).get("seed").asLong()).as("--seed 1, k = 1").isEqualTo(2L);
    }

    @Test
    void progressGoesToStandardErrorAsLinesWhenItIsNotATerminal() {
        Path in = write(dir.resolve("p.jsonl"), "{\"prompt\": \"Hi!\"}", "{\"prompt\": \"你好\"}");
        Path out = dir.resolve("o.jsonl");

        BatchCli r = run("generate", "--model", shapesLm(), "--in", in.toString(), "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("1/2 lines (50%)").contains("2/2 lines (100%)").contains("[2 lines, ")
                .doesNotContain("\r");
    }

    private static String[] with(String[] flags, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(flags));
        return all.toArray(String[]::new);
    }
}
