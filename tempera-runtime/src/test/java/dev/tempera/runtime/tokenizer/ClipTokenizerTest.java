package dev.tempera.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempera.runtime.SampleModels;
import dev.tempera.runtime.tokenizer.ClipTokenizer.Padding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTokenizerTest {

    private static final Path SHAPES_CLIP = SampleModels.dir("shapes-clip");
    private static final ClipTokenizer SHAPES = ClipTokenizer.load(SHAPES_CLIP);

    /**
     * A hand-built vocabulary: the byte characters the texts below need, a few merged tokens, the specials. Ids are
     * the insertion order, so every expected id below can be read off this list.
     */
    private static ClipTokenizer tiny() {
        List<String> tokens = List.of(
                "l", "o", "w", "e", "r", "n", "a",                 // 0..6
                "l</w>", "o</w>", "w</w>", "e</w>", "r</w>", "n</w>", "a</w>", // 7..13
                "lo", "low</w>", "er</w>", "aa", "aaaa",           // 14..18
                "<|startoftext|>", "<|endoftext|>");               // 19, 20
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String t : tokens) {
            vocab.put(t, vocab.size());
        }
        List<String> merges = List.of("l o", "lo w</w>", "e r</w>", "a a", "aa aa");
        return ClipTokenizer.of(vocab, merges, ClipTokenizerConfig.clipDefaults().withModelMaxLength(8));
    }

    @Test
    void mergesTheLowestRankedPairFirstAndMarksTheWordEnd() {
        // "lower": l o w e r</w> → (l,o) rank 0 → lo w e r</w> → (e,r</w>) rank 2 → lo w er</w>; (lo,w) is no merge
        // ("lo w</w>" needs w</w>). "newer": n e w e r</w> → only (e,r</w>) merges. "low": l o w</w> → lo w</w> → low</w>.
        ClipTokenizer t = tiny();
        assertThat(t.tokenize("lower newer low")).containsExactly("lo", "w", "er</w>", "n", "e", "w", "er</w>", "low</w>");
        assertThat(t.encodeText("lower newer low")).containsExactly(14, 2, 16, 5, 3, 2, 16, 15);
    }

    @Test
    void mergesEveryOccurrenceOfTheBestPairLeftToRight() {
        // "aaaaa" = a a a a a</w>: (a,a) rank 3 merges at 0 and 2 (not overlapping) → aa aa a</w>; then (aa,aa) rank 4.
        assertThat(tiny().tokenize("aaaaa")).containsExactly("aaaa", "a</w>");
    }

    @Test
    void symbolsMissingFromTheVocabularyBecomeTheUnknownToken() {
        // "z" is not in the tiny vocabulary; the unknown token is <|endoftext|> (id 20) as in CLIP.
        assertThat(tiny().encodeText("z low")).containsExactly(20, 15);
    }

    @Test
    void lowerCasesCollapsesWhitespaceAndSplitsDigitsAndPunctuation() {
        ClipTokenizer t = SHAPES;
        assertThat(t.tokenize("  A\tRED\u00A0circle\n\n")).isEqualTo(t.tokenize("a red circle"));
        // every digit is its own word; a run of punctuation is one word
        assertThat(t.tokenize("12")).containsExactly("1</w>", "2</w>");
        List<String> bangs = t.tokenize("hi!!");
        assertThat(String.join("", bangs)).isEqualTo("hi</w>!!</w>");
        assertThat(bangs.get(bangs.size() - 1)).endsWith("!</w>");
    }

    @Test
    void shapesClipIdsPinnedByHand() {
        // Ids looked up in models/shapes-clip/vocab.json: a</w> 320, red</w> 663, circle</w> 604, yellow</w> 654,
        // square</w> 597, start 1712, end 1713 (also the pad token). The same ids are what tools/sample-models/bpe.py
        // (the tokenizer the model was trained with) gives.
        ClipEncoding e = SHAPES.encode("a red circle");
        assertThat(e.paddedLength()).isEqualTo(77);
        assertThat(Arrays.copyOf(e.ids(), 6)).containsExactly(1712, 320, 663, 604, 1713, 1713);
        assertThat(e.ids()).containsOnly(1712, 320, 663, 604, 1713);
        assertThat(e.length()).isEqualTo(5);
        assertThat(IntStream.of(e.attentionMask()).sum()).isEqualTo(5);
        assertThat(SHAPES.encodeText("a yellow square")).containsExactly(320, 654, 597);
        // A run of Chinese characters is one word; bpe.py gives these two ids (tokenizer_cases.py's text)
        assertThat(SHAPES.encodeText("蓝色背景上左边有一个大的红色圆形")).containsExactly(1619, 1181);
        // "红色" is one merged token: UTF-8 e7 ba a2 e8 89 b2 as byte characters "çº¢èī²</w>", id 856
        assertThat(SHAPES.encodeText("红色")).containsExactly(856);
        // bpe.py: "Hello, world's 123 café"
        assertThat(SHAPES.encodeText("Hello, world's 123 café"))
                .containsExactly(71, 649, 334, 267, 86, 624, 75, 323, 6, 338, 272, 273, 274, 66, 64, 69, 127, 358);
    }

    @Test
    void specialTokenTextBecomesTheSpecialId() {
        assertThat(SHAPES.encodeText("red<|endoftext|>circle")).containsExactly(663, 1713, 604);
        assertThat(SHAPES.encodeText("<|startoftext|>")).containsExactly(1712);
    }

    @Test
    void paddingModes() {
        assertThat(SHAPES.encode("a red circle", Padding.NONE).ids()).containsExactly(1712, 320, 663, 604, 1713);
        assertThat(SHAPES.encode("a red circle", Padding.LONGEST).ids()).containsExactly(1712, 320, 663, 604, 1713);
        List<ClipEncoding> batch = SHAPES.encodeBatch(List.of("a red circle", "red"), Padding.LONGEST);
        assertThat(batch.get(1).ids()).containsExactly(1712, 663, 1713, 1713, 1713);
        assertThat(batch.get(1).attentionMask()).containsExactly(1, 1, 1, 0, 0);
        assertThat(SHAPES.encodeBatch(List.of("red", ""), Padding.MAX_LENGTH)).allMatch(x -> x.paddedLength() == 77);
    }

    @Test
    void emptyTextIsStartAndEndOnly() {
        ClipEncoding e = SHAPES.encode("", Padding.NONE);
        assertThat(e.ids()).containsExactly(1712, 1713);
        assertThat(e.textTokenCount()).isZero();
        assertThat(SHAPES.encode("   \n ", Padding.NONE).ids()).containsExactly(1712, 1713);
    }

    @Test
    void truncationKeepsTheEndTokenAndReportsWhatWasCut() {
        String text = String.join(" ", java.util.Collections.nCopies(100, "red"));
        ClipEncoding e = SHAPES.encode(text);
        assertThat(e.paddedLength()).isEqualTo(77);
        assertThat(e.id(0)).isEqualTo(1712);
        assertThat(e.id(75)).isEqualTo(663);
        assertThat(e.id(76)).isEqualTo(1713);
        assertThat(e.length()).isEqualTo(77);
        // 100 tokens, 75 fit
        assertThat(e.textTokenCount()).isEqualTo(100);
        assertThat(e.removedTokenCount()).isEqualTo(25);
        assertThat(e.removedText()).isEqualTo(String.join(" ", java.util.Collections.nCopies(25, "red")));
        assertThat(e.truncationWarning()).get().asString()
                .startsWith("The following part of your input was truncated because CLIP can only handle sequences up to 77 tokens")
                .endsWith(": " + e.removedText());
        assertThat(SHAPES.encode("a red circle").truncationWarning()).isEmpty();
    }

    @Test
    void truncationLimitFollowsTheConfig() {
        ClipEncoding e = tiny().encode("low low low low low low low low", Padding.NONE);
        // max length 8 = start + 6 tokens + end
        assertThat(e.ids()).containsExactly(19, 15, 15, 15, 15, 15, 15, 20);
        assertThat(e.removedTokenCount()).isEqualTo(2);
        assertThat(e.removedText()).isEqualTo("low low");
    }

    @Test
    void decodeInvertsEncodeUpToNormalisation() {
        int[] ids = SHAPES.encode("A Red circle, 红色!", Padding.NONE).ids();
        assertThat(SHAPES.decode(ids, true)).isEqualTo("a red circle , 红色 !");
        assertThat(SHAPES.decode(ids, false)).startsWith("<|startoftext|>").endsWith("<|endoftext|>");
    }

    @Test
    void padTokenComesFromTheFolderConfig(@TempDir Path dir) throws IOException {
        // SDXL's tokenizer_2 writes pad_token "!" in both files (the map as an AddedToken object).
        Files.copy(SHAPES_CLIP.resolve("vocab.json"), dir.resolve("vocab.json"));
        Files.copy(SHAPES_CLIP.resolve("merges.txt"), dir.resolve("merges.txt"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 77, \"pad_token\": \"!\"}");
        Files.writeString(dir.resolve("special_tokens_map.json"),
                "{\"pad_token\": {\"content\": \"!\", \"normalized\": false}, \"bos_token\": \"<|startoftext|>\"}");
        ClipTokenizer sdxl = ClipTokenizer.load(dir);
        assertThat(sdxl.padId()).isZero();
        ClipEncoding e = sdxl.encode("a red circle");
        assertThat(Arrays.copyOf(e.ids(), 7)).containsExactly(1712, 320, 663, 604, 1713, 0, 0);
        // as in transformers (and diffusers issue #4153), the special "!" is split out as id 0, not "!</w>" (256)
        assertThat(sdxl.encodeText("red!")).containsExactly(663, 0);
        assertThat(SHAPES.encodeText("red!")).containsExactly(663, 256);
    }

    @Test
    void tokenizerJsonAloneGivesTheSameIds(@TempDir Path dir) throws IOException {
        Files.copy(SHAPES_CLIP.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.copy(SHAPES_CLIP.resolve("tokenizer_config.json"), dir.resolve("tokenizer_config.json"));
        ClipTokenizer fromJson = ClipTokenizer.load(dir);
        for (String text : TokenizerTexts.all()) {
            assertThat(fromJson.encodeText(text)).as(text).isEqualTo(SHAPES.encodeText(text));
        }
        assertThat(fromJson.vocabSize()).isEqualTo(1714);
    }

    @Test
    void readsContextLengthAndIgnoresTransformersNoLimitSentinel(@TempDir Path dir) throws IOException {
        Files.copy(SHAPES_CLIP.resolve("vocab.json"), dir.resolve("vocab.json"));
        Files.copy(SHAPES_CLIP.resolve("merges.txt"), dir.resolve("merges.txt"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 1000000000000000019884624838656}");
        assertThat(ClipTokenizer.load(dir).maxLength()).isEqualTo(77);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 32}");
        assertThat(ClipTokenizer.load(dir).maxLength()).isEqualTo(32);
    }

    @Test
    void cachedAndUncachedResultsAgreeAcrossThreads() {
        ClipTokenizer fresh = ClipTokenizer.load(SHAPES_CLIP);
        List<String> texts = TokenizerTexts.all();
        List<int[]> first = new ArrayList<>();
        for (String t : texts) {
            first.add(fresh.encodeText(t));
        }
        List<int[]> again = texts.parallelStream().map(fresh::encodeText).toList();
        for (int i = 0; i < texts.size(); i++) {
            assertThat(again.get(i)).as(texts.get(i)).isEqualTo(first.get(i));
        }
    }

    @Test
    void encodingIsImmutable() {
        ClipEncoding e = SHAPES.encode("a red circle");
        e.ids()[1] = 0;
        e.attentionMask()[1] = 0;
        assertThat(e.id(1)).isEqualTo(320);
        assertThat(e.attentionMask()[1]).isEqualTo(1);
    }

    @Test
    void badInputsNameTheInputTheRangeAndTheValue(@TempDir Path dir) throws IOException {
        // Tried: a missing folder, a folder without tokenizer files, a merge whose result is not in the vocabulary,
        // a malformed merge line, an id outside the vocabulary (encode and decode), a context length of 2, an empty
        // pad token, a pad token missing from the vocabulary, padding to fewer positions than the real tokens.
        assertThatThrownBy(() -> ClipTokenizer.load(dir.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be an existing directory")
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> ClipTokenizer.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold vocab.json + merges.txt or tokenizer.json");
        Files.writeString(dir.resolve("vocab.json"), "{\"a\": 0, \"b</w>\": 1, \"<|startoftext|>\": 2, \"<|endoftext|>\": 3}");
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\na b</w>\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ClipTokenizer.load(dir))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("vocab.json")
                .hasMessageContaining("needs 'ab</w>' in the vocabulary");
        Map<String, Integer> vocab = Map.of("a", 0, "<|startoftext|>", 1, "<|endoftext|>", 2);
        assertThatThrownBy(() -> ClipTokenizer.of(vocab, List.of("ab"), ClipTokenizerConfig.clipDefaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("merge 0 must be two tokens separated by one space, but is: 'ab'");
        assertThatThrownBy(() -> SHAPES.encodeTokenIds(new int[] {5, 1714}, Padding.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("textIds[1] must be a vocabulary id in [0, 1714), but is: 1714");
        assertThatThrownBy(() -> SHAPES.decode(new int[] {-1}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in [0, 1714), but is: -1");
        assertThatThrownBy(() -> ClipTokenizerConfig.clipDefaults().withModelMaxLength(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modelMaxLength must be in [3, 65536]").hasMessageContaining("but is: 2");
        assertThatThrownBy(() -> ClipTokenizerConfig.clipDefaults().withPadToken(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("padToken must be a non-empty token");
        assertThatThrownBy(() -> ClipTokenizer.of(vocab, List.of(), ClipTokenizerConfig.clipDefaults().withPadToken("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("padToken 'x' must be in the vocabulary, but is missing");
        assertThatThrownBy(() -> SHAPES.encode("a red circle").padTo(3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length must be >= the real tokens (5)").hasMessageContaining("but is: 3");
    }
}
