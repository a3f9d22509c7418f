package dev.tempera.eval.align;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes tiny ONNX models (protobuf {@code ModelProto}) for test fixtures, so a test can build a graph in the layout
 * of an export that cannot be downloaded here. Only what the fixtures use: nodes with int / ints / float attributes,
 * float and int64 initializers, tensor inputs and outputs with symbolic or fixed dimensions.
 *
 * <p>Field numbers from onnx.proto: ModelProto ir_version 1, producer_name 2, graph 7, opset_import 8; GraphProto
 * node 1, name 2, initializer 5, input 11, output 12; NodeProto input 1, output 2, name 3, op_type 4, attribute 5;
 * AttributeProto name 1, f 2, i 3, ints 8, type 20; TensorProto dims 1, data_type 2, float_data 4, int64_data 7, name 8;
 * ValueInfoProto name 1, type 2; TypeProto tensor_type 1; Tensor elem_type 1, shape 2; Dimension dim_value 1,
 * dim_param 2.
 */
final class OnnxGraphWriter {

    static final int FLOAT = 1;
    static final int INT64 = 7;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();

    /** A graph input or output: dims are Integer (fixed) or String (symbolic). */
    OnnxGraphWriter input(String name, int elemType, Object... dims) {
        inputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    OnnxGraphWriter output(String name, int elemType, Object... dims) {
        outputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    OnnxGraphWriter floatInitializer(String name, long[] dims, float... values) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT);
        Proto packed = new Proto();
        for (float v : values) {
            packed.fixed32(Float.floatToRawIntBits(v));
        }
        t.bytes(4, packed.toBytes());
        t.string(8, name);
        initializers.add(t.toBytes());
        return this;
    }

    OnnxGraphWriter int64Initializer(String name, long[] dims, long... values) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, INT64);
        Proto packed = new Proto();
        for (long v : values) {
            packed.rawVarint(v);
        }
        t.bytes(7, packed.toBytes());
        t.string(8, name);
        initializers.add(t.toBytes());
        return this;
    }

    /** A node; attributes are (name, value) pairs with Integer, Float or long[] values. */
    OnnxGraphWriter node(String op, String[] in, String[] out, Object... attributes) {
        Proto n = new Proto();
        for (String s : in) {
            n.string(1, s);
        }
        for (String s : out) {
            n.string(2, s);
        }
        n.string(3, op + "_" + nodes.size());
        n.string(4, op);
        for (int i = 0; i < attributes.length; i += 2) {
            Proto a = new Proto();
            a.string(1, (String) attributes[i]);
            Object v = attributes[i + 1];
            if (v instanceof Integer x) {
                a.varint(3, x);
                a.varint(20, 2);
            } else if (v instanceof Float x) {
                a.tag(2, 5);
                a.fixed32(Float.floatToRawIntBits(x));
                a.varint(20, 1);
            } else if (v instanceof long[] xs) {
                for (long x : xs) {
                    a.varint(8, x);
                }
                a.varint(20, 7);
            } else {
                throw new IllegalArgumentException("unsupported attribute value " + v);
            }
            n.bytes(5, a.toBytes());
        }
        nodes.add(n.toBytes());
        return this;
    }

    byte[] build(int opset) {
        Proto g = new Proto();
        for (byte[] n : nodes) {
            g.bytes(1, n);
        }
        g.string(2, "fixture");
        for (byte[] t : initializers) {
            g.bytes(5, t);
        }
        for (byte[] v : inputs) {
            g.bytes(11, v);
        }
        for (byte[] v : outputs) {
            g.bytes(12, v);
        }
        Proto m = new Proto();
        m.varint(1, 7); // IR version 7 goes with opset 12
        m.string(2, "tempera-test");
        m.bytes(7, g.toBytes());
        Proto opsetId = new Proto();
        opsetId.string(1, "");
        opsetId.varint(2, opset);
        m.bytes(8, opsetId.toBytes());
        return m.toBytes();
    }

    private static byte[] valueInfo(String name, int elemType, Object... dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            Proto dim = new Proto();
            if (d instanceof Integer x) {
                dim.varint(1, x);
            } else {
                dim.string(2, (String) d);
            }
            shape.bytes(1, dim.toBytes());
        }
        Proto tensor = new Proto();
        tensor.varint(1, elemType);
        tensor.bytes(2, shape.toBytes());
        Proto type = new Proto();
        type.bytes(1, tensor.toBytes());
        Proto v = new Proto();
        v.string(1, name);
        v.bytes(2, type.toBytes());
        return v.toBytes();
    }

    /** Protobuf wire encoding. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void tag(int field, int wireType) {
            rawVarint(((long) field << 3) | wireType);
        }

        void rawVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        void varint(int field, long v) {
            tag(field, 0);
            rawVarint(v);
        }

        void fixed32(int bits) {
            out.write(bits & 0xFF);
            out.write((bits >>> 8) & 0xFF);
            out.write((bits >>> 16) & 0xFF);
            out.write((bits >>> 24) & 0xFF);
        }

        void bytes(int field, byte[] b) {
            tag(field, 2);
            rawVarint(b.length);
            out.write(b, 0, b.length);
        }

        void string(int field, String s) {
            bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
