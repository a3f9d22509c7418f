package dev.tempera.eval.align;

import dev.tempera.runtime.tokenizer.ClipEncoding;
import dev.tempera.runtime.tokenizer.ClipTokenizer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * CLIPScore (Hessel et al., EMNLP 2021): how well a text describes an image, as w · max(cos(E_image, E_text), 0)
 * per pair with w = 2.5, then the mean over pairs ({@link ClipScores}). Tempera's modal alignment (MDA) is this
 * score divided by w, in [0, 1].
 *
 * <p>Reference: jmhessel/clipscore {@code clipscore.py} — L2-normalised features, per-sample clamp at 0, mean over
 * samples. torchmetrics' {@code CLIPScore} is a different metric (100 · cos averaged, clamped after the mean, no
 * prefix, ViT-L/14 by default); it is named here only so nobody mixes the two.
 *
 * <p>Uses: a generated image against its prompt ({@link #imagesAgainstPrompt}, or
 * {@link #imageEmbeddingsAgainstPrompt} when the images are already embedded); a VLM's descriptions against the
 * image they describe ({@link #descriptionsAgainstImage}); any aligned pairs ({@link #scorePairs}).
 *
 * <p>What callers trip on:
 * <ul>
 *   <li>Long texts. CLIP sees 75 text tokens; the reference silently truncates. Here the policy is explicit
 *       ({@link LongTextPolicy}, default {@link LongTextPolicy#SENTENCE_MEAN}: texts that fit are scored whole;
 *       longer ones are split into sentences — Chinese {@code 。！？} included — each scored, and averaged), and every
 *       score also carries the truncated whole-text score and the number of tokens cut.</li>
 *   <li>Empty text is scored as CLIP sees it (start and end tokens only, after the prefix), with no special case,
 *       as the reference does; it usually scores low but not 0.</li>
 *   <li>The score depends on the model: numbers from the bundled shapes-clip are not comparable with ViT-B/32's.</li>
 *   <li>Thread-safe if the model is; all texts and images of a call are embedded in batches.</li>
 * </ul>
 *
 * <pre>{@code
 * ClipScore clipScore = new ClipScore(clip);
 * ClipScores s = clipScore.imagesAgainstPrompt(images, "a red circle on the left");
 * System.out.printf("CLIP-S %.3f (MDA %.3f)%n", s.mean(), s.meanAlignment());
 * }</pre>
 */
public final class ClipScore {

    private final ClipModel model;
    private final ClipScoreOptions options;

    /** With {@link ClipScoreOptions#defaults()}. */
    public ClipScore(ClipModel model) {
        this(model, ClipScoreOptions.defaults());
    }

    public ClipScore(ClipModel model, ClipScoreOptions options) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
    }

    public ClipScoreOptions options() {
        return options;
    }

    /**
     * w · max(cos(a, b), 0) of two embeddings (normalised here; the reference's per-sample formula).
     *
     * @throws IllegalArgumentException if the lengths differ, a value is not finite, a vector is all zeros or w is
     *     not finite and positive
     */
    public static double hessel(float[] imageEmbedding, float[] textEmbedding, double weight) {
        Objects.requireNonNull(imageEmbedding, "imageEmbedding");
        Objects.requireNonNull(textEmbedding, "textEmbedding");
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be finite and > 0, but is: " + weight);
        }
        if (imageEmbedding.length != textEmbedding.length || imageEmbedding.length == 0) {
            throw new IllegalArgumentException("embeddings must have one non-zero length, but have: "
                    + imageEmbedding.length + " and " + textEmbedding.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < imageEmbedding.length; i++) {
            double a = imageEmbedding[i];
            double b = textEmbedding[i];
            if (!Double.isFinite(a) || !Double.isFinite(b)) {
                throw new IllegalArgumentException("embeddings must be finite, but position " + i + " holds: " + a + ", " + b);
            }
            dot += a * b;
            na += a * a;
            nb += b * b;
        }
        if (na == 0 || nb == 0) {
            throw new IllegalArgumentException("embeddings must be non-zero (a zero vector has no direction), but the "
                    + (na == 0 ? "image" : "text") + " embedding is all zeros");
        }
        double cos = Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
        return weight * Math.max(cos, 0);
    }

    /** The score of one pair. */
    public TextImageScore score(BufferedImage image, String text) {
        return scorePairs(List.of(image), List.of(text)).pairs().get(0);
    }

    /** Each of {@code images} (e.g. one per seed) against the one prompt they were generated from. */
    public ClipScores imagesAgainstPrompt(List<BufferedImage> images, String prompt) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(prompt, "prompt");
        requireNonEmpty("images", images);
        return imageEmbeddingsAgainstPrompt(embedImages(images), prompt);
    }

    /**
     * {@link #imagesAgainstPrompt} for images already embedded, so that a caller who needs the embeddings anyway
     * (e.g. for {@link dev.tempera.eval.image.ImageDiversity#fromEmbeddings}) runs the vision tower once. Equal to
     * {@code imagesAgainstPrompt(images, prompt)} when {@code imageEmbeddings} is {@code model.embedImages(images)}.
     *
     * <p>What it expects: one row per image, in order, from <em>this</em> score's {@link ClipModel} (its image
     * tower and projection); embeddings of another model are not detected unless their length differs, and give
     * meaningless scores. Rows may be {@link ClipModel#embedImages}'s unit-length ones or raw projections: the cosine
     * ignores length, so both score the same. The rows are read, not changed or kept.
     *
     * @throws IllegalArgumentException if there are no rows, a row is null, empty, of another length than the
     *     prompt's embedding, not finite or all zeros
     */
    public ClipScores imageEmbeddingsAgainstPrompt(float[][] imageEmbeddings, String prompt) {
        Objects.requireNonNull(imageEmbeddings, "imageEmbeddings");
        Objects.requireNonNull(prompt, "prompt");
        if (imageEmbeddings.length == 0) {
            throw new IllegalArgumentException("imageEmbeddings must hold at least 1 row, but holds: 0");
        }
        for (int i = 0; i < imageEmbeddings.length; i++) {
            if (imageEmbeddings[i] == null) {
                throw new IllegalArgumentException("imageEmbeddings[" + i + "] must be an embedding, but is: null");
            }
        }
        Prepared p = prepare(List.of(prompt));
        float[][] textEmbeds = model.embedEncodings(p.encodings);
        int dim = textEmbeds[0].length;
        List<TextImageScore> out = new ArrayList<>(imageEmbeddings.length);
        for (int i = 0; i < imageEmbeddings.length; i++) {
            if (imageEmbeddings[i].length != dim) {
                throw new IllegalArgumentException("imageEmbeddings[" + i + "] must have the model's embedding length "
                        + dim + " (image embeddings of " + model.dir() + "), but has: " + imageEmbeddings[i].length);
            }
            out.add(p.score(0, imageEmbeddings[i], textEmbeds, options));
        }
        return ClipScores.of(out, options.weight());
    }

    /** Each of {@code descriptions} (e.g. one per sampling configuration) against the image they describe. */
    public ClipScores descriptionsAgainstImage(BufferedImage image, List<String> descriptions) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(descriptions, "descriptions");
        requireNonEmpty("descriptions", descriptions);
        float[] img = embedImages(List.of(image))[0];
        Prepared p = prepare(descriptions);
        float[][] textEmbeds = model.embedEncodings(p.encodings);
        List<TextImageScore> out = new ArrayList<>(descriptions.size());
        for (int t = 0; t < descriptions.size(); t++) {
            out.add(p.score(t, img, textEmbeds, options));
        }
        return ClipScores.of(out, options.weight());
    }

    /**
     * Pair i is ({@code images[i]}, {@code texts[i]}).
     *
     * @throws IllegalArgumentException if the lists are empty, of different sizes, or hold null
     */
    public ClipScores scorePairs(List<BufferedImage> images, List<String> texts) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(texts, "texts");
        requireNonEmpty("images", images);
        if (images.size() != texts.size()) {
            throw new IllegalArgumentException("images and texts must pair up one to one, but there are " + images.size()
                    + " images and " + texts.size() + " texts");
        }
        float[][] imageEmbeds = embedImages(images);
        Prepared p = prepare(texts);
        float[][] textEmbeds = model.embedEncodings(p.encodings);
        List<TextImageScore> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(p.score(i, imageEmbeds[i], textEmbeds, options));
        }
        return ClipScores.of(out, options.weight());
    }

    private float[][] embedImages(List<BufferedImage> images) {
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i) == null) {
                throw new IllegalArgumentException("images[" + i + "] must be an image, but is: null");
            }
        }
        return model.embedImages(images);
    }

    private static void requireNonEmpty(String name, List<?> list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException(name + " must hold at least 1 item, but holds: 0");
        }
    }

    /**
     * Tokenizes every text once: its whole-text encoding (truncated) first, then — when it is too long and the
     * policy splits — one encoding per sentence window. All go through the text tower in one batched call.
     */
    private Prepared prepare(List<String> texts) {
        ClipTokenizer tok = model.tokenizer();
        int window = tok.maxTextTokens();
        int[] prefix = tok.encodeText(options.prefix());
        if (prefix.length >= window) {
            throw new IllegalArgumentException("prefix must leave room for text in the " + window + "-token window, but "
                    + "it takes " + prefix.length + " tokens: '" + options.prefix() + "'");
        }
        Prepared p = new Prepared(texts.size());
        for (int t = 0; t < texts.size(); t++) {
            String text = texts.get(t);
            if (text == null) {
                throw new IllegalArgumentException("texts[" + t + "] must be a string, but is: null");
            }
            int[] ids = concat(prefix, tok.encodeText(text));
            p.first[t] = p.encodings.size();
            p.tokens[t] = ids.length;
            p.encodings.add(tok.encodeTokenIds(ids, ClipTokenizer.Padding.NONE));
            if (ids.length > window && options.longText() == LongTextPolicy.SENTENCE_MEAN) {
                int room = window - prefix.length;
                for (String sentence : Sentences.split(text)) {
                    int[] s = tok.encodeText(sentence);
                    for (int from = 0; from < s.length; from += room) {
                        int[] piece = concat(prefix, Arrays.copyOfRange(s, from, Math.min(s.length, from + room)));
                        p.encodings.add(tok.encodeTokenIds(piece, ClipTokenizer.Padding.NONE));
                    }
                }
            }
            p.end[t] = p.encodings.size();
        }
        return p;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The encodings of a list of texts and, per text, which of them are its whole text and its pieces. */
    private static final class Prepared {
        final List<ClipEncoding> encodings = new ArrayList<>();
        final int[] first;
        final int[] end;
        final int[] tokens;

        Prepared(int texts) {
            first = new int[texts];
            end = new int[texts];
            tokens = new int[texts];
        }

        TextImageScore score(int text, float[] image, float[][] textEmbeds, ClipScoreOptions options) {
            double w = options.weight();
            double whole = hessel(image, textEmbeds[first[text]], w);
            int window = encodings.get(first[text]).length() - 2;
            int cut = tokens[text] - window;
            List<Double> pieces = new ArrayList<>();
            for (int i = first[text] + 1; i < end[text]; i++) {
                pieces.add(hessel(image, textEmbeds[i], w));
            }
            if (pieces.isEmpty()) {
                // fits the window, or TRUNCATE, or a long text with no sentence holding a letter or digit
                return new TextImageScore(whole, whole, tokens[text], cut, List.of(whole), options.longText());
            }
            double mean = pieces.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            return new TextImageScore(mean, whole, tokens[text], cut, pieces, options.longText());
        }
    }
}
