package dev.tempera.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tempera.runtime.SampleModels;
import dev.tempera.runtime.tokenizer.ClipTokenizer.Padding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pure-Java tokenizer against Hugging Face tokenizers (Rust, through DJL) running the same model's
 * {@code tokenizer.json}: identical ids on hand-picked and random texts.
 */
class ClipTokenizerDjlParityTest {

    private static final Path DIR = SampleModels.dir("shapes-clip");
    private static HuggingFaceTokenizer rust;
    private static ClipTokenizer clip;

    @BeforeAll
    static void load() throws IOException {
        // DJL must never reach for the network on these machines: its natives come from the jar.
        System.setProperty("ai.djl.offline", "true");
        rust = HuggingFaceTokenizer.newInstance(DIR.resolve("tokenizer.json"),
                Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
        clip = ClipTokenizer.load(DIR);
    }

    @AfterAll
    static void close() {
        if (rust != null) {
            rust.close();
        }
    }

    @Test
    void sameIdsAsHuggingFaceTokenizersOnEveryText() {
        int compared = 0;
        for (String text : TokenizerTexts.all()) {
            Encoding expected = rust.encode(text);
            int[] textIds = clip.encodeText(text);
            long[] actual = new long[textIds.length + 2];
            actual[0] = clip.bosId();
            for (int i = 0; i < textIds.length; i++) {
                actual[i + 1] = textIds[i];
            }
            actual[actual.length - 1] = clip.eosId();
            assertThat(actual).as("ids of %s", escape(text)).isEqualTo(expected.getIds());
            compared++;
        }
        assertThat(compared).isGreaterThan(400);
    }

    @Test
    void encodeWithoutPaddingMatchesForTextsThatFit() {
        for (String text : TokenizerTexts.HAND_PICKED) {
            long[] expected = rust.encode(text).getIds();
            if (expected.length > clip.maxLength()) {
                continue;
            }
            int[] ids = clip.encode(text, Padding.NONE).ids();
            assertThat(java.util.Arrays.stream(ids).asLongStream().toArray()).as(escape(text)).isEqualTo(expected);
        }
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
