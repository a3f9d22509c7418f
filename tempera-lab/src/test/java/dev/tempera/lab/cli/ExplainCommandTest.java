package dev.tempera.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {

    // The seed's printed values (part 1: logits [2, 1, 0.5, 0.2]; part 2: probs [0.4, 0.3, 0.2, 0.1]),
    // computed by its PyTorch code in float32 and rounded to 6 decimals.
    static final String SOFTMAX = "[0.569376, 0.209462, 0.127045, 0.094117]";
    static final String T05 = "[0.824779, 0.111622, 0.041063, 0.022536]";
    static final String T2 = "[0.402339, 0.244031, 0.190051, 0.163579]";
    // 0.4f + 0.3f rounds to 0.70000005 > 0.7, so p = 0.7 keeps two tokens: 0.4 / 0.7 and 0.3 / 0.7.
    static final String P07 = "[0.571429, 0.428571, 0, 0]";
    // 0.4 + 0.3 + 0.2 exceeds 0.9 in float32, so p = 0.9 keeps three: each / 0.9.
    static final String P09 = "[0.444444, 0.333333, 0.222222, 0]";

    @TempDir Path dir;

    @Test
    void temperatureOnlyPrintsTheSeedsTableInEnglish() {
        Cli r = Cli.run("explain", "--logits", "2,1,0.5,0.2", "--temperature", "0.5,1,2");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Original probabilities: " + SOFTMAX + "\n",
                "Temperature 0.5: " + T05 + "\n", "Temperature 1.0: " + SOFTMAX + "\n", "Temperature 2.0: " + T2 + "\n");
    }

    @Test
    void langZhPrintsTheSeedsOwnLabels() {
        Cli r = Cli.run("explain", "--logits", "2,1,0.5,0.2", "--temperature", "0.5,1,2", "--lang", "zh");
        assertThat(r.out()).contains("原始概率: " + SOFTMAX + "\n", "温度 0.5 后的概率: " + T05 + "\n",
                "温度 1.0 后的概率: " + SOFTMAX + "\n", "温度 2.0 后的概率: " + T2 + "\n");
    }

    @Test
    void topPOnlyOnProbsPrintsTheSeedsTable() {
        Cli en = Cli.run("explain", "--probs", "0.4,0.3,0.2,0.1", "--top-p", "0.7,0.9");
        assertThat(en.out()).contains("Original probabilities: [0.400000, 0.300000, 0.200000, 0.100000]\n",
                "Top-P (p=0.7): " + P07 + "\n", "Top-P (p=0.9): " + P09 + "\n");
        Cli zh = Cli.run("explain", "--probs", "0.4,0.3,0.2,0.1", "--top-p", "0.7,0.9", "--lang", "zh");
        assertThat(zh.out()).contains("原始概率: [0.400000, 0.300000, 0.200000, 0.100000]\n",
                "Top-P (p=0.7) 后的概率: " + P07 + "\n", "Top-P (p=0.9) 后的概率: " + P09 + "\n");
    }

    @Test
    void aListOfOrdersComparesTheEnginesSideBySide() throws Exception {
        // T 0.7, top-p 0.9, min-p 0.1 on [2, 1, 0.5, 0.2, -1]: vLLM keeps 2, transformers 3, llama.cpp 4
        // (hand-checked in the sampling module's EngineOrderTest style; see DemoCommand part 3).
        Cli r = Cli.run("explain", "--logits", "2,1,0.5,0.2,-1", "--temperature", "0.7", "--top-p", "0.9",
                "--min-p", "0.1", "--order", "vllm,transformers,llama.cpp", "--json");
        assertThat(r.code()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("orders")).hasSize(3);
        assertThat(root.get("rows")).hasSize(3);
        assertThat(root.get("rows").get(0).get("kept").asInt()).isEqualTo(2);
        assertThat(root.get("rows").get(1).get("kept").asInt()).isEqualTo(3);
        assertThat(root.get("rows").get(2).get("kept").asInt()).isEqualTo(4);
        assertThat(root.get("rows").get(2).get("label").asText()).endsWith("[llama.cpp]");
    }

    @Test
    void historyOptionsShowHowEnginesCountPenalties() throws Exception {
        // Token 0 appears twice in the prompt. vLLM counts frequency on generated tokens only: no change.
        // llama.cpp counts its window: logit 1 - 2 * 0.5 = 0 against 1, so p0 = 1 / (1 + e).
        Cli r = Cli.run("explain", "--logits", "1,1", "--prompt-ids", "0,0", "--frequency-penalty", "0.5",
                "--order", "vllm,llama.cpp", "--json");
        assertThat(r.code()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out()).get("rows");
        assertThat(rows.get(0).get("probs").get(0).asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(rows.get(1).get("probs").get(0).asDouble()).isCloseTo(1 / (1 + Math.E), within(1e-6));
        // As generated tokens, vLLM counts them too.
        Cli g = Cli.run("explain", "--logits", "1,1", "--generated-ids", "0,0", "--frequency-penalty", "0.5", "--json");
        JsonNode row = new ObjectMapper().readTree(g.out()).get("rows").get(0);
        assertThat(row.get("probs").get(0).asDouble()).isCloseTo(1 / (1 + Math.E), within(1e-6));
        assertThat(row.get("chain").toString()).contains("penalties");
    }

    @Test
    void xtcAndMirostatCanBeExplained() {
        Cli r = Cli.run("explain", "--probs", "0.4,0.3,0.2,0.1", "--xtc-probability", "1", "--xtc-threshold", "0.25",
                "--seed", "1");
        assertThat(r.code()).isZero();
        // 0.4 and 0.3 are above 0.25: 0.4 goes; 0.3, 0.2, 0.1 over 0.6.
        assertThat(r.out()).contains("xtc(probability=1.0, threshold=0.25)").contains("0.500000");
        Cli m = Cli.run("explain", "--probs", "0.5,0.25,0.125,0.125", "--mirostat", "2", "--mirostat-tau", "0.5");
        assertThat(m.out()).contains("mirostat_v2").contains("kept 1 of 4 tokens");
    }

    @Test
    void seedTableIsOmittedWhenOtherProcessorsAreGiven() {
        Cli r = Cli.run("explain", "--logits", "2,1,0.5,0.2", "--temperature", "0.5", "--top-k", "2");
        assertThat(r.code()).isZero();
        assertThat(r.out()).doesNotContain("Original probabilities:").contains("[1] temperature=0.5, top_k=2");
    }

    @Test
    void everyRowShowsTheTableKeptSetEntropyAndChain() {
        Cli r = Cli.run("explain", "--logits", "2,1,0.5,0.2", "--temperature", "0.5");
        // T = 0.5: token 0 goes from softmax 0.569376 to 0.824779; nothing is removed.
        assertThat(r.out()).contains("          0  0.569376  0.824779   ✓",
                "kept 4 of 4 tokens, holding 1.000000 of the original mass",
                "chain: temperature(0.5) -> sample");
        // Entropy of [0.824779, 0.111622, 0.041063, 0.022536] = 0.6202 nats, exp = 1.859.
        assertThat(r.out()).contains("entropy 0.6202 nats, effective tokens 1.859");
    }

    @Test
    void listsGiveTheCartesianProduct() {
        Cli r = Cli.run("explain", "--logits", "2,1,0.5,0.2", "--temperature", "0.5,1", "--top-p", "0.8,0.9,1",
                "--json");
        assertThat(r.code()).isZero();
        JsonNode rows = json(r).get("rows");
        assertThat(rows).hasSize(6);
        assertThat(rows.get(0).get("label").asText()).isEqualTo("temperature=0.5, top_p=0.8");
        assertThat(rows.get(5).get("label").asText()).isEqualTo("temperature=1");
    }

    @Test
    void jsonHasTheDocumentedFieldsAndNormalisedProbs() {
        Cli r = Cli.run("explain", "--logits", "2,1,0.5,0.2,-1", "--temperature", "0.7", "--top-p", "0.9",
                "--min-p", "0.1", "--order", "llama.cpp", "--json");
        assertThat(r.code()).isZero();
        JsonNode root = json(r);
        assertThat(root.get("input").get("kind").asText()).isEqualTo("logits");
        assertThat(root.get("input").get("values")).hasSize(5);
        assertThat(root.get("order").asText()).isEqualTo("llama.cpp");
        JsonNode row = root.get("rows").get(0);
        assertThat(row.fieldNames()).toIterable().contains("label", "params", "probs", "kept", "kept_mass", "entropy",
                "effective_tokens", "chain");
        assertThat(row.get("params").get("top_p").asDouble()).isEqualTo(0.9);
        double sum = 0;
        for (JsonNode p : row.get("probs")) {
            sum += p.asDouble();
        }
        assertThat(sum).isCloseTo(1.0, within(1e-9));
        // llama.cpp cuts at T = 1 ([0.554, 0.204, 0.124, 0.092, 0.028]: top-p 0.9 needs four), then sharpens.
        assertThat(row.get("kept").asInt()).isEqualTo(4);
        assertThat(row.get("chain").get(0).asText()).startsWith("top_p");
        assertThat(row.get("chain").get(2).asText()).startsWith("temperature");
    }

    @Test
    void jsonOmitsValuesOfLargeInputsButGivesTheSize() throws Exception {
        Path f = dir.resolve("big.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            sb.append(i % 7 * 0.25).append('\n');
        }
        Files.writeString(f, sb);
        JsonNode root = json(Cli.run("explain", "--logits-file", f.toString(), "--top-k", "5", "--json"));
        assertThat(root.get("input").has("values")).isFalse();
        assertThat(root.get("input").get("size").asInt()).isEqualTo(1500);
        assertThat(root.get("rows").get(0).get("probs")).hasSize(1500);
    }

    @Test
    void largeVocabulariesShowTheTop20AndCountTheRest() {
        StringBuilder logits = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            logits.append(i > 0 ? "," : "").append(i * 0.1);
        }
        Cli r = Cli.run("explain", "--logits", logits.toString(), "--top-k", "10");
        assertThat(r.code()).isZero();
        // The most likely token is the last one (logit 4.9); 30 tokens are summarised in one line.
        assertThat(r.out()).contains("         49  ").contains("+30 more").contains("kept 10 of 50 tokens")
                .doesNotContain("\n          0  ");
    }

    @Test
    void chartWritesSvg() throws Exception {
        Path svg = dir.resolve("out.svg");
        Cli r = Cli.run("explain", "--logits", "2,1,0.5,0.2", "--temperature", "0.5,1,2", "--chart", svg.toString());
        assertThat(r.code()).isZero();
        String text = Files.readString(svg, StandardCharsets.UTF_8).stripLeading();
        assertThat(text).satisfiesAnyOf(t -> assertThat(t).startsWith("<svg"), t -> assertThat(t).startsWith("<?xml"));
        assertThat(text).contains("</svg>").contains("temperature=0.5");
    }

    @Test
    void chartWritesPng() throws Exception {
        Path png = dir.resolve("out.png");
        Cli r = Cli.run("explain", "--probs", "0.4,0.3,0.2,0.1", "--top-p", "0.7,0.9", "--chart", png.toString());
        assertThat(r.code()).isZero();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G', (byte) 0x0d, (byte) 0x0a,
                (byte) 0x1a, (byte) 0x0a);
    }

    @Test
    void logitsFilesGiveTheSameRowsAsLogits() throws Exception {
        String[] settings = {"--temperature", "0.7", "--top-p", "0.9", "--min-p", "0.1", "--json"};
        JsonNode expected = json(Cli.run(concat(new String[] {"explain", "--logits", "2,1,0.5,0.2,-1"}, settings)))
                .get("rows");

        Path txt = dir.resolve("z.txt");
        Files.writeString(txt, "2 1\n0.5, 0.2\t-1\n");
        Path js = dir.resolve("z.json");
        Files.writeString(js, "[2.0, 1, 0.5, 0.2, -1]");
        Path npy4 = dir.resolve("z4.npy");
        Files.write(npy4, npy("<f4", new double[] {2, 1, 0.5, 0.2, -1}));
        Path npy8 = dir.resolve("z8.npy");
        Files.write(npy8, npy("<f8", new double[] {2, 1, 0.5, 0.2, -1}));

        for (Path f : new Path[] {txt, js, npy4, npy8}) {
            JsonNode rows = json(Cli.run(concat(new String[] {"explain", "--logits-file", f.toString()}, settings)))
                    .get("rows");
            assertThat(rows).as(f.toString()).isEqualTo(expected);
        }
    }

    /** A version 1.0 .npy file as numpy.save writes it: magic, version, header padded to 64 bytes, data. */
    static byte[] npy(String descr, double[] values) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + values.length + ",), }";
        int headerLen = dict.length() + 1;
        int pad = (64 - (10 + headerLen) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        int width = descr.endsWith("4") ? 4 : 8;
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + width * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (double v : values) {
            if (width == 4) {
                b.putFloat((float) v);
            } else {
                b.putDouble(v);
            }
        }
        return b.array();
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static JsonNode json(Cli r) {
        assertThat(r.code()).as(r.err()).isZero();
        try {
            return new ObjectMapper().readTree(r.out());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.out(), e);
        }
    }
}
