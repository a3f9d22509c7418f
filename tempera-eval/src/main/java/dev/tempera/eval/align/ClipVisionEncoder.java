package dev.tempera.eval.align;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.tempera.runtime.image.ImageTensor;
import dev.tempera.runtime.onnx.OnnxModel;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The vision tower: {@code pixel_values} → {@code image_embeds}. On the joint Optimum graph it also feeds a dummy
 * text ({@code <|startoftext|> <|endoftext|>}). Not normalised here.
 */
final class ClipVisionEncoder {

    static final String PIXEL_VALUES = "pixel_values";
    static final String IMAGE_EMBEDS = "image_embeds";

    private final OnnxModel model;
    private final long[] dummyIds;
    private final OnnxJavaType idType;
    private final OnnxJavaType maskType;

    ClipVisionEncoder(OnnxModel model, int[] imageSize, boolean joint, int bosId, int eosId) {
        this.model = model;
        model.requireInputs(PIXEL_VALUES);
        TensorInfo pixels = OnnxInputs.requireFloatInput(model, PIXEL_VALUES, 4);
        long[] shape = pixels.getShape();
        if ((shape[1] > 0 && shape[1] != 3) || (shape[2] > 0 && shape[2] != imageSize[0])
                || (shape[3] > 0 && shape[3] != imageSize[1])) {
            throw new IllegalStateException(model.file() + ": input 'pixel_values' has shape "
                    + java.util.Arrays.toString(shape) + " but preprocessor_config.json crops to 3 x " + imageSize[0]
                    + " x " + imageSize[1]);
        }
        OnnxInputs.requireFloatOutput(model, IMAGE_EMBEDS, 2);
        if (joint) {
            OnnxInputs.requireOnlyKnownInputs(model, Set.of(PIXEL_VALUES, ClipTextEncoder.INPUT_IDS,
                    ClipTextEncoder.ATTENTION_MASK));
            model.requireInputs(ClipTextEncoder.INPUT_IDS);
            idType = OnnxInputs.requireIntegerInput(model, ClipTextEncoder.INPUT_IDS);
            maskType = model.hasInput(ClipTextEncoder.ATTENTION_MASK)
                    ? OnnxInputs.requireIntegerInput(model, ClipTextEncoder.ATTENTION_MASK) : null;
            dummyIds = new long[] {bosId, eosId};
        } else {
            OnnxInputs.requireOnlyKnownInputs(model, Set.of(PIXEL_VALUES));
            idType = null;
            maskType = null;
            dummyIds = null;
        }
    }

    /** Embeds one batch of preprocessed images. */
    float[][] embed(ImageTensor pixels) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(PIXEL_VALUES, OnnxInputs.floatTensor(pixels.buffer(), pixels.shape()));
            if (dummyIds != null) {
                long[] shape = {1, dummyIds.length};
                inputs.put(ClipTextEncoder.INPUT_IDS, OnnxInputs.integerTensor(idType, dummyIds, shape));
                if (maskType != null) {
                    inputs.put(ClipTextEncoder.ATTENTION_MASK, OnnxInputs.integerTensor(maskType, new long[] {1, 1}, shape));
                }
            }
            try (OrtSession.Result result = model.run(inputs, Set.of(IMAGE_EMBEDS))) {
                return OnnxInputs.readEmbeddings(model, result, IMAGE_EMBEDS, pixels.batch());
            }
        } finally {
            OnnxInputs.closeAll(inputs);
        }
    }
}
