package dev.tempera.runtime.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The inputs a caller feeds a graph and the outputs it reads, checked against a loaded session before the first
 * run, so that a wrong export fails at load time with every problem at once instead of deep inside a run.
 *
 * <p>Each port has a name, an {@link ElementType} and a rank ({@link #ANY_RANK} to skip the check); optional ports
 * may be absent. Graph inputs the contract does not name are problems too (the caller could not feed them) unless
 * {@link Builder#allowOtherInputs()}; extra outputs are always fine. Dimension sizes are not checked: exports make
 * most of them dynamic.
 *
 * <pre>{@code
 * OnnxContract decoder = OnnxContract.builder()
 *         .input("input_ids", ElementType.INT64, 2)
 *         .optionalInput("position_ids", ElementType.INT64, OnnxContract.ANY_RANK)
 *         .output("logits", ElementType.ANY_FLOAT, 3)
 *         .allowOtherInputs()            // past_key_values.* are discovered from the session
 *         .build();
 * decoder.check(model);                  // IllegalStateException listing every mismatch
 * }</pre>
 *
 * @param inputs expected inputs
 * @param outputs expected outputs
 * @param otherInputsAllowed whether graph inputs outside {@code inputs} are accepted
 */
public record OnnxContract(List<Port> inputs, List<Port> outputs, boolean otherInputsAllowed) {

    /** A rank that matches any rank. */
    public static final int ANY_RANK = -1;

    /**
     * One expected input or output.
     *
     * @param name the graph's name for it
     * @param type the element type
     * @param rank number of dimensions, or {@link #ANY_RANK}
     * @param optional whether the graph may lack it
     */
    public record Port(String name, ElementType type, int rank, boolean optional) {
        public Port {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("port name must not be empty, but is: '" + name + "'");
            }
            Objects.requireNonNull(type, "type");
            if (rank < ANY_RANK) {
                throw new IllegalArgumentException("rank must be >= 0 or ANY_RANK (-1), but is: " + rank);
            }
        }

        String describe() {
            return type + (rank == ANY_RANK ? " of any rank" : " rank " + rank);
        }
    }

    public OnnxContract {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        checkUnique("input", inputs);
        checkUnique("output", outputs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fails unless {@code model} meets this contract.
     *
     * @throws IllegalStateException naming the model file, listing every problem and what the graph has
     */
    public void check(OnnxModel model) {
        check(model.file().toString(), model.inputs(), model.outputs());
    }

    /** {@link #check(OnnxModel)} for a session's metadata; {@code label} names the graph in the message. */
    public void check(String label, Map<String, NodeInfo> graphInputs, Map<String, NodeInfo> graphOutputs) {
        List<String> problems = problems(graphInputs, graphOutputs);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(label + " does not have the inputs and outputs expected of it:\n  "
                    + String.join("\n  ", problems) + "\nits inputs are " + describe(graphInputs) + "\nits outputs are "
                    + describe(graphOutputs));
        }
    }

    /** Every mismatch, in contract order (inputs, unexpected inputs, outputs); empty when the graph fits. */
    public List<String> problems(Map<String, NodeInfo> graphInputs, Map<String, NodeInfo> graphOutputs) {
        List<String> problems = new ArrayList<>();
        compare("input", inputs, graphInputs, problems);
        if (!otherInputsAllowed) {
            Set<String> known = inputs.stream().map(Port::name).collect(Collectors.toSet());
            for (NodeInfo info : graphInputs.values()) {
                if (!known.contains(info.getName())) {
                    problems.add("unexpected input '" + info.getName() + "' " + describe(info.getInfo())
                            + ": the caller cannot feed it");
                }
            }
        }
        compare("output", outputs, graphOutputs, problems);
        return problems;
    }

    private static void compare(String kind, List<Port> ports, Map<String, NodeInfo> graph, List<String> problems) {
        for (Port port : ports) {
            NodeInfo info = graph.get(port.name());
            if (info == null) {
                if (!port.optional()) {
                    problems.add("missing " + kind + " '" + port.name() + "' (" + port.describe() + ")");
                }
                continue;
            }
            boolean fits = info.getInfo() instanceof TensorInfo t && port.type().accepts(t.onnxType)
                    && (port.rank() == ANY_RANK || t.getShape().length == port.rank());
            if (!fits) {
                problems.add("expected " + kind + " '" + port.name() + "' " + port.describe() + ", found "
                        + describe(info.getInfo()));
            }
        }
    }

    private static String describe(ValueInfo info) {
        if (info instanceof TensorInfo t) {
            return ElementType.nameOf(t.onnxType) + " rank " + t.getShape().length;
        }
        if (info instanceof SequenceInfo) {
            return "a sequence (" + info + ")";
        }
        if (info instanceof MapInfo) {
            return "a map (" + info + ")";
        }
        return String.valueOf(info);
    }

    private static String describe(Map<String, NodeInfo> infos) {
        if (infos.isEmpty()) {
            return "[]";
        }
        List<String> parts = new ArrayList<>();
        for (NodeInfo n : infos.values()) {
            if (n.getInfo() instanceof TensorInfo t) {
                String[] names = t.getDimensionNames();
                long[] shape = t.getShape();
                List<String> dims = new ArrayList<>();
                for (int i = 0; i < shape.length; i++) {
                    dims.add(shape[i] >= 0 ? Long.toString(shape[i])
                            : names != null && i < names.length && !names[i].isEmpty() ? names[i] : "?");
                }
                parts.add(n.getName() + " " + ElementType.nameOf(t.onnxType) + " " + dims);
            } else {
                parts.add(n.getName() + " " + describe(n.getInfo()));
            }
        }
        return String.join(", ", parts);
    }

    private static void checkUnique(String kind, List<Port> ports) {
        Map<String, Port> seen = new LinkedHashMap<>();
        for (Port p : ports) {
            if (seen.put(p.name(), p) != null) {
                throw new IllegalArgumentException(kind + " names must be unique, but '" + p.name() + "' appears twice");
            }
        }
    }

    /** Collects ports in order; {@link #build()} validates. */
    public static final class Builder {
        private final List<Port> inputs = new ArrayList<>();
        private final List<Port> outputs = new ArrayList<>();
        private boolean otherInputsAllowed;

        private Builder() {}

        public Builder input(String name, ElementType type, int rank) {
            inputs.add(new Port(name, type, rank, false));
            return this;
        }

        public Builder optionalInput(String name, ElementType type, int rank) {
            inputs.add(new Port(name, type, rank, true));
            return this;
        }

        public Builder output(String name, ElementType type, int rank) {
            outputs.add(new Port(name, type, rank, false));
            return this;
        }

        public Builder optionalOutput(String name, ElementType type, int rank) {
            outputs.add(new Port(name, type, rank, true));
            return this;
        }

        /** Accept graph inputs the contract does not name (e.g. KV-cache inputs discovered at run time). */
        public Builder allowOtherInputs() {
            otherInputsAllowed = true;
            return this;
        }

        public OnnxContract build() {
            return new OnnxContract(inputs, outputs, otherInputsAllowed);
        }
    }
}
