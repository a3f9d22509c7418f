package dev.tempera.eval.align;

import dev.tempera.runtime.image.ClipImageProcessor;
import dev.tempera.runtime.image.ImageTensor;
import dev.tempera.runtime.onnx.OnnxModel;
import dev.tempera.runtime.tokenizer.ClipEncoding;
import dev.tempera.runtime.tokenizer.ClipTokenizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * A CLIP model on ONNX Runtime: text and images in, L2-normalised embeddings out, in batches. Loads any CLIP export
 * in the {@linkplain ClipLayout transformers.js or Optimum layout} — the bundled {@code models/shapes-clip}, or a
 * real {@code openai/clip-vit-base-patch32} export — through the same code.
 *
 * <p>The pipeline: text → {@link ClipTokenizer} (77 tokens, padded per batch to the longest) → text tower →
 * {@code text_embeds}; image → {@link ClipImageProcessor} ({@code preprocessor_config.json}) → vision tower →
 * {@code image_embeds}; both divided by their L2 norm.
 *
 * <p>What callers trip on:
 * <ul>
 *   <li>Texts over 75 tokens are truncated by {@link #embedTexts} (the end token kept), as every CLIP tokenizer
 *       does; {@link ClipScore} has a documented policy for long descriptions.</li>
 *   <li>Embeddings are returned normalised (unit length), whatever the export gives (transformers.js towers give raw
 *       projections, Optimum's joint graph normalised ones).</li>
 *   <li>The contract is checked at load: names, element types and ranks are read from the sessions, unknown extra
 *       inputs are refused, and a static {@code pixel_values} size must match the preprocessor's crop. Problems with
 *       the files throw {@link IllegalStateException} naming the file; the caller's mistakes throw
 *       {@link IllegalArgumentException}.</li>
 *   <li>Thread safety: safe to share; ONNX Runtime sessions accept concurrent runs. Closing: the caller owns the
 *       model; {@link #close()} releases the sessions.</li>
 * </ul>
 *
 * <pre>{@code
 * try (ClipModel clip = ClipModel.load(Path.of("models/shapes-clip"))) {
 *     float[][] t = clip.embedTexts(List.of("a red circle"));
 *     float[][] i = clip.embedImages(List.of(ImageIO.read(new File("out/0.png"))));
 * }
 * }</pre>
 */
public final class ClipModel implements AutoCloseable {

    /** Texts or images per ONNX Runtime call unless set otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private final Path dir;
    private final ClipLayout layout;
    private final ClipTokenizer tokenizer;
    private final ClipImageProcessor processor;
    private final List<OnnxModel> sessions;
    private final ClipTextEncoder text;
    private final ClipVisionEncoder vision;
    private final int batchSize;

    private ClipModel(Path dir, ClipLayout layout, ClipTokenizer tokenizer, ClipImageProcessor processor,
            List<OnnxModel> sessions, ClipTextEncoder text, ClipVisionEncoder vision, int batchSize) {
        this.dir = dir;
        this.layout = layout;
        this.tokenizer = tokenizer;
        this.processor = processor;
        this.sessions = sessions;
        this.text = text;
        this.vision = vision;
        this.batchSize = batchSize;
    }

    /** Loads a model folder with ONNX Runtime's default threads and batches of {@value #DEFAULT_BATCH_SIZE}. */
    public static ClipModel load(Path dir) {
        return load(dir, 0, DEFAULT_BATCH_SIZE);
    }

    /**
     * Loads a model folder.
     *
     * @param intraOpThreads ONNX Runtime threads per call, 0 to let it choose
     * @param batchSize texts or images per call, in [1, 4096]
     * @throws IllegalArgumentException if {@code dir} is not a folder, holds no CLIP graphs in a known layout, or an
     *     argument is out of range
     * @throws IllegalStateException if a file is unreadable or its contract is not CLIP's (the message names it)
     */
    public static ClipModel load(Path dir, int intraOpThreads, int batchSize) {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("CLIP model folder must be an existing directory, but is: "
                    + dir.toAbsolutePath());
        }
        if (batchSize < 1 || batchSize > 4096) {
            throw new IllegalArgumentException("batchSize must be in [1, 4096], but is: " + batchSize);
        }
        ClipLayout layout = ClipLayout.detect(dir).orElseThrow(() -> new IllegalArgumentException(
                "CLIP model folder " + dir.toAbsolutePath() + " must hold " + ClipLayout.expectedFiles()
                        + ", but holds none of them"));
        ClipTokenizer tokenizer = ClipTokenizer.load(dir);
        ClipImageProcessor processor = ClipImageProcessor.load(dir);
        int[] imageSize = {processor.config().cropHeight(), processor.config().cropWidth()};
        List<OnnxModel> sessions = new ArrayList<>();
        try {
            ClipTextEncoder text;
            ClipVisionEncoder vision;
            if (layout == ClipLayout.TRANSFORMERS_JS) {
                OnnxModel t = OnnxModel.open(layout.textModel(dir), intraOpThreads);
                sessions.add(t);
                OnnxModel v = OnnxModel.open(layout.visionModel(dir), intraOpThreads);
                sessions.add(v);
                text = new ClipTextEncoder(t, imageSize, false);
                vision = new ClipVisionEncoder(v, imageSize, false, tokenizer.bosId(), tokenizer.eosId());
            } else {
                OnnxModel joint = OnnxModel.open(ClipLayout.jointModel(dir).orElseThrow(), intraOpThreads);
                sessions.add(joint);
                text = new ClipTextEncoder(joint, imageSize, true);
                vision = new ClipVisionEncoder(joint, imageSize, true, tokenizer.bosId(), tokenizer.eosId());
            }
            long staticLength = text.staticLength();
            if (staticLength > 0 && staticLength != tokenizer.maxLength()) {
                throw new IllegalStateException(dir + ": the text graph takes exactly " + staticLength
                        + " tokens but the tokenizer's model_max_length is " + tokenizer.maxLength());
            }
            return new ClipModel(dir, layout, tokenizer, processor, List.copyOf(sessions), text, vision, batchSize);
        } catch (RuntimeException e) {
            for (OnnxModel m : sessions) {
                try {
                    m.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public ClipLayout layout() {
        return layout;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    public ClipImageProcessor imageProcessor() {
        return processor;
    }

    public int batchSize() {
        return batchSize;
    }

    /**
     * Unit-length text embeddings, one row per text, in order. Texts over {@code maxLength − 2} tokens are
     * truncated (see the class comment).
     *
     * @throws IllegalArgumentException if the list is empty or holds null
     */
    public float[][] embedTexts(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        List<ClipEncoding> encodings = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t == null) {
                throw new IllegalArgumentException("texts[" + i + "] must be a string, but is: null");
            }
            encodings.add(tokenizer.encode(t, ClipTokenizer.Padding.NONE));
        }
        return embedEncodings(encodings);
    }

    /**
     * Unit-length embeddings of texts already tokenized (for example windows of a long text); each batch is padded
     * to its longest encoding (or to the graph's static length).
     *
     * @throws IllegalArgumentException if the list is empty or holds null
     */
    public float[][] embedEncodings(List<ClipEncoding> encodings) {
        Objects.requireNonNull(encodings, "encodings");
        if (encodings.isEmpty()) {
            throw new IllegalArgumentException("encodings must hold at least 1 text, but holds: 0");
        }
        float[][] out = new float[encodings.size()][];
        for (int start = 0; start < encodings.size(); start += batchSize) {
            int end = Math.min(encodings.size(), start + batchSize);
            int longest = text.staticLength() > 0 ? (int) text.staticLength() : 0;
            for (int i = start; i < end; i++) {
                ClipEncoding e = encodings.get(i);
                if (e == null) {
                    throw new IllegalArgumentException("encodings[" + i + "] must be an encoding, but is: null");
                }
                longest = Math.max(longest, e.length());
            }
            List<ClipEncoding> batch = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                ClipEncoding e = encodings.get(i);
                batch.add(e.paddedLength() == longest && e.length() <= longest ? e : e.padTo(longest, tokenizer.padId()));
            }
            float[][] embeds = text.embed(batch);
            for (int i = 0; i < embeds.length; i++) {
                out[start + i] = normalise(embeds[i], "text " + (start + i));
            }
        }
        return out;
    }

    /**
     * Unit-length image embeddings, one row per image, in order.
     *
     * @throws IllegalArgumentException if the list is empty or holds null
     */
    public float[][] embedImages(List<BufferedImage> images) {
        Objects.requireNonNull(images, "images");
        if (images.isEmpty()) {
            throw new IllegalArgumentException("images must hold at least 1 image, but holds: 0");
        }
        float[][] out = new float[images.size()][];
        for (int start = 0; start < images.size(); start += batchSize) {
            int end = Math.min(images.size(), start + batchSize);
            for (int i = start; i < end; i++) {
                if (images.get(i) == null) {
                    throw new IllegalArgumentException("images[" + i + "] must be an image, but is: null");
                }
            }
            ImageTensor pixels = processor.preprocess(images.subList(start, end));
            float[][] embeds = vision.embed(pixels);
            for (int i = 0; i < embeds.length; i++) {
                out[start + i] = normalise(embeds[i], "image " + (start + i));
            }
        }
        return out;
    }

    /**
     * Reads image files (PNG, JPEG, BMP, GIF — what {@link ImageIO} reads) and embeds them.
     *
     * @throws IllegalArgumentException if a file is missing or not a readable image (the message names it)
     */
    public float[][] embedImageFiles(List<Path> files) {
        return embedImages(readImages(files));
    }

    /** Reads image files, failing with the file's name when one is missing or unreadable. */
    public static List<BufferedImage> readImages(List<Path> files) {
        Objects.requireNonNull(files, "files");
        List<BufferedImage> images = new ArrayList<>(files.size());
        for (Path f : files) {
            if (f == null || !Files.isRegularFile(f)) {
                throw new IllegalArgumentException("image file must exist, but is: " + (f == null ? "null" : f.toAbsolutePath()));
            }
            BufferedImage img;
            try {
                img = ImageIO.read(f.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException("image file " + f + " cannot be read: " + e.getMessage(), e);
            }
            if (img == null) {
                throw new IllegalArgumentException("image file must be PNG, JPEG, BMP or GIF, but " + f
                        + " is in no format ImageIO reads");
            }
            images.add(img);
        }
        return images;
    }

    private float[] normalise(float[] v, String what) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0) {
            throw new IllegalStateException(dir + ": the model gave " + what + " an all-zero embedding, which has no direction");
        }
        double inv = 1.0 / Math.sqrt(sum);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * inv);
        }
        return out;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (OnnxModel m : sessions) {
            try {
                m.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "ClipModel[" + dir + ", " + layout + "]";
    }
}
