package dev.tempera.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streaming detokenisation on shapes-lm's byte-level BPE tokenizer (Qwen2's format, with Chinese words and
 * single-byte tokens): the Java byte path (fast) and the native window path (reference) both give exactly the
 * native decode of the whole sequence, and never emit half a character.
 */
class IncrementalDetokenizerTest {

    private static TextTokenizer tokenizer;

    @BeforeAll
    static void open() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("models/shapes-lm"))) {
            p = p.getParent();
        }
        tokenizer = TextTokenizer.open(p.resolve("models/shapes-lm/tokenizer.json"));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static String stream(int[] ids, boolean skip, boolean nativeOnly, List<String> deltas) {
        IncrementalDetokenizer d = new IncrementalDetokenizer(tokenizer, new int[] {654, 77, 198}, skip, nativeOnly);
        for (int id : ids) {
            deltas.add(d.push(id));
        }
        deltas.add(d.flush());
        return String.join("", deltas);
    }

    @Test
    void theTokenizerIsByteLevel() {
        assertThat(tokenizer.byteLevel()).isPresent();
    }

    @Test
    void fastAndReferencePathsEqualTheWholeDecodeOnRandomSequences() {
        SplittableRandom rnd = new SplittableRandom(7);
        int vocab = tokenizer.vocabSize();
        for (int trial = 0; trial < 400; trial++) {
            int[] ids = new int[1 + rnd.nextInt(40)];
            for (int i = 0; i < ids.length; i++) {
                // mix: byte tokens (0..255), merged tokens, special tokens
                int kind = rnd.nextInt(10);
                ids[i] = kind < 3 ? rnd.nextInt(256) : kind < 9 ? rnd.nextInt(vocab) : 653 + rnd.nextInt(14);
            }
            for (boolean skip : new boolean[] {true, false}) {
                String whole = tokenizer.decode(ids, skip);
                assertThat(stream(ids, skip, false, new ArrayList<>())).as("fast, trial %d", trial).isEqualTo(whole);
                assertThat(stream(ids, skip, true, new ArrayList<>())).as("reference, trial %d", trial)
                        .isEqualTo(whole);
            }
        }
    }

    @Test
    void aCharacterSplitOverByteTokensIsEmittedOnceWhole() {
        int[] hong = {163, 118, 95}; // 红 = E7 BA A2
        for (boolean nativeOnly : new boolean[] {false, true}) {
            List<String> deltas = new ArrayList<>();
            String text = stream(new int[] {64, hong[0], hong[1], hong[2], 64}, true, nativeOnly, deltas);
            assertThat(text).isEqualTo("a红a");
            assertThat(deltas).containsExactly("a", "", "", "红", "a", "");
        }
    }

    @Test
    void anIncompleteCharacterAtTheEndIsFlushedAsReplacement() {
        List<String> deltas = new ArrayList<>();
        String text = stream(new int[] {64, 163, 118}, true, false, deltas);
        assertThat(deltas.get(deltas.size() - 1)).contains("\uFFFD");
        assertThat(text).isEqualTo(tokenizer.decode(new int[] {64, 163, 118}, true));
    }

    @Test
    void completePrefixHoldsBackOnlyAnUnfinishedCharacter() {
        byte[] b = {'a', (byte) 0xE7, (byte) 0xBA};
        assertThat(IncrementalDetokenizer.completePrefix(b, 3)).isEqualTo(1);
        assertThat(IncrementalDetokenizer.completePrefix(b, 1)).isEqualTo(1);
        byte[] done = {(byte) 0xE7, (byte) 0xBA, (byte) 0xA2};
        assertThat(IncrementalDetokenizer.completePrefix(done, 3)).isEqualTo(3);
        byte[] stray = {'a', (byte) 0xBA};  // a continuation byte without a lead: malformed, emitted as U+FFFD
        assertThat(IncrementalDetokenizer.completePrefix(stray, 2)).isEqualTo(2);
        byte[] invalidLead = {(byte) 0xFF};
        assertThat(IncrementalDetokenizer.completePrefix(invalidLead, 1)).isEqualTo(1);
        byte[] four = {(byte) 0xF0, (byte) 0x9F, (byte) 0x98};
        assertThat(IncrementalDetokenizer.completePrefix(four, 3)).isZero();
    }
}
