package dev.tempera.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs DJL's real Rust tokenizer on a hand-written WordLevel {@code tokenizer.json} (test resource): vocabulary
 * [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 a=4 red=5 circle=6 small=7 blue=8 square=9, lower-casing, whitespace
 * pre-tokenisation and a "[CLS] A [SEP]" template, so every expected id below can be read off that list.
 *
 * <p>Bad inputs tried: maxTokens 1 and 0, a missing file, an empty batch, a null text, a file that is not a
 * tokenizer.
 */
class HfTokenizerTest {

    private static final String RESOURCE = "/dev/tempera/runtime/tokenizer/word-level-tokenizer.json";

    private static HfTokenizer open(int maxTokens) throws IOException {
        try (InputStream in = HfTokenizerTest.class.getResourceAsStream(RESOURCE)) {
            return HfTokenizer.open(in, RESOURCE, maxTokens);
        }
    }

    @Test
    void encodesWithSpecialTokensAndLowerCase() throws IOException {
        try (HfTokenizer tok = open(16)) {
            HfTokenizer.Batch b = tok.encode(List.of("A Red circle"));
            // [CLS]=2, a=4, red=5, circle=6, [SEP]=3
            assertThat(b.rows()).isEqualTo(1);
            assertThat(b.columns()).isEqualTo(5);
            assertThat(b.inputIds()).containsExactly(2, 4, 5, 6, 3);
            assertThat(b.attentionMask()).containsExactly(1, 1, 1, 1, 1);
            assertThat(b.typeIds()).containsExactly(0, 0, 0, 0, 0);
            assertThat(tok.tokens("A Red circle")).containsExactly("[CLS]", "a", "red", "circle", "[SEP]");
        }
    }

    @Test
    void padsTheBatchOnTheRightToItsLongestRow() throws IOException {
        try (HfTokenizer tok = open(16)) {
            HfTokenizer.Batch b = tok.encode(List.of("a small blue square", "circle"));
            // row 0: [CLS] a small blue square [SEP] = 6 tokens; row 1: [CLS] circle [SEP] + 3 x [PAD]=0
            assertThat(b.columns()).isEqualTo(6);
            assertThat(Arrays.copyOfRange(b.inputIds(), 0, 6)).containsExactly(2, 4, 7, 8, 9, 3);
            assertThat(Arrays.copyOfRange(b.inputIds(), 6, 12)).containsExactly(2, 6, 3, 0, 0, 0);
            assertThat(Arrays.copyOfRange(b.attentionMask(), 6, 12)).containsExactly(1, 1, 1, 0, 0, 0);
            assertThat(b.length(0)).isEqualTo(6);
            assertThat(b.length(1)).isEqualTo(3);
        }
    }

    @Test
    void truncatesAtMaxTokensKeepingTheSpecialTokens() throws IOException {
        try (HfTokenizer tok = open(4)) {
            HfTokenizer.Batch b = tok.encode(List.of("a red circle square square"));
            // 4 tokens in all: [CLS] a red [SEP]
            assertThat(b.inputIds()).containsExactly(2, 4, 5, 3);
        }
    }

    @Test
    void mapsUnknownWordsToUnk() throws IOException {
        try (HfTokenizer tok = open(16)) {
            // "green" is not in the vocabulary: [UNK]=1
            assertThat(tok.encode(List.of("green circle")).inputIds()).containsExactly(2, 1, 6, 3);
        }
    }

    @Test
    void loadsFromAFileAndLeavesDjlOffline(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        try (InputStream in = HfTokenizerTest.class.getResourceAsStream(RESOURCE)) {
            Files.copy(in, file);
        }
        try (HfTokenizer tok = HfTokenizer.open(file, 8)) {
            assertThat(tok.encode(List.of("blue")).inputIds()).containsExactly(2, 8, 3);
            assertThat(tok.maxTokens()).isEqualTo(8);
        }
        // set by the class unless the user chose (the build sets neither)
        if (System.getenv("DJL_OFFLINE") == null) {
            assertThat(System.getProperty(HfTokenizer.OFFLINE_PROPERTY)).isNotNull();
        }
    }

    @Test
    void rejectsBadArgumentsNamingThem(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> open(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTokens must be >= 2 (room for the special tokens), but is: 1");
        assertThatThrownBy(() -> open(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but is: 0");
        assertThatThrownBy(() -> HfTokenizer.open(dir.resolve("missing.json"), 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenizer.json must be an existing file, but is: ")
                .hasMessageContaining("missing.json");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"not\": \"a tokenizer\"}");
        assertThatThrownBy(() -> HfTokenizer.open(bad, 8)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot load the tokenizer").hasMessageContaining("bad.json");
        try (HfTokenizer tok = open(8)) {
            assertThatThrownBy(() -> tok.encode(List.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("texts must hold at least 1 text, but holds: 0");
            assertThatThrownBy(() -> tok.encode(Arrays.asList("a", null))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("texts[1] must be a string, but is: null");
        }
    }
}
