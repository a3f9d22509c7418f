package dev.tempera.image.pipeline;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.tempera.runtime.onnx.OnnxModel;
import dev.tempera.runtime.tokenizer.ClipEncoding;
import dev.tempera.runtime.tokenizer.ClipTokenizer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A prompt → the UNet's {@code encoder_hidden_states}: the CLIP tokenizer (77 tokens, padded; longer prompts are
 * truncated with a warning, as diffusers does) and the {@code text_encoder} graph's {@code last_hidden_state}, or for
 * SDXL and clip skip one of its {@code hidden_states.N} outputs. The {@code input_ids} dtype (int64 from Optimum,
 * int32 from the legacy diffusers script) is read from the graph.
 *
 * <p>Owns its session; not thread-safe.
 */
final class TextEncoder implements AutoCloseable {

    private final ClipTokenizer tokenizer;
    private final OnnxModel model;
    private final OnnxJavaType idsType;

    TextEncoder(ClipTokenizer tokenizer, OnnxModel model) {
        this.tokenizer = tokenizer;
        this.model = model;
        model.requireInputs("input_ids");
        model.requireOutputs("last_hidden_state");
        this.idsType = model.inputTensor("input_ids").type;
        if (idsType != OnnxJavaType.INT64 && idsType != OnnxJavaType.INT32) {
            throw new IllegalStateException(model.file() + ": expected input 'input_ids' int64 or int32, found "
                    + idsType);
        }
    }

    /** The token ids a prompt is encoded to (77, padded); {@code warn} receives the truncation warning if any. */
    int[] ids(String prompt, Consumer<String> warn) {
        ClipEncoding e = tokenizer.encode(prompt);
        e.truncationWarning().ifPresent(warn);
        return e.ids();
    }

    /** {@code last_hidden_state} of {@code ids}: {@code [1, seq, dim]} flattened; {@code dims[0..1]} get seq and dim. */
    float[] encode(int[] ids, int[] dims) {
        return encode(ids, "last_hidden_state", dims);
    }

    /**
     * Output {@code name} of {@code ids} (batch 1) flattened: {@code [1, seq, dim]} (dims get seq and dim) or, for a
     * pooled output, {@code [1, dim]} (dims get 1 and dim).
     */
    float[] encode(int[] ids, String name, int[] dims) {
        long[] shape = {1, ids.length};
        try (OnnxTensor t = idsTensor(ids, shape);
             OrtSession.Result r = model.run(Map.of("input_ids", t), java.util.Set.of(name))) {
            OnnxTensor out = (OnnxTensor) r.get(name).orElseThrow();
            long[] s = ((TensorInfo) out.getInfo()).getShape();
            dims[0] = s.length == 3 ? Math.toIntExact(s[1]) : 1;
            dims[1] = Math.toIntExact(s[s.length - 1]);
            float[] v = new float[dims[0] * dims[1]];
            out.getFloatBuffer().get(v);
            return v;
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create the input_ids tensor for " + model.file() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The penultimate hidden state's output name, diffusers' {@code hidden_states[-2]}: the graph exports
     * {@code hidden_states.0 … hidden_states.L} (Optimum's SDXL export), and this is {@code hidden_states.(L-1)}.
     *
     * @throws IllegalStateException when the graph exports no hidden states (SD 1.5's Optimum export has none)
     */
    String penultimateHiddenState() {
        if (layers() < 1) {
            throw new IllegalStateException(model.file() + " exports no hidden_states.N outputs; SDXL needs the "
                    + "penultimate hidden state (export the text encoders with output_hidden_states)");
        }
        return hiddenStateFromEnd(2);
    }

    /**
     * The number of encoder layers L that the graph's {@code hidden_states.0 … hidden_states.L} outputs show
     * ({@code hidden_states.0} is the embedding output), or -1 when it exports none.
     */
    int layers() {
        int last = -1;
        for (String name : model.outputs().keySet()) {
            if (name.startsWith("hidden_states.")) {
                try {
                    last = Math.max(last, Integer.parseInt(name.substring("hidden_states.".length())));
                } catch (NumberFormatException e) {
                    // not one of the numbered layer outputs
                }
            }
        }
        return last;
    }

    /**
     * diffusers' {@code hidden_states[-k]} as an output name, {@code hidden_states.(L + 1 - k)}, for
     * {@code 1 <= k <= L + 1}.
     *
     * @throws IllegalStateException when that output is not in the graph
     */
    String hiddenStateFromEnd(int k) {
        String name = "hidden_states." + (layers() + 1 - k);
        if (!model.hasOutput(name)) {
            throw new IllegalStateException(model.file() + ": expected output '" + name + "' (hidden_states[-" + k
                    + "]), found " + model.outputs().keySet());
        }
        return name;
    }

    /** The graph's output names, for messages. */
    java.util.Set<String> outputNames() {
        return model.outputs().keySet();
    }

    /** Whether the graph has output {@code name}. */
    boolean hasOutput(String name) {
        return model.hasOutput(name);
    }

    private OnnxTensor idsTensor(int[] ids, long[] shape) throws OrtException {
        if (idsType == OnnxJavaType.INT32) {
            return OnnxTensor.createTensor(OnnxModel.environment(), IntBuffer.wrap(ids), shape);
        }
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return OnnxTensor.createTensor(OnnxModel.environment(), LongBuffer.wrap(l), shape);
    }

    @Override
    public void close() {
        model.close();
    }
}
