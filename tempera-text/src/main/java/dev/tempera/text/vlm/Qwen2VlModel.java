package dev.tempera.text.vlm;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.tempera.runtime.onnx.OnnxDtype;
import dev.tempera.runtime.onnx.OnnxFiles;
import dev.tempera.runtime.onnx.OnnxModel;
import dev.tempera.runtime.onnx.SessionSettings;
import dev.tempera.text.DecodeState;
import dev.tempera.text.Prompt;
import dev.tempera.text.VisionLanguageModel;
import dev.tempera.runtime.image.Qwen2VlImageProcessor;
import dev.tempera.runtime.image.Qwen2VlVision;
import dev.tempera.runtime.image.RgbPixels;
import dev.tempera.runtime.tokenizer.TextTokenizer;
import java.util.Optional;
import dev.tempera.text.ModelConfig;
import dev.tempera.text.onnx.DecoderLayout;
import dev.tempera.text.onnx.KvCache;
import dev.tempera.text.onnx.OnnxDecoder;
import dev.tempera.text.onnx.OnnxSequence;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Qwen2-VL / Qwen2.5-VL in the onnx-community (transformers.js) layout: {@code onnx/vision_encoder.onnx}
 * ({@code pixel_values [patches, 1176]} and the grid ({@code grid_thw} for Qwen2-VL, {@code image_grid_thw} for
 * Qwen2.5-VL) → {@code image_features [patches / 4, hidden]}), {@code onnx/embed_tokens.onnx} ({@code input_ids →
 * inputs_embeds}) and {@code onnx/decoder_model_merged.onnx} ({@code inputs_embeds}, {@code attention_mask}, M-RoPE
 * {@code position_ids [3, batch, seq]}, the cache → {@code logits}, the new cache).
 *
 * <p>The prompt pass, in order: embed the prompt's tokens; run the vision encoder on the images; write image feature
 * row {@code k} over the embedding of the {@code k}-th {@code <|image_pad|>} (transformers' masked scatter; the
 * counts must agree); compute the M-RoPE positions ({@link MropePositions}); run the decoder. Each decode step
 * embeds the one new token and feeds the embedding tensor to the decoder as it is, at position
 * {@code cache_length + rope_delta} in all three rows.
 *
 * <p>Not thread-safe (one sequence steps at a time). Closing frees all three sessions.
 */
public final class Qwen2VlModel implements VisionLanguageModel {

    private static final long[] ONE_BY_ONE = {1, 1};
    private static final long[] THREE_BY_ONE = {3, 1, 1};

    private final Path dir;
    private final ModelConfig config;
    private final OnnxModel vision;
    private final OnnxModel embed;
    private final OnnxDecoder decoder;
    private final Qwen2VlImageProcessor images;
    private final String gridInput;
    private final int imageTokenId;
    private final int videoTokenId;
    private final int visionStartTokenId;
    private final int mergeSize;
    private final LongBuffer tokenBuf;
    private final LongBuffer positionBuf;
    /** The step's input tensors over the direct buffers above, made once: a step writes the buffers. */
    private final OnnxTensor tokenTensor;
    private final OnnxTensor positionTensor;
    private final OrtEnvironment env = OnnxModel.environment();
    private final java.util.HashMap<String, OnnxTensor> feed = new java.util.HashMap<>();

    private Qwen2VlModel(Path dir, ModelConfig config, OnnxModel vision, OnnxModel embed, OnnxDecoder decoder,
                         Qwen2VlImageProcessor images) {
        this.dir = dir;
        this.config = config;
        this.vision = vision;
        this.embed = embed;
        this.decoder = decoder;
        this.images = images;
        this.gridInput = vision.hasInput("image_grid_thw") ? "image_grid_thw" : "grid_thw";
        this.imageTokenId = config.intOr("image_token_id", 151655);
        this.videoTokenId = config.intOr("video_token_id", 151656);
        this.visionStartTokenId = config.intOr("vision_start_token_id", 151652);
        this.mergeSize = config.json().path("vision_config").path("spatial_merge_size").asInt(2);
        this.tokenBuf = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        this.positionBuf = ByteBuffer.allocateDirect(3 * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        try {
            this.tokenTensor = OnnxTensor.createTensor(env, tokenBuf, ONE_BY_ONE);
            this.positionTensor = OnnxTensor.createTensor(env, positionBuf, THREE_BY_ONE);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create the step tensors: " + e.getMessage(), e);
        }
    }

    /** The model types this class runs. */
    public static final Set<String> MODEL_TYPES = Set.of("qwen2_vl", "qwen2_5_vl");

    /** Opens the fp32 model in {@code dir} with ONNX Runtime's default threads. */
    public static Qwen2VlModel open(Path dir) {
        return open(dir, 0);
    }

    /** Opens the fp32 model in {@code dir} with {@code threads} intra-op threads per session (0 = ORT's default). */
    public static Qwen2VlModel open(Path dir, int threads) {
        return open(dir, SessionSettings.defaults().withIntraOpThreads(threads), OnnxDtype.FP32);
    }

    /** The graph base names of the onnx-community layout, in pipeline order. */
    public static final List<String> GRAPHS = List.of("vision_encoder", "embed_tokens", "decoder_model_merged");

    /**
     * Opens the {@code dtype} variants of the three graphs of {@code dir} and checks their contracts.
     *
     * @throws IllegalArgumentException when the folder lacks config.json or one of the graphs in that dtype
     * @throws IllegalStateException when a graph is corrupt or its inputs and outputs are not the expected ones
     */
    public static Qwen2VlModel open(Path dir, SessionSettings settings, OnnxDtype dtype) {
        ModelConfig config = ModelConfig.read(dir);
        if (!MODEL_TYPES.contains(config.modelType())) {
            throw new IllegalArgumentException(dir + " is a '" + config.modelType() + "' model; this engine runs "
                    + MODEL_TYPES);
        }
        Path[] files = new Path[GRAPHS.size()];
        for (int i = 0; i < files.length; i++) {
            if (OnnxFiles.variants(dir, GRAPHS.get(i)).isEmpty()) {
                throw new IllegalArgumentException("vision-language model folder " + dir + " lacks onnx/"
                        + GRAPHS.get(i) + ".onnx (the onnx-community layout has " + GRAPHS + ")");
            }
            files[i] = OnnxFiles.find(dir, GRAPHS.get(i), dtype).model();
        }
        OnnxModel vision = null;
        OnnxModel embed = null;
        OnnxModel dec = null;
        try {
            vision = OnnxModel.open(files[0], settings);
            embed = OnnxModel.open(files[1], settings);
            dec = OnnxModel.open(files[2], settings);
            vision.requireInputs("pixel_values");
            if (!vision.hasInput("grid_thw") && !vision.hasInput("image_grid_thw")) {
                throw new IllegalStateException(vision.file() + ": expected input 'grid_thw' (Qwen2-VL) or "
                        + "'image_grid_thw' (Qwen2.5-VL), found " + vision.inputs().keySet());
            }
            vision.requireOutputs("image_features");
            embed.requireInputs("input_ids");
            embed.requireOutputs("inputs_embeds");
            DecoderLayout layout = DecoderLayout.read(dec, config.kvHeads(), config.headDim());
            if (!layout.takesEmbeddings() || layout.positionRank() != 3) {
                throw new IllegalStateException(dec.file() + ": expected inputs 'inputs_embeds' and 3-row M-RoPE "
                        + "'position_ids' [3, batch, seq], found token input '" + layout.tokenInput()
                        + "' and position_ids of rank " + layout.positionRank());
            }
            int context = config.contextLength() > 0 ? config.contextLength() : 32768;
            OnnxDecoder decoder = new OnnxDecoder(dec, layout, context, config.vocabSize());
            return new Qwen2VlModel(dir, config, vision, embed, decoder,
                    Qwen2VlImageProcessor.load(dir.resolve("preprocessor_config.json")));
        } catch (RuntimeException e) {
            for (OnnxModel m : new OnnxModel[] {vision, embed, dec}) {
                if (m != null) {
                    m.close();
                }
            }
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public ModelConfig config() {
        return config;
    }

    /** The id of {@code <|image_pad|>} (config.json {@code image_token_id}). */
    public int imageTokenId() {
        return imageTokenId;
    }

    public int mergeSize() {
        return mergeSize;
    }

    @Override
    public int vocabSize() {
        return decoder.vocabSize();
    }

    @Override
    public int contextLength() {
        return decoder.contextLength();
    }

    /** The placeholder the Qwen2-VL chat template writes once per image. */
    public static final String IMAGE_PAD = "<|image_pad|>";

    /**
     * Preprocesses the images (smart resize, patches, grids) and repeats the {@code k}-th {@value #IMAGE_PAD} of
     * {@code text} {@code t·h·w / merge²} times for image {@code k}, then tokenises.
     */
    @Override
    public Prompt prepare(String text, List<RgbPixels> pictures, TextTokenizer tokenizer) {
        int placeholders = 0;
        for (int at = text.indexOf(IMAGE_PAD); at >= 0; at = text.indexOf(IMAGE_PAD, at + IMAGE_PAD.length())) {
            placeholders++;
        }
        if (placeholders != pictures.size()) {
            throw new IllegalArgumentException("the prompt has " + placeholders + " image placeholders (" + IMAGE_PAD
                    + ") but " + pictures.size() + " images were given");
        }
        if (pictures.isEmpty()) {
            return new Prompt(text, tokenizer.encode(text), Optional.empty());
        }
        Qwen2VlVision v = images.process(pictures);
        int[] tokens = v.imageTokenCounts();
        StringBuilder b = new StringBuilder(text.length() + IMAGE_PAD.length() * v.totalImageTokens());
        int from = 0;
        for (int count : tokens) {
            int at = text.indexOf(IMAGE_PAD, from);
            b.append(text, from, at).append(IMAGE_PAD.repeat(count));
            from = at + IMAGE_PAD.length();
        }
        b.append(text, from, text.length());
        String expanded = b.toString();
        return new Prompt(expanded, tokenizer.encode(expanded), Optional.of(v));
    }

    @Override
    public DecodeState prefill(Prompt prompt, float[] logits) {
        if (prompt.vision().isEmpty()) {
            return prefill(prompt.ids(), new float[0], new long[0][], logits);
        }
        if (!(prompt.vision().get() instanceof Qwen2VlVision v)) {
            throw new IllegalArgumentException("a Qwen2-VL prompt needs Qwen2-VL vision inputs, but has: "
                    + prompt.vision().get().getClass().getSimpleName());
        }
        long[] flat = v.gridThw();
        long[][] grid = new long[flat.length / 3][3];
        for (int i = 0; i < grid.length; i++) {
            System.arraycopy(flat, i * 3, grid[i], 0, 3);
        }
        return prefill(prompt.ids(), v.pixelValues(), grid, logits);
    }

    /**
     * Runs the prompt pass.
     *
     * @param ids the prompt with every image's {@code <|image_pad|>} already repeated {@code t·h·w / merge²} times
     * @param pixelValues {@code [patches, 1176]} row-major, all images in order (empty for a text-only prompt)
     * @param gridThw {@code [images][3]} in patch units
     * @throws IllegalArgumentException when the images and the prompt's image tokens disagree, or the prompt does
     *     not fit the context
     */
    public DecodeState prefill(int[] ids, float[] pixelValues, long[][] gridThw, float[] logits) {
        int n = ids.length;
        if (n == 0) {
            throw new IllegalArgumentException("the prompt must hold at least 1 token, but holds 0");
        }
        if (n >= contextLength()) {
            throw new IllegalArgumentException("the prompt holds " + n + " tokens; the model's context is "
                    + contextLength() + " tokens, so it must hold at most " + (contextLength() - 1));
        }
        MropePositions mrope = MropePositions.of(ids, gridThw, imageTokenId, videoTokenId, visionStartTokenId,
                mergeSize);
        float[] embeds = embedPrompt(ids);
        int hidden = embeds.length / n;
        if (gridThw.length > 0) {
            scatterImages(ids, embeds, hidden, encodeImages(pixelValues, gridThw, hidden));
        } else {
            for (int id : ids) {
                if (id == imageTokenId) {
                    throw new IllegalArgumentException("the prompt holds <|image_pad|> tokens but no image was given");
                }
            }
        }
        try (OnnxTensor embedsT = floatTensor(embeds, new long[] {1, n, hidden},
                decoder.layout().takesEmbeddings() ? inputType() : OnnxJavaType.FLOAT);
             OnnxTensor posT = OnnxTensor.createTensor(env, LongBuffer.wrap(mrope.flat()), new long[] {3, 1, n})) {
            KvCache cache = decoder.run(embedsT, n, posT, decoder.emptyCache(), logits);
            return new OnnxSequence(cache, mrope.ropeDelta());
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create the prompt tensors: " + e.getMessage(), e);
        }
    }

    @Override
    public void decode(DecodeState state, int token, float[] logits) {
        OnnxSequence s = (OnnxSequence) state;
        if (s.length() >= contextLength()) {
            throw new IllegalStateException("the sequence is full: " + s.length() + " tokens, the context length");
        }
        tokenBuf.put(0, token);
        long p = s.nextPosition();
        positionBuf.put(0, p).put(1, p).put(2, p);
        try (OrtSession.Result embedded = embedOne(tokenTensor)) {
            OnnxTensor e = (OnnxTensor) embedded.get("inputs_embeds").orElseThrow();
            s.advance(decoder.run(e, 1, positionTensor, s.cache(), logits));
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create the step tensors: " + e.getMessage(), e);
        }
    }

    private OrtSession.Result embedOne(OnnxTensor ids) throws OrtException {
        feed.put("input_ids", ids);
        long t0 = System.nanoTime();
        OrtSession.Result r = embed.session().run(feed);
        decoder.addSessionNanos(System.nanoTime() - t0);
        return r;
    }

    @Override
    public long sessionNanos() {
        return decoder.sessionNanos();
    }

    private float[] embedPrompt(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        try (OnnxTensor idsT = OnnxTensor.createTensor(env, LongBuffer.wrap(longs), new long[] {1, ids.length});
             OrtSession.Result r = embed.run(Map.of("input_ids", idsT))) {
            return floats((OnnxTensor) r.get("inputs_embeds").orElseThrow());
        } catch (OrtException e) {
            throw new IllegalStateException("cannot embed the prompt: " + e.getMessage(), e);
        }
    }

    private float[] encodeImages(float[] pixelValues, long[][] gridThw, int hidden) {
        long patches = 0;
        long[] grid = new long[gridThw.length * 3];
        for (int i = 0; i < gridThw.length; i++) {
            if (gridThw[i].length != 3) {
                throw new IllegalArgumentException("gridThw[" + i + "] must hold (t, h, w), but holds "
                        + gridThw[i].length + " values");
            }
            patches += gridThw[i][0] * gridThw[i][1] * gridThw[i][2];
            System.arraycopy(gridThw[i], 0, grid, i * 3, 3);
        }
        long width = pixelValues.length / Math.max(1, patches);
        if (patches == 0 || width * patches != pixelValues.length) {
            throw new IllegalArgumentException("pixelValues must hold patches x patch_dim values for the "
                    + patches + " patches of gridThw, but holds " + pixelValues.length);
        }
        OnnxJavaType pixelType = ((TensorInfo) vision.inputs().get("pixel_values").getInfo()).type;
        try (OnnxTensor px = floatTensor(pixelValues, new long[] {patches, width}, pixelType);
             OnnxTensor g = OnnxTensor.createTensor(env, LongBuffer.wrap(grid), new long[] {gridThw.length, 3});
             OrtSession.Result r = vision.run(Map.of("pixel_values", px, gridInput, g))) {
            OnnxTensor f = (OnnxTensor) r.get("image_features").orElseThrow();
            long[] shape = f.getInfo().getShape();
            if (shape[shape.length - 1] != hidden) {
                throw new IllegalStateException(vision.file() + " returned image features of width "
                        + shape[shape.length - 1] + ", but the text embeddings have width " + hidden);
            }
            return floats(f);
        } catch (OrtException e) {
            throw new IllegalStateException("running " + vision.file() + " failed: " + e.getMessage(), e);
        }
    }

    private void scatterImages(int[] ids, float[] embeds, int hidden, float[] features) {
        int rows = features.length / hidden;
        int k = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == imageTokenId) {
                if (k == rows) {
                    k++;
                    break;
                }
                System.arraycopy(features, k * hidden, embeds, i * hidden, hidden);
                k++;
            }
        }
        if (k != rows) {
            long tokens = 0;
            for (int id : ids) {
                tokens += id == imageTokenId ? 1 : 0;
            }
            throw new IllegalArgumentException("image features and image tokens do not match: the prompt holds "
                    + tokens + " <|image_pad|> tokens, the vision encoder returned " + rows + " features");
        }
    }

    private OnnxJavaType inputType() {
        return ((TensorInfo) decoder.model().inputs().get("inputs_embeds").getInfo()).type;
    }

    private OnnxTensor floatTensor(float[] values, long[] shape, OnnxJavaType type) throws OrtException {
        if (type == OnnxJavaType.FLOAT16) {
            ShortBuffer s = ByteBuffer.allocateDirect(values.length * 2).order(ByteOrder.nativeOrder()).asShortBuffer();
            for (int i = 0; i < values.length; i++) {
                s.put(i, Fp16Conversions.floatToFp16(values[i]));
            }
            return OnnxTensor.createTensor(env, s, shape, OnnxJavaType.FLOAT16);
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
    }

    private static float[] floats(OnnxTensor t) {
        if (t.getInfo().type == OnnxJavaType.FLOAT16) {
            ShortBuffer s = t.getShortBuffer();
            float[] out = new float[s.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Fp16Conversions.fp16ToFloat(s.get(i));
            }
            return out;
        }
        FloatBuffer f = t.getFloatBuffer();
        float[] out = new float[f.remaining()];
        f.get(out);
        return out;
    }

    @Override
    public void close() {
        tokenTensor.close();
        positionTensor.close();
        decoder.close();
        embed.close();
        vision.close();
    }
}
