package dev.tempera.eval.align;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.tempera.runtime.onnx.OnnxModel;
import dev.tempera.runtime.tokenizer.ClipEncoding;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text tower: token ids → {@code text_embeds}. On the joint Optimum graph it also feeds a one-image dummy
 * {@code pixel_values} (ORT computes only what {@code text_embeds} needs). Not normalised here.
 */
final class ClipTextEncoder {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TEXT_EMBEDS = "text_embeds";

    private final OnnxModel model;
    private final OnnxJavaType idType;
    private final boolean hasMask;
    private final OnnxJavaType maskType;
    /** Static sequence length, or -1 when the axis is dynamic. */
    private final long staticLength;
    /** Dummy {@code [1, 3, H, W]} image for the joint graph; null for the text tower. */
    private final long[] dummyPixelShape;

    ClipTextEncoder(OnnxModel model, int[] imageSize, boolean joint) {
        this.model = model;
        model.requireInputs(INPUT_IDS);
        OnnxInputs.requireOnlyKnownInputs(model, joint ? Set.of(INPUT_IDS, ATTENTION_MASK, ClipVisionEncoder.PIXEL_VALUES)
                : Set.of(INPUT_IDS, ATTENTION_MASK));
        this.idType = OnnxInputs.requireIntegerInput(model, INPUT_IDS);
        this.hasMask = model.hasInput(ATTENTION_MASK);
        this.maskType = hasMask ? OnnxInputs.requireIntegerInput(model, ATTENTION_MASK) : null;
        OnnxInputs.requireFloatOutput(model, TEXT_EMBEDS, 2);
        this.staticLength = model.inputTensor(INPUT_IDS).getShape()[1];
        if (joint) {
            model.requireInputs(ClipVisionEncoder.PIXEL_VALUES);
            OnnxInputs.requireFloatInput(model, ClipVisionEncoder.PIXEL_VALUES, 4);
            dummyPixelShape = new long[] {1, 3, imageSize[0], imageSize[1]};
        } else {
            dummyPixelShape = null;
        }
    }

    /** The sequence length the graph requires, or -1 when any length up to the tokenizer's context works. */
    long staticLength() {
        return staticLength;
    }

    /** Embeds one batch of encodings that all have the same padded length. */
    float[][] embed(List<ClipEncoding> batch) {
        int n = batch.size();
        int length = batch.get(0).paddedLength();
        long[] ids = new long[n * length];
        long[] mask = new long[n * length];
        for (int i = 0; i < n; i++) {
            ClipEncoding e = batch.get(i);
            if (e.paddedLength() != length) {
                throw new IllegalArgumentException("encodings in a batch must share one padded length (" + length
                        + "), but encoding " + i + " has: " + e.paddedLength());
            }
            e.copyIdsTo(ids, i * length);
            e.copyMaskTo(mask, i * length);
        }
        long[] shape = {n, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(INPUT_IDS, OnnxInputs.integerTensor(idType, ids, shape));
            if (hasMask) {
                inputs.put(ATTENTION_MASK, OnnxInputs.integerTensor(maskType, mask, shape));
            }
            if (dummyPixelShape != null) {
                int size = (int) (dummyPixelShape[1] * dummyPixelShape[2] * dummyPixelShape[3]);
                inputs.put(ClipVisionEncoder.PIXEL_VALUES, OnnxInputs.floatTensor(FloatBuffer.allocate(size), dummyPixelShape));
            }
            try (OrtSession.Result result = model.run(inputs, Set.of(TEXT_EMBEDS))) {
                return OnnxInputs.readEmbeddings(model, result, TEXT_EMBEDS, n);
            }
        } finally {
            OnnxInputs.closeAll(inputs);
        }
    }
}
