package dev.tempera.eval.reference;

import dev.tempera.eval.internal.NgramIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * CIDEr-D, the consensus metric coco-caption reports as "CIDEr": tf-idf n-gram cosine with clipping and a
 * Gaussian length penalty, times 10.
 *
 * <p>Definition (vrama91/cider {@code pyciderevalcap/ciderD/ciderD_scorer.py}, eval anchors §4.4): for n = 1..4,
 * g_n(s) is the vector of tf(g)·(ln D − ln max(1, df(g))) over the n-grams g of s, with D and df from a
 * {@link DocumentFrequencies} table;
 * <pre>
 *   sim_n(c, r) = Σ_g min(g_n(c)_g, g_n(r)_g)·g_n(r)_g / (‖g_n(c)‖·‖g_n(r)‖) · exp(−δ²/(2σ²)),  σ = 6
 *   CIDEr-D(c, R) = 10 · mean_n [ (1/|R|) Σ_{r∈R} sim_n(c, r) ]
 * </pre>
 * The min() clipping is the "-D"; an order where either norm is 0 contributes 0. δ is the difference of the
 * candidate's and the reference's <em>bigram</em> counts (the reference accumulates its "length" at n = 2; for
 * non-empty texts that is the word-count difference). The corpus value is the mean over images.
 *
 * <p>What callers trip on: with {@link #scoreCorpus} the document frequencies come from the very references
 * being scored, so one image scores 0 (ln 1 = 0) and every score depends on the batch; pass a fixed
 * {@link DocumentFrequencies} table to {@link #score} for per-prompt use. Tokens as for {@link CocoBleu}.
 * Stateless and thread-safe.
 *
 * <p>Cost: linear in the n-grams of the call. N-grams get dense ids once per call, so vectors are sparse arrays and
 * the table is looked up once per distinct n-gram.
 *
 * <pre>{@code
 * DocumentFrequencies df = DocumentFrequencies.read(Path.of("coco-train-df.tsv"));
 * ReferenceScore cider = CiderD.score(candidates, references, df);
 * }</pre>
 */
public final class CiderD {

    /** The length penalty's σ. */
    public static final double SIGMA = 6.0;

    private static final int ORDER = DocumentFrequencies.ORDER;

    private CiderD() {
    }

    /** CIDEr-D with document frequencies taken from {@code references} themselves (coco-caption's corpus mode). */
    public static ReferenceScore scoreCorpus(List<List<String>> candidates, List<List<List<String>>> references) {
        CaptionSets.check(candidates, references);
        Grams g = Grams.of(candidates, references);
        // df by id: the number of images whose reference set holds the n-gram (as DocumentFrequencies.fromReferences)
        int[] df = new int[g.ids.size()];
        int[] lastImage = new int[g.ids.size()];
        Arrays.fill(lastImage, -1);
        for (int i = 0; i < g.refs.length; i++) {
            for (int[][] ref : g.refs[i]) {
                for (int[] order : ref) {
                    for (int id : order) {
                        if (lastImage[id] != i) {
                            lastImage[id] = i;
                            df[id]++;
                        }
                    }
                }
            }
        }
        double refLen = Math.log(references.size());
        double[] idf = new double[df.length];
        for (int id = 0; id < idf.length; id++) {
            idf[id] = refLen - Math.log(Math.max(1.0, df[id]));
        }
        return compute(g, idf);
    }

    /** CIDEr-D with a fixed document-frequency table. */
    public static ReferenceScore score(List<List<String>> candidates, List<List<List<String>>> references,
                                       DocumentFrequencies df) {
        CaptionSets.check(candidates, references);
        Objects.requireNonNull(df, "df");
        Grams g = Grams.of(candidates, references);
        // one table lookup per distinct n-gram of the call, keyed as the table is (tokens joined by spaces)
        double[] idf = new double[g.ids.size()];
        boolean[] known = new boolean[idf.length];
        double refLen = df.logDocuments();
        for (int i = 0; i < candidates.size(); i++) {
            fillIdf(candidates.get(i), g.cands[i], df, refLen, idf, known);
            for (int j = 0; j < references.get(i).size(); j++) {
                fillIdf(references.get(i).get(j), g.refs[i][j], df, refLen, idf, known);
            }
        }
        return compute(g, idf);
    }

    private static void fillIdf(List<String> tokens, int[][] grams, DocumentFrequencies df, double refLen, double[] idf,
                                boolean[] known) {
        for (int n = 1; n <= ORDER; n++) {
            int[] order = grams[n - 1];
            for (int p = 0; p < order.length; p++) {
                int id = order[p];
                if (!known[id]) {
                    known[id] = true;
                    idf[id] = refLen - Math.log(Math.max(1.0, df.frequency(String.join(" ", tokens.subList(p, p + n)))));
                }
            }
        }
    }

    private static ReferenceScore compute(Grams g, double[] idf) {
        int idCount = idf.length;
        int[] scratchCount = new int[idCount];
        double[] refValue = new double[idCount];
        List<Double> per = new ArrayList<>(g.cands.length);
        double sum = 0;
        for (int i = 0; i < g.cands.length; i++) {
            TfIdf cand = TfIdf.of(g.cands[i], idf, scratchCount);
            double[] total = new double[ORDER];
            for (int[][] refGrams : g.refs[i]) {
                TfIdf r = TfIdf.of(refGrams, idf, scratchCount);
                double penalty = Math.exp(-Math.pow(cand.bigrams - r.bigrams, 2) / (2 * SIGMA * SIGMA));
                for (int n = 0; n < ORDER; n++) {
                    for (int k = 0; k < r.ids[n].length; k++) {
                        refValue[r.ids[n][k]] = r.values[n][k];
                    }
                    double val = 0;
                    for (int k = 0; k < cand.ids[n].length; k++) {
                        double rv = refValue[cand.ids[n][k]];
                        val += Math.min(cand.values[n][k], rv) * rv;
                    }
                    for (int id : r.ids[n]) {
                        refValue[id] = 0;
                    }
                    if (cand.norms[n] != 0 && r.norms[n] != 0) {
                        val /= cand.norms[n] * r.norms[n];
                    }
                    total[n] += val * penalty;
                }
            }
            double mean = 0;
            for (double t : total) {
                mean += t;
            }
            double score = mean / ORDER / g.refs[i].length * 10.0;
            per.add(score);
            sum += score;
        }
        return new ReferenceScore("CIDEr-D", sum / g.cands.length, per);
    }

    /** N-gram ids (orders 1..4) of every candidate and reference of one call, from one shared {@link NgramIds}. */
    private record Grams(NgramIds ids, int[][][] cands, int[][][][] refs) {

        static Grams of(List<List<String>> candidates, List<List<List<String>>> references) {
            NgramIds ids = new NgramIds();
            int[][][] cands = new int[candidates.size()][][];
            int[][][][] refs = new int[candidates.size()][][][];
            for (int i = 0; i < cands.length; i++) {
                cands[i] = ids.grams(ids.tokens(candidates.get(i)), ORDER);
                List<List<String>> r = references.get(i);
                refs[i] = new int[r.size()][][];
                for (int j = 0; j < r.size(); j++) {
                    refs[i][j] = ids.grams(ids.tokens(r.get(j)), ORDER);
                }
            }
            return new Grams(ids, cands, refs);
        }
    }

    /** The sparse tf-idf vector of one caption per order (distinct ids, values), its norms, its bigram count. */
    private record TfIdf(int[][] ids, double[][] values, double[] norms, int bigrams) {

        static TfIdf of(int[][] grams, double[] idf, int[] count) {
            int[][] ids = new int[ORDER][];
            double[][] values = new double[ORDER][];
            double[] norms = new double[ORDER];
            for (int n = 0; n < ORDER; n++) {
                int[] order = grams[n];
                int distinct = 0;
                for (int id : order) {
                    if (count[id]++ == 0) {
                        distinct++;
                    }
                }
                ids[n] = new int[distinct];
                values[n] = new double[distinct];
                int k = 0;
                for (int id : order) {
                    int tf = count[id];
                    if (tf > 0) {
                        double v = tf * idf[id];
                        ids[n][k] = id;
                        values[n][k] = v;
                        norms[n] += v * v;
                        k++;
                        count[id] = 0;
                    }
                }
                norms[n] = Math.sqrt(norms[n]);
            }
            return new TfIdf(ids, values, norms, grams[1].length);
        }
    }
}
