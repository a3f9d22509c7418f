package dev.tempera.text.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import dev.tempera.runtime.onnx.OnnxModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a decoder graph takes and returns, read from the session's metadata (never assumed): the token input
 * ({@code input_ids}, or {@code inputs_embeds} for vision-language decoders), the optional {@code position_ids}
 * (rank 2, or rank 3 = Qwen2-VL's M-RoPE {@code [3, batch, seq]}), {@code use_cache_branch} (legacy merged
 * decoders), {@code num_logits_to_keep}, and the key/value cache: inputs {@code past_key_values.{i}.key|value},
 * outputs {@code present.{i}.key|value}, shape {@code [batch, kv_heads, seq, head_dim]}.
 *
 * @param tokenInput {@code input_ids} or {@code inputs_embeds}
 * @param hiddenSize the last dimension of {@code inputs_embeds} (0 for {@code input_ids} graphs)
 * @param positionRank 0 (no {@code position_ids}), 2, or 3 (M-RoPE)
 * @param useCacheBranch whether the graph has the {@code use_cache_branch} input
 * @param numLogitsToKeep whether the graph has the {@code num_logits_to_keep} input
 * @param pastNames cache inputs in layer order, key before value
 * @param presentNames the matching cache outputs
 * @param kvType the cache's element type (FLOAT or FLOAT16)
 * @param kvHeads dimension 1 of the cache
 * @param headDim dimension 3 of the cache
 * @param logitsType the element type of {@code logits}
 * @param logitsRank 3 ({@code [batch, seq, vocab]}) or 2
 * @param vocabSize the last dimension of {@code logits}, or -1 when the graph leaves it dynamic
 */
public record DecoderLayout(String tokenInput, long hiddenSize, int positionRank, boolean useCacheBranch,
                            boolean numLogitsToKeep, List<String> pastNames, List<String> presentNames,
                            OnnxJavaType kvType, long kvHeads, long headDim, OnnxJavaType logitsType, int logitsRank,
                            long vocabSize) {

    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");

    public DecoderLayout {
        pastNames = List.copyOf(pastNames);
        presentNames = List.copyOf(presentNames);
    }

    /** True when the token input is {@code inputs_embeds}. */
    public boolean takesEmbeddings() {
        return tokenInput.equals("inputs_embeds");
    }

    /** The number of layers (cache pairs). */
    public int layers() {
        return pastNames.size() / 2;
    }

    /**
     * Reads the layout of {@code model}, failing with one message that lists every mismatch with what a
     * with-past decoder needs and what the graph has.
     *
     * @param kvHeadsFallback used when the graph leaves dimension 1 of the cache dynamic (config.json's
     *     {@code num_key_value_heads}); -1 when unknown
     * @param headDimFallback likewise for dimension 3
     * @throws IllegalStateException when the graph is not a with-past decoder
     */
    public static DecoderLayout read(OnnxModel model, long kvHeadsFallback, long headDimFallback) {
        Map<String, NodeInfo> inputs = model.inputs();
        Map<String, NodeInfo> outputs = model.outputs();
        List<String> problems = new ArrayList<>();
        String tokenInput = inputs.containsKey("inputs_embeds") ? "inputs_embeds"
                : inputs.containsKey("input_ids") ? "input_ids" : null;
        long hidden = 0;
        if (tokenInput == null) {
            problems.add("expected input 'input_ids' int64 [batch, seq] or 'inputs_embeds' float [batch, seq, hidden], "
                    + "found neither");
        } else if (tokenInput.equals("inputs_embeds")) {
            long[] shape = tensor(inputs.get(tokenInput)).getShape();
            if (shape.length != 3) {
                problems.add("expected input 'inputs_embeds' of rank 3, found rank " + shape.length);
            } else {
                hidden = shape[2];
            }
        } else {
            check(problems, inputs, "input_ids", OnnxJavaType.INT64, 2);
        }
        check(problems, inputs, "attention_mask", OnnxJavaType.INT64, 2);
        int positionRank = 0;
        if (inputs.containsKey("position_ids")) {
            TensorInfo p = tensor(inputs.get("position_ids"));
            positionRank = p.getShape().length;
            if (p.type != OnnxJavaType.INT64 || (positionRank != 2 && positionRank != 3)) {
                problems.add("expected input 'position_ids' int64 of rank 2 or 3 (M-RoPE), found "
                        + describe(p));
            }
        }
        TreeMap<Integer, String[]> layers = new TreeMap<>();
        for (String name : inputs.keySet()) {
            Matcher m = PAST.matcher(name);
            if (m.matches()) {
                String[] pair = layers.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new String[2]);
                pair[m.group(2).equals("key") ? 0 : 1] = name;
            }
        }
        List<String> past = new ArrayList<>();
        List<String> present = new ArrayList<>();
        int expectLayer = 0;
        for (Map.Entry<Integer, String[]> e : layers.entrySet()) {
            if (e.getKey() != expectLayer++) {
                problems.add("expected cache inputs for layers 0.." + (layers.size() - 1) + " without gaps, found layer "
                        + e.getKey() + " after " + (expectLayer - 2));
            }
            for (String name : e.getValue()) {
                if (name == null) {
                    problems.add("expected both past_key_values." + e.getKey() + ".key and .value, found only one");
                    continue;
                }
                String out = "present" + name.substring("past_key_values".length());
                past.add(name);
                present.add(out);
                if (!outputs.containsKey(out)) {
                    problems.add("expected output '" + out + "' for input '" + name + "', found no such output");
                }
            }
        }
        if (layers.isEmpty()) {
            problems.add("expected key/value cache inputs 'past_key_values.{i}.key|value' (a with-past export), "
                    + "found none — export the model with past (Optimum: task text-generation-with-past)");
        }
        OnnxJavaType kvType = null;
        long kvHeads = -1;
        long headDim = -1;
        if (!past.isEmpty()) {
            TensorInfo kv = tensor(inputs.get(past.get(0)));
            kvType = kv.type;
            long[] s = kv.getShape();
            if (s.length != 4) {
                problems.add("expected '" + past.get(0) + "' of rank 4 [batch, kv_heads, seq, head_dim], found "
                        + describe(kv) + " (fused or squeezed caches of old exports are not supported)");
            } else {
                kvHeads = s[1] > 0 ? s[1] : kvHeadsFallback;
                headDim = s[3] > 0 ? s[3] : headDimFallback;
                if (kvHeads <= 0 || headDim <= 0) {
                    problems.add("the cache's kv_heads and head_dim are dynamic in the graph and config.json does not "
                            + "give num_key_value_heads / head_dim");
                }
            }
            if (kvType != OnnxJavaType.FLOAT && kvType != OnnxJavaType.FLOAT16) {
                problems.add("expected the cache in float32 or float16, found " + kvType);
            }
        }
        OnnxJavaType logitsType = null;
        int logitsRank = 0;
        long vocab = -1;
        if (!outputs.containsKey("logits")) {
            problems.add("expected output 'logits', found none");
        } else {
            TensorInfo l = tensor(outputs.get("logits"));
            logitsType = l.type;
            long[] s = l.getShape();
            logitsRank = s.length;
            vocab = s.length > 0 ? s[s.length - 1] : -1;
            if ((s.length != 3 && s.length != 2)
                    || (logitsType != OnnxJavaType.FLOAT && logitsType != OnnxJavaType.FLOAT16)) {
                problems.add("expected output 'logits' float32/float16 [batch, seq, vocab], found " + describe(l));
            }
        }
        boolean useCacheBranch = inputs.containsKey("use_cache_branch");
        if (useCacheBranch) {
            check(problems, inputs, "use_cache_branch", OnnxJavaType.BOOL, -1);
        }
        boolean keep = inputs.containsKey("num_logits_to_keep");
        if (!problems.isEmpty()) {
            throw new IllegalStateException(model.file() + " is not a decoder this engine can run:\n  - "
                    + String.join("\n  - ", problems) + "\n  inputs found: " + signature(inputs)
                    + "\n  outputs found: " + signature(outputs));
        }
        return new DecoderLayout(tokenInput, hidden, positionRank, useCacheBranch, keep, past, present, kvType,
                kvHeads, headDim, logitsType, logitsRank, vocab);
    }

    private static void check(List<String> problems, Map<String, NodeInfo> inputs, String name, OnnxJavaType type,
                              int rank) {
        NodeInfo info = inputs.get(name);
        if (info == null) {
            problems.add("expected input '" + name + "' " + type.name().toLowerCase() + (rank > 0 ? " rank " + rank : "")
                    + ", found no such input");
            return;
        }
        TensorInfo t = tensor(info);
        if (t.type != type || (rank > 0 && t.getShape().length != rank)) {
            problems.add("expected input '" + name + "' " + type.name().toLowerCase()
                    + (rank > 0 ? " rank " + rank : "") + ", found " + describe(t));
        }
    }

    private static TensorInfo tensor(NodeInfo info) {
        if (!(info.getInfo() instanceof TensorInfo t)) {
            throw new IllegalStateException("'" + info.getName() + "' is not a tensor: " + info.getInfo());
        }
        return t;
    }

    private static String describe(TensorInfo t) {
        return t.type.name().toLowerCase() + " rank " + t.getShape().length + " " + java.util.Arrays.toString(t.getShape());
    }

    static String signature(Map<String, NodeInfo> nodes) {
        StringBuilder b = new StringBuilder();
        for (NodeInfo n : nodes.values()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(n.getName());
            if (n.getInfo() instanceof TensorInfo t) {
                b.append(' ').append(t.type.name().toLowerCase()).append(java.util.Arrays.toString(t.getShape()));
            }
        }
        return b.toString();
    }
}
