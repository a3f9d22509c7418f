package dev.tempera.text.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.tempera.runtime.onnx.OnnxDtype;
import dev.tempera.runtime.onnx.OnnxFiles;
import dev.tempera.runtime.onnx.OnnxModel;
import dev.tempera.runtime.onnx.SessionSettings;
import dev.tempera.text.DecodeState;
import dev.tempera.text.LanguageModel;
import dev.tempera.text.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A decoder-only language model in Optimum's layouts: {@code model.onnx} (current) or
 * {@code decoder_model_merged.onnx} (legacy, with {@code use_cache_branch}), at the folder's root or under
 * {@code onnx/} (transformers.js / onnx-community). Inputs and outputs are read from the graph
 * ({@link DecoderLayout}); {@code position_ids} are {@code 0..n-1} for an unpadded prompt (what
 * {@code cumsum(attention_mask) - 1} gives) and the cache length afterwards.
 *
 * <pre>{@code
 * try (OnnxCausalLm lm = OnnxCausalLm.open(Path.of("models/shapes-lm"))) {
 *     float[] logits = new float[lm.vocabSize()];
 *     try (DecodeState s = lm.prefill(promptIds, logits)) {
 *         lm.decode(s, nextToken, logits);
 *     }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one sequence steps at a time (see {@link OnnxDecoder}).
 */
public final class OnnxCausalLm implements LanguageModel {

    /** Graph base names looked for, in order, under the folder and its onnx/ subfolder. */
    public static final List<String> GRAPHS = List.of("model", "decoder_model_merged");

    /** The fp32 file names of {@link #GRAPHS}. */
    public static final List<String> FILES = List.of("model.onnx", "decoder_model_merged.onnx");

    private static final long[] ONE_BY_ONE = {1, 1};

    private final OnnxDecoder decoder;
    private final LongBuffer tokenBuf;
    private final LongBuffer positionBuf;
    /** The step's input tensors, made once over the direct buffers above: a step writes the buffers, no new tensor. */
    private final OnnxTensor tokenTensor;
    private final OnnxTensor positionTensor;

    private OnnxCausalLm(OnnxDecoder decoder) {
        this.decoder = decoder;
        this.tokenBuf = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        this.positionBuf = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        try {
            this.tokenTensor = OnnxTensor.createTensor(OnnxModel.environment(), tokenBuf, ONE_BY_ONE);
            this.positionTensor = OnnxTensor.createTensor(OnnxModel.environment(), positionBuf, ONE_BY_ONE);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create the step tensors: " + e.getMessage(), e);
        }
    }

    /** Opens the fp32 model in {@code dir} with ONNX Runtime's default threads. */
    public static OnnxCausalLm open(Path dir) {
        return open(dir, 0);
    }

    /** Opens the fp32 model in {@code dir} with {@code threads} intra-op threads (0 = ONNX Runtime's default). */
    public static OnnxCausalLm open(Path dir, int threads) {
        return open(dir, SessionSettings.defaults().withIntraOpThreads(threads), OnnxDtype.FP32);
    }

    /**
     * Opens the {@code dtype} variant of the model in {@code dir}.
     *
     * @throws IllegalArgumentException when the folder has no config.json or no decoder graph of that dtype
     * @throws IllegalStateException when the graph is corrupt or not a with-past decoder taking {@code input_ids}
     */
    public static OnnxCausalLm open(Path dir, SessionSettings settings, OnnxDtype dtype) {
        ModelConfig config = ModelConfig.read(dir);
        Path file = find(dir, dtype);
        OnnxModel model = OnnxModel.open(file, settings);
        try {
            DecoderLayout layout = DecoderLayout.read(model, config.kvHeads(), config.headDim());
            if (layout.takesEmbeddings()) {
                throw new IllegalStateException(file + " takes inputs_embeds, not input_ids: it is the decoder of a "
                        + "vision-language model; open the model folder as one");
            }
            int context = config.contextLength() > 0 ? config.contextLength() : 2048;
            return new OnnxCausalLm(new OnnxDecoder(model, layout, context, config.vocabSize()));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    static Path find(Path dir, OnnxDtype dtype) {
        for (String base : GRAPHS) {
            if (!OnnxFiles.variants(dir, base).isEmpty()) {
                return OnnxFiles.find(dir, base, dtype).model();
            }
        }
        throw new IllegalArgumentException("model folder " + dir + " has no decoder graph; looked for " + FILES
                + " (and their dtype variants) in it and in its onnx/ subfolder");
    }

    public DecoderLayout layout() {
        return decoder.layout();
    }

    @Override
    public int vocabSize() {
        return decoder.vocabSize();
    }

    @Override
    public int contextLength() {
        return decoder.contextLength();
    }

    /**
     * Runs the prompt and writes the next token's logits.
     *
     * @throws IllegalArgumentException when the prompt is empty or does not fit the context with one more token
     */
    public DecodeState prefill(int[] prompt, float[] logits) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt must hold at least 1 token, but holds 0");
        }
        if (prompt.length >= contextLength()) {
            throw new IllegalArgumentException("the prompt holds " + prompt.length + " tokens; the model's context is "
                    + contextLength() + " tokens, so it must hold at most " + (contextLength() - 1));
        }
        long[] ids = new long[prompt.length];
        long[] positions = new long[prompt.length];
        for (int i = 0; i < prompt.length; i++) {
            ids[i] = prompt[i];
            positions[i] = i;
        }
        long[] shape = {1, prompt.length};
        try (OnnxTensor idsT = OnnxTensor.createTensor(OnnxModel.environment(), LongBuffer.wrap(ids), shape);
             OnnxTensor posT = decoder.layout().positionRank() > 0
                     ? OnnxTensor.createTensor(OnnxModel.environment(), LongBuffer.wrap(positions), shape) : null) {
            KvCache empty = decoder.emptyCache();
            return new OnnxSequence(decoder.run(idsT, prompt.length, posT, empty, logits), 0);
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
        positionBuf.put(0, s.nextPosition());
        s.advance(decoder.run(tokenTensor, 1, decoder.layout().positionRank() > 0 ? positionTensor : null, s.cache(),
                logits));
    }

    @Override
    public long sessionNanos() {
        return decoder.sessionNanos();
    }

    @Override
    public void close() {
        tokenTensor.close();
        positionTensor.close();
        decoder.close();
    }
}
