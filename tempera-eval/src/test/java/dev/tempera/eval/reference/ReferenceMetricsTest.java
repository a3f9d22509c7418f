package dev.tempera.eval.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden values for coco-caption BLEU, ROUGE-L and CIDEr-D. The n-gram counts are worked by hand in the comments;
 * the final numbers are those formulas evaluated with python3 as a calculator, e.g. for BLEU
 * {@code p = 1; for k in range(4): p *= (correct[k] + 1e-15)/(guess[k] + 1e-9); b[k] = p ** (1/(k+1))}, then
 * {@code * exp(1 - 1/ratio)} when {@code ratio = (c + 1e-15)/(r + 1e-9) < 1}.
 *
 * <p>Bad inputs tried: no candidates, mismatched list sizes, an image without references, a null reference,
 * a token with a space, an empty token, a df table with df &gt; documents or documents 0, malformed df files.
 */
class ReferenceMetricsTest {

    private static List<String> t(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(" "));
    }

    // image 1: candidate 6 words, references of 6 and 4 words
    private static final List<String> CAND1 = t("a red circle on the left");
    private static final List<List<String>> REFS1 = List.of(t("a red circle at the left"), t("a big red circle"));
    // image 2: candidate equal to its only reference
    private static final List<String> CAND2 = t("a blue square");
    private static final List<List<String>> REFS2 = List.of(t("a blue square"));

    @Test
    void bleuOfOneImageByHand() {
        // correct/guess: 1-grams a red circle the left = 5/6; 2-grams (a red)(red circle)(the left) = 3/5;
        // 3-grams (a red circle) = 1/4; 4-grams 0/3. Closest reference length to 6 is 6.
        // Bleu_1 = 5/6, Bleu_2 = sqrt(5/6*3/5), Bleu_3 = (5/6*3/5*1/4)^(1/3) = 0.5,
        // Bleu_4 = (0.125 * 1e-15/3)^(1/4) = 8.03e-5 (coco's pseudo-smoothing, not 0);
        // c = r gives ratio (6 + 1e-15)/(6 + 1e-9) < 1, so all carry exp(1 - 1/ratio) = 1 - 1.7e-10
        List<ReferenceScore> b = CocoBleu.score(List.of(CAND1), List.of(REFS1));
        assertThat(b).extracting(ReferenceScore::metric).containsExactly("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4");
        assertThat(b.get(0).corpus()).isCloseTo(0.8333333330555557, within(1e-12));
        assertThat(b.get(1).corpus()).isCloseTo(0.7071067809390603, within(1e-12));
        assertThat(b.get(2).corpus()).isCloseTo(0.49999999981388915, within(1e-12));
        assertThat(b.get(3).corpus()).isCloseTo(8.034284186199331e-05, within(1e-15));
        assertThat(b.get(3).perImage()).containsExactly(b.get(3).corpus());
    }

    @Test
    void bleuCorpusPoolsCountsInsteadOfAveraging() {
        // image 2 alone: 3/3, 2/2, 1/1 and 0/0 4-grams -> (0 + 1e-15)/(0 + 1e-9) = 1e-6 -> Bleu_4 = 1e-6^(1/4) = 0.0316
        // corpus: correct 8, 5, 2, 0 over guess 9, 7, 5, 3; c = r = 9
        List<ReferenceScore> b = CocoBleu.score(List.of(CAND1, CAND2), List.of(REFS1, REFS2));
        assertThat(b.get(3).perImage().get(1)).isCloseTo(0.03162277657664911, within(1e-12));
        assertThat(b.get(0).corpus()).isCloseTo(0.8888888886913584, within(1e-12));
        assertThat(b.get(1).corpus()).isCloseTo(0.7968190726998772, within(1e-12));
        assertThat(b.get(2).corpus()).isCloseTo(0.6332761675624715, within(1e-12));
        assertThat(b.get(3).corpus()).isCloseTo(9.59211870177708e-05, within(1e-15));
        // the mean of per-image Bleu_4 would be ~0.0158: the corpus value is not that
        double mean = (b.get(3).perImage().get(0) + b.get(3).perImage().get(1)) / 2;
        assertThat(b.get(3).corpus()).isNotCloseTo(mean, within(1e-3));
    }

    @Test
    void bleuBrevityPenaltyAndEmptyCandidate() {
        // candidate "a red" vs reference "a red circle on the left": c = 2, r = 6 -> exp(1 - 6/2) = e^-2 on Bleu_1 = 1
        List<ReferenceScore> b = CocoBleu.score(List.of(t("a red")), List.of(List.of(t("a red circle on the left"))));
        assertThat(b.get(0).corpus()).isCloseTo(Math.exp(-2), within(1e-9));
        // an empty candidate: every order 1e-15/1e-9 = 1e-6, times exp(1 - 1/ratio) with ratio ~ 1e-16: 0, not NaN
        List<ReferenceScore> e = CocoBleu.score(List.of(t("")), List.of(List.of(t("a red"))));
        assertThat(e.get(3).corpus()).isZero();
    }

    @Test
    void rougeLUsesBetaOnePointTwo() {
        // "a red circle" vs "a big red circle on the left": LCS 3 -> P = 3/3, R = 3/7;
        // (1 + 1.44) * 1 * 3/7 / (3/7 + 1.44 * 1) = 0.5596330275229358 (F1 would be 0.6)
        ReferenceScore r = CocoRougeL.score(List.of(t("a red circle")), List.of(List.of(t("a big red circle on the left"))));
        assertThat(r.corpus()).isCloseTo(0.5596330275229358, within(1e-15));
        assertThat(r.metric()).isEqualTo("ROUGE_L");
    }

    @Test
    void rougeLMaximisesPrecisionAndRecallSeparately() {
        // "a b c d" vs r1 = "a b" (LCS 2: P 1/2, R 1) and r2 = "a b c d e f g h" (LCS 4: P 1, R 1/2):
        // P_max = 1 from r2, R_max = 1 from r1 -> 1, above either reference's own F-measure
        assertThat(CocoRougeL.sentence(t("a b c d"), List.of(t("a b"), t("a b c d e f g h")))).isEqualTo(1.0);
        // LCS by hand: "a red circle on the left" vs "a red circle at the left" -> 5
        assertThat(CocoRougeL.lcs(CAND1, REFS1.get(0))).isEqualTo(5);
    }

    @Test
    void rougeLCorpusIsTheMeanAndEmptiesGiveZero() {
        ReferenceScore r = CocoRougeL.score(List.of(CAND2, t("")), List.of(REFS2, List.of(t("a"))));
        // image 1 identical -> 1; image 2 empty candidate -> 0
        assertThat(r.perImage()).containsExactly(1.0, 0.0);
        assertThat(r.corpus()).isEqualTo(0.5);
        assertThat(CocoRougeL.sentence(t("a"), List.of(t("")))).isZero();
    }

    // CIDEr corpus: image A "a red circle" with refs "a red circle", "a blue circle"; image B "a green square" with
    // ref "a green square". D = 2 -> ln 2; df: "a" = 2 (idf 0), every other n-gram 1 (idf ln 2).
    private static final List<List<String>> CIDER_CANDS = List.of(t("a red circle"), t("a green square"));
    private static final List<List<List<String>>> CIDER_REFS = List.of(
            List.of(t("a red circle"), t("a blue circle")), List.of(t("a green square")));

    @Test
    void ciderDCorpusModeByHand() {
        // A vs ref 1 (identical): sim_1 = sim_2 = sim_3 = 1, sim_4 = 0 (no 4-grams, norms 0); delta 0
        // A vs ref 2: order 1 vectors (a 0, red ln2, circle ln2) and (a 0, blue ln2, circle ln2):
        //   min(ln2, ln2) * ln2 / (sqrt2 ln2 * sqrt2 ln2) = 1/2; orders 2, 3 share nothing -> 0
        //   A = 10 * mean_n(sum over refs) / 2 = 10 * ((1.5 + 1 + 1 + 0)/4) / 2 = 4.375
        // B identical to its one reference: 10 * (3/4) / 1 = 7.5; corpus mean 5.9375
        ReferenceScore c = CiderD.scoreCorpus(CIDER_CANDS, CIDER_REFS);
        assertThat(c.metric()).isEqualTo("CIDEr-D");
        assertThat(c.perImage().get(0)).isCloseTo(4.375, within(1e-12));
        assertThat(c.perImage().get(1)).isCloseTo(7.5, within(1e-12));
        assertThat(c.corpus()).isCloseTo(5.9375, within(1e-12));
    }

    @Test
    void ciderDOfOneImageIsZeroInCorpusModeButNotWithAFixedTable() {
        // one image: ln D = ln 1 = 0 and every idf = 0 - ln(max(1, df)) <= 0 ... all vectors 0 -> 0
        assertThat(CiderD.scoreCorpus(CIDER_CANDS.subList(0, 1), CIDER_REFS.subList(0, 1)).corpus()).isZero();
        // the table of the two-image corpus, fixed, gives image A the same 4.375 on its own
        DocumentFrequencies df = DocumentFrequencies.fromReferences(CIDER_REFS);
        assertThat(CiderD.score(CIDER_CANDS.subList(0, 1), CIDER_REFS.subList(0, 1), df).corpus())
                .isCloseTo(4.375, within(1e-12));
    }

    @Test
    void ciderDLengthPenaltyUsesSigmaSix() {
        // empty table with D = 10: every n-gram has idf ln 10. "a red circle" vs "a red circle on the left":
        // sim_1 = 3/(sqrt3 * sqrt6), sim_2 = 2/(sqrt2 * sqrt5), sim_3 = 1/(1 * sqrt4), sim_4 = 0 (candidate has none);
        // bigram counts 2 vs 5: exp(-9/72). 10 * mean_n = 4.058520108820502
        DocumentFrequencies flat = new DocumentFrequencies(Map.of(), 10);
        assertThat(CiderD.score(List.of(t("a red circle")), List.of(List.of(t("a red circle on the left"))), flat).corpus())
                .isCloseTo(4.058520108820502, within(1e-12));
    }

    @Test
    void ciderDClipsRepeatedNgrams() {
        // "red red red" vs "red": order 1 min(3 idf, idf) * idf / (3 idf * idf) = 1/3 (1 without the clipping);
        // orders 2-4: the reference has no n-grams -> 0; bigram counts 2 vs 0: exp(-4/72). 10 * (1/3 e^(-4/72))/4
        DocumentFrequencies flat = new DocumentFrequencies(Map.of(), 10);
        assertThat(CiderD.score(List.of(t("red red red")), List.of(List.of(t("red"))), flat).corpus())
                .isCloseTo(0.7882995574223045, within(1e-12));
    }

    @Test
    void corpusModeEqualsAFixedTableBuiltFromTheSameReferences() {
        // scoreCorpus counts df by n-gram id; DocumentFrequencies.fromReferences counts by string: same numbers
        java.util.Random random = new java.util.Random(17);
        for (int trial = 0; trial < 40; trial++) {
            int images = 1 + random.nextInt(5);
            List<List<String>> cands = new java.util.ArrayList<>();
            List<List<List<String>>> refs = new java.util.ArrayList<>();
            for (int i = 0; i < images; i++) {
                cands.add(randomCaption(random));
                List<List<String>> r = new java.util.ArrayList<>();
                for (int j = 0, k = 1 + random.nextInt(3); j < k; j++) {
                    r.add(randomCaption(random));
                }
                refs.add(r);
            }
            ReferenceScore corpus = CiderD.scoreCorpus(cands, refs);
            ReferenceScore fixed = CiderD.score(cands, refs, DocumentFrequencies.fromReferences(refs));
            assertThat(corpus.corpus()).as("trial %d", trial).isCloseTo(fixed.corpus(), within(1e-12));
        }
    }

    private static List<String> randomCaption(java.util.Random random) {
        List<String> words = new java.util.ArrayList<>();
        for (int w = 0, n = random.nextInt(8); w < n; w++) {
            words.add("w" + random.nextInt(6));
        }
        return words;
    }

    @Test
    void documentFrequenciesCountImagesNotReferences() {
        // "a" is in both images' references -> 2; "circle" is in two references of image A but one image -> 1
        DocumentFrequencies df = DocumentFrequencies.fromReferences(CIDER_REFS);
        assertThat(df.documents()).isEqualTo(2);
        assertThat(df.frequency("a")).isEqualTo(2);
        assertThat(df.frequency("circle")).isEqualTo(1);
        assertThat(df.frequency("a red circle")).isEqualTo(1);
        assertThat(df.frequency("purple")).isZero();
        assertThat(df.logDocuments()).isEqualTo(Math.log(2));
    }

    @Test
    void documentFrequenciesRoundTripThroughAFile(@TempDir Path dir) throws IOException {
        DocumentFrequencies df = DocumentFrequencies.fromReferences(CIDER_REFS);
        Path file = dir.resolve("df.tsv");
        df.write(file);
        assertThat(Files.readAllLines(file).get(0)).isEqualTo("#documents\t2");
        assertThat(DocumentFrequencies.read(file)).isEqualTo(df);
    }

    @Test
    void rejectsBadArguments(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> CocoBleu.score(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("candidates must hold at least 1 caption (one per image), but holds: 0");
        assertThatThrownBy(() -> CocoRougeL.score(List.of(CAND1), List.of(REFS1, REFS2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("references must hold one list per candidate (1 images), but holds: 2");
        assertThatThrownBy(() -> CiderD.scoreCorpus(List.of(CAND1), List.of(List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("references[0] must hold at least 1 reference caption, but holds: 0");
        assertThatThrownBy(() -> CocoBleu.score(List.of(CAND1), List.of(Arrays.asList(REFS1.get(0), null))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("references[0][1] must be a token list, but is: null");
        assertThatThrownBy(() -> CocoBleu.score(List.of(List.of("a red")), List.of(REFS1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("candidates[0][0] must be a non-empty token without whitespace, but is: 'a red'");
        assertThatThrownBy(() -> CocoRougeL.score(List.of(CAND1), List.of(List.of(List.of("a", "")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("references[0][0][1] must be a non-empty token without whitespace, but is: ''");
        assertThatThrownBy(() -> new DocumentFrequencies(Map.of("a", 3), 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("document frequency of 'a' must be in [1, 2] (documents), but is: 3");
        assertThatThrownBy(() -> new DocumentFrequencies(Map.of(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("documents must be >= 1, but is: 0");
        Path noHeader = Files.writeString(dir.resolve("a.tsv"), "2\ta\n");
        assertThatThrownBy(() -> DocumentFrequencies.read(noHeader)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with '#documents<TAB>N', but starts with: '2\ta'");
        Path badCount = Files.writeString(dir.resolve("b.tsv"), "#documents\t2\nx\ta\n");
        assertThatThrownBy(() -> DocumentFrequencies.read(badCount)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2 must hold an integer count, but holds: 'x'");
        Path tooMany = Files.writeString(dir.resolve("c.tsv"), "#documents\t2\n5\ta\n");
        assertThatThrownBy(() -> DocumentFrequencies.read(tooMany)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("document frequency of 'a' must be in [1, 2] (documents), but is: 5");
    }
}
