package dev.tempera.lab.cli.eval;

import dev.tempera.eval.Creativity;
import dev.tempera.eval.align.ClipScores;
import dev.tempera.eval.align.TextImageScore;
import dev.tempera.eval.diversity.SemanticDiversity;
import dev.tempera.eval.fidelity.DetailFidelity;
import dev.tempera.eval.fidelity.FidelityScore;
import dev.tempera.eval.fidelity.FidelitySummary;
import dev.tempera.eval.reference.CiderD;
import dev.tempera.eval.reference.CocoBleu;
import dev.tempera.eval.reference.CocoRougeL;
import dev.tempera.eval.reference.DocumentFrequencies;
import dev.tempera.eval.reference.ReferenceScore;
import dev.tempera.eval.text.TextDiversityOptions;
import dev.tempera.eval.text.TextDiversityReport;
import dev.tempera.eval.text.WordSegmentation;
import dev.tempera.shapes.Scene;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The metrics of {@code tempera eval text}, once the model outputs are in: every set (each group, then all outputs)
 * is scored by the library in {@code tempera-eval}; this class only slices the inputs by set and pairs the results.
 * Model calls (sentence embeddings, CLIP) are made once over all outputs by the caller and sliced here, so a text
 * never goes through a model twice. Stateless.
 */
final class TextEvaluation {

    /** coco-caption's BLEU order reported: BLEU-4. */
    static final int BLEU_ORDER = 4;

    private TextEvaluation() {}

    /**
     * What goes in besides the outputs; each optional part adds its metrics.
     *
     * @param options tokenizer and parameters of the lexical metrics
     * @param embedder the embedder's name and one embedding row per output, in output order
     * @param alignment one CLIPScore per output against the image, in output order
     * @param scene the true Shapes-world scene behind the image
     * @param references reference captions of the image, shared by every output
     * @param df CIDEr-D's fixed document-frequency table (only with references)
     */
    record Setup(TextDiversityOptions options, Optional<Embeddings> embedder, Optional<ClipScores> alignment,
                  Optional<Scene> scene, Optional<List<String>> references, Optional<DocumentFrequencies> df) {
        Setup {
            Objects.requireNonNull(options, "options");
            if (df.isPresent() && references.isEmpty()) {
                throw new IllegalArgumentException("a document-frequency table needs references");
            }
        }
    }

    /** Sentence embeddings of the outputs. */
    record Embeddings(String name, float[][] rows) {}

    /** Reference metrics of one set: coco-caption corpus BLEU-4, mean ROUGE-L, mean CIDEr-D (with a table only). */
    record ReferenceMetrics(double bleu4, double rougeL, OptionalDouble ciderD) {}

    /** Every metric of one set of outputs. */
    record SetResult(String name, List<Integer> members, TextDiversityReport text, Optional<SemanticDiversity> semantic,
                     Optional<ClipScores> alignment, Optional<FidelitySummary> fidelity,
                     Optional<ReferenceMetrics> references, Optional<Creativity> creativity) {}

    /** The per-output metrics. */
    record Item(Inputs.Output output, int words, Optional<TextImageScore> alignment,
                Optional<FidelityScore> fidelity, Optional<ReferenceMetrics> references) {}

    /**
     * @param groups one result per group, in order of first appearance (empty when no line names a group)
     * @param overall all outputs
     * @param items one per output, in input order
     */
    record Result(List<SetResult> groups, SetResult overall, List<Item> items) {}

    static Result evaluate(List<Inputs.Output> outputs, Setup in) {
        List<String> texts = new ArrayList<>(outputs.size());
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            texts.add(outputs.get(i).text());
            int index = i;
            outputs.get(i).group().ifPresent(g -> groups.computeIfAbsent(g, k -> new ArrayList<>()).add(index));
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            all.add(i);
        }

        // per output: fidelity against the scene, references tokenised once (ICU words: case-folded, no punctuation)
        List<FidelityScore> fidelity = in.scene().map(s -> texts.stream().map(t -> DetailFidelity.score(s, t)).toList())
                .orElse(null);
        WordSegmentation words = WordSegmentation.ICU_WORDS;
        List<List<String>> tokens = words.wordsOfAll(texts);
        List<List<String>> refTokens = in.references().map(words::wordsOfAll).orElse(null);

        List<SetResult> groupResults = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            groupResults.add(set(g.getKey(), g.getValue(), texts, tokens, refTokens, fidelity, in).result);
        }
        SetAndPerImage overall = set("all", all, texts, tokens, refTokens, fidelity, in);

        List<Item> items = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            int k = i;
            Optional<ReferenceMetrics> refs = overall.perImage == null ? Optional.empty()
                    : Optional.of(new ReferenceMetrics(overall.perImage.bleu4.perImage().get(i),
                            overall.perImage.rougeL.perImage().get(i),
                            overall.perImage.ciderD == null ? OptionalDouble.empty()
                                    : OptionalDouble.of(overall.perImage.ciderD.perImage().get(i))));
            items.add(new Item(outputs.get(i), tokens.get(i).size(),
                    in.alignment().map(a -> a.pairs().get(k)),
                    fidelity == null ? Optional.empty() : Optional.of(fidelity.get(i)), refs));
        }
        return new Result(List.copyOf(groupResults), overall.result, List.copyOf(items));
    }

    /** A set's result and, for the overall set, the per-output reference scores. */
    private record SetAndPerImage(SetResult result, PerImage perImage) {}

    private record PerImage(ReferenceScore bleu4, ReferenceScore rougeL, ReferenceScore ciderD) {}

    private static SetAndPerImage set(String name, List<Integer> members, List<String> texts,
                                      List<List<String>> tokens, List<List<String>> refTokens,
                                      List<FidelityScore> fidelity, Setup in) {
        TextDiversityReport text = TextDiversityReport.of(pick(texts, members), in.options());
        Optional<SemanticDiversity> semantic = in.embedder().map(e -> {
            float[][] rows = new float[members.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = e.rows()[members.get(i)];
            }
            return SemanticDiversity.of(e.name(), rows);
        });
        Optional<ClipScores> alignment = in.alignment().map(a ->
                ClipScores.of(pick(a.pairs(), members), a.weight()));
        Optional<FidelitySummary> df = fidelity == null ? Optional.empty()
                : Optional.of(FidelitySummary.of(pick(fidelity, members)));
        Optional<ReferenceMetrics> refs = Optional.empty();
        PerImage perImage = null;
        if (refTokens != null) {
            List<List<String>> candidates = pick(tokens, members);
            List<List<List<String>>> references = Collections.nCopies(members.size(), refTokens);
            ReferenceScore bleu = CocoBleu.score(candidates, references).get(BLEU_ORDER - 1);
            ReferenceScore rouge = CocoRougeL.score(candidates, references);
            ReferenceScore cider = in.df().map(d -> CiderD.score(candidates, references, d)).orElse(null);
            refs = Optional.of(new ReferenceMetrics(bleu.corpus(), rouge.corpus(),
                    cider == null ? OptionalDouble.empty() : OptionalDouble.of(cider.corpus())));
            perImage = new PerImage(bleu, rouge, cider);
        }
        Optional<Creativity> creativity = alignment.isPresent() && semantic.isPresent()
                ? Optional.of(Creativity.of(alignment.get().meanAlignment(), semantic.get().vendi(), members.size()))
                : Optional.empty();
        return new SetAndPerImage(new SetResult(name, List.copyOf(members), text, semantic, alignment, df, refs,
                creativity), perImage);
    }

    private static <T> List<T> pick(List<T> list, List<Integer> members) {
        List<T> out = new ArrayList<>(members.size());
        for (int i : members) {
            out.add(list.get(i));
        }
        return out;
    }
}
