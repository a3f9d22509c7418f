package dev.tempera.bench;

import dev.tempera.eval.diversity.PairwiseCosine;
import dev.tempera.eval.fidelity.DetailFidelity;
import dev.tempera.eval.fidelity.FidelityScore;
import dev.tempera.eval.fidelity.FidelitySummary;
import dev.tempera.eval.diversity.Vendi;
import dev.tempera.eval.reference.CiderD;
import dev.tempera.eval.reference.CocoBleu;
import dev.tempera.eval.reference.CocoRougeL;
import dev.tempera.eval.text.TextDiversityReport;
import dev.tempera.eval.text.WordSegmentation;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.SceneSampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The model-free evaluation metrics on the workload: 64 outputs of 256 words for one prompt (issue 5
 * target: all metrics in at most 1 s, model calls excluded).
 *
 * <ul>
 *   <li>{@code textReport}: {@link TextDiversityReport} with its defaults (ICU words, distinct-1..4, Ent-1..4,
 *       self-BLEU-3, MATTR, MTLD, zlib ratio, lengths);</li>
 *   <li>{@code referenceMetrics}: coco-caption BLEU-1..4, ROUGE-L and CIDEr-D (corpus df), each output scored
 *       against 5 other outputs of 256 words as references (longer references than real captions: a worst case);</li>
 *   <li>{@code embeddingDiversity}: mean pairwise cosine distance and Vendi of 64 x 384 embeddings (the shape
 *       all-MiniLM-L6-v2 gives), without the model call;</li>
 *   <li>{@code detailFidelity}: each output parsed and scored against a Shapes-world scene, then summarised
 *       (attribute P/R/F1, CHAIR);</li>
 *   <li>{@code allMetrics}: all of the above in one operation, what {@code tempera eval text} computes besides its
 *       model calls: the number to hold against the 1 s target. The model calls are {@link EvalEmbedBench}.</li>
 * </ul>
 * Words are drawn with a fixed seed from a Zipf-like distribution over 2,000 types, so n-grams repeat as in text.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EvalTextBench {

    static final int OUTPUTS = 64;
    static final int WORDS = 256;
    static final int REFERENCES = 5;

    private List<String> outputs;
    private List<List<String>> tokens;
    private List<List<List<String>>> references;
    private float[][] embeddings;
    private Scene scene;

    /** The 64 outputs of 256 words, drawn with {@link BenchData#SEED} (shared with {@link EvalEmbedBench}). */
    static List<String> outputs() {
        Random random = new Random(BenchData.SEED);
        List<String> outputs = new ArrayList<>(OUTPUTS);
        for (int i = 0; i < OUTPUTS; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < WORDS; w++) {
                // Zipf-like: rank = floor(2000^u), so low ranks (common words) dominate
                int rank = (int) Math.pow(2000, random.nextDouble());
                sb.append("w").append(rank).append(w % 20 == 19 ? ". " : " ");
            }
            outputs.add(sb.toString());
        }
        return outputs;
    }

    @Setup
    public void setUp() {
        outputs = outputs();
        scene = SceneSampler.sample(BenchData.SEED, 0);
        Random random = new Random(BenchData.SEED + 1);
        tokens = WordSegmentation.ICU_WORDS.wordsOfAll(outputs);
        references = new ArrayList<>(OUTPUTS);
        for (int i = 0; i < OUTPUTS; i++) {
            List<List<String>> refs = new ArrayList<>(REFERENCES);
            for (int j = 1; j <= REFERENCES; j++) {
                refs.add(tokens.get((i + j) % OUTPUTS));
            }
            references.add(refs);
        }
        embeddings = new float[OUTPUTS][384];
        for (float[] row : embeddings) {
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) random.nextGaussian();
            }
        }
    }

    @Benchmark
    public TextDiversityReport textReport() {
        return TextDiversityReport.of(outputs);
    }

    @Benchmark
    public double referenceMetrics() {
        return CocoBleu.score(tokens, references).get(3).corpus() + CocoRougeL.score(tokens, references).corpus()
                + CiderD.scoreCorpus(tokens, references).corpus();
    }

    @Benchmark
    public double embeddingDiversity() {
        return PairwiseCosine.meanDistance(embeddings) + Vendi.score(embeddings);
    }

    @Benchmark
    public FidelitySummary detailFidelity() {
        List<FidelityScore> scores = new ArrayList<>(OUTPUTS);
        for (String o : outputs) {
            scores.add(DetailFidelity.score(scene, o));
        }
        return FidelitySummary.of(scores);
    }

    @Benchmark
    public double allMetrics() {
        return textReport().meanMtld() + referenceMetrics() + embeddingDiversity() + detailFidelity().meanF1();
    }
}
