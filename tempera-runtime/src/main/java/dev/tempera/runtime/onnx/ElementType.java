package dev.tempera.runtime.onnx;

import ai.onnxruntime.TensorInfo.OnnxTensorType;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The element type an {@link OnnxContract} expects of a tensor: one ONNX type, or {@link #ANY_FLOAT} for graphs
 * exported in fp32 or fp16 alike, or {@link #ANY}. Names in messages are ONNX's lowercase ones ({@code float},
 * {@code float16}, {@code int64}...).
 */
public enum ElementType {
    FLOAT("float", EnumSet.of(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT)),
    FLOAT16("float16", EnumSet.of(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16)),
    BFLOAT16("bfloat16", EnumSet.of(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16)),
    DOUBLE("double", EnumSet.of(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE)),
    INT64("int64", EnumSet.of(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64)),
    INT32("int32", EnumSet.of(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32)),
    INT8("int8", EnumSet.of(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8)),
    UINT8("uint8", EnumSet.of(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8)),
    BOOL("bool", EnumSet.of(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL)),
    STRING("string", EnumSet.of(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING)),
    /** float, float16, bfloat16 or double. */
    ANY_FLOAT("any float", EnumSet.of(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT,
            OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16,
            OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE)),
    /** Any tensor element type. */
    ANY("any type", EnumSet.allOf(OnnxTensorType.class));

    private static final String ORT_PREFIX = "ONNX_TENSOR_ELEMENT_DATA_TYPE_";

    private final String label;
    private final Set<OnnxTensorType> accepted;

    ElementType(String label, Set<OnnxTensorType> accepted) {
        this.label = label;
        this.accepted = accepted;
    }

    public boolean accepts(OnnxTensorType type) {
        return accepted.contains(type);
    }

    /** ONNX's name of an ORT element type: {@code float}, {@code float16}, {@code int64}... */
    static String nameOf(OnnxTensorType type) {
        String n = type.name();
        return (n.startsWith(ORT_PREFIX) ? n.substring(ORT_PREFIX.length()) : n).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label;
    }
}
