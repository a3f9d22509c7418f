"""Tiny decoder graphs for tempera-text's layout and dtype tests (written with onnx.helper, no weights to train).

Each graph is a "decoder" whose logits are a table lookup of the last input token and whose cache appends a
per-token key/value, so a test can predict every output exactly:
  logits[t] = E[t], with E[t] peaked at (t + 1) % V  -> greedy decoding counts up: t, t+1, t+2, ...
  present.i.key = concat(past.i.key, K[t] as [1, heads, 1, head_dim]) along the sequence axis

Run with Debian's python3-onnx:  /usr/bin/python3 tools/conformance/graphs/make_test_graphs.py
"""
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tempera-text", "src", "test", "resources", "graphs")
V, HEADS, HD, LAYERS = 16, 2, 4, 2


def table(dtype):
    e = np.full((V, V), -3.0, dtype=np.float32)
    for t in range(V):
        e[t, (t + 1) % V] = 5.0
        e[t, (t + 2) % V] = 1.0
    k = np.arange(V * HEADS * HD, dtype=np.float32).reshape(V, HEADS * HD) / 10.0
    return e.astype(dtype), k.astype(dtype)


def decoder(name, dtype=np.float32, keep=False, cache_branch=False, position_rank=2, embeds=False):
    elem = TensorProto.FLOAT16 if dtype == np.float16 else TensorProto.FLOAT
    e, k = table(dtype)
    nodes, inits = [], [numpy_helper.from_array(e, "E"), numpy_helper.from_array(k, "K"),
                        numpy_helper.from_array(np.array([0, 0, HEADS, HD], dtype=np.int64), "kv_shape"),
                        numpy_helper.from_array(np.array([-1], dtype=np.int64), "minus1"),
                        numpy_helper.from_array(np.array([2**62], dtype=np.int64), "big"),
                        numpy_helper.from_array(np.array([1], dtype=np.int64), "one")]
    inputs = []
    if embeds:  # "inputs_embeds" carry the token id in column 0 (a stand-in for an embedding)
        inputs.append(helper.make_tensor_value_info("inputs_embeds", elem, ["batch_size", "sequence_length", 3]))
        inits.append(numpy_helper.from_array(np.array([0], dtype=np.int64), "zero"))
        nodes += [helper.make_node("Slice", ["inputs_embeds", "zero", "one", "minus1_axis"], ["col0"]),
                  helper.make_node("Squeeze", ["col0", "minus1"], ["col0s"]),
                  helper.make_node("Cast", ["col0s"], ["ids"], to=TensorProto.INT64)]
        inits.append(numpy_helper.from_array(np.array([2], dtype=np.int64), "minus1_axis"))
    else:
        inputs.append(helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]))
        nodes.append(helper.make_node("Identity", ["input_ids"], ["ids"]))
    inputs.append(helper.make_tensor_value_info("attention_mask", TensorProto.INT64,
                                                ["batch_size", "past_sequence_length + sequence_length"]))
    if position_rank == 2:
        inputs.append(helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch_size", "sequence_length"]))
    elif position_rank == 3:
        inputs.append(helper.make_tensor_value_info("position_ids", TensorProto.INT64, [3, "batch_size", "sequence_length"]))
    outputs = []
    if keep:
        inputs.append(helper.make_tensor_value_info("num_logits_to_keep", TensorProto.INT64, []))
        nodes.append(helper.make_node("Slice", ["ids", "minus1", "big", "one"], ["last"]))
        nodes.append(helper.make_node("Gather", ["E", "last"], ["logits"]))
    else:
        nodes.append(helper.make_node("Gather", ["E", "ids"], ["logits"]))
    outputs.append(helper.make_tensor_value_info("logits", elem, ["batch_size", "sequence_length", V]))
    if cache_branch:
        inputs.append(helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1]))
    for i in range(LAYERS):
        for kv in ("key", "value"):
            past, present = f"past_key_values.{i}.{kv}", f"present.{i}.{kv}"
            inputs.append(helper.make_tensor_value_info(past, elem, ["batch_size", HEADS, "past_sequence_length", HD]))
            nodes += [helper.make_node("Gather", ["K", "ids"], [f"g{i}{kv}"]),
                      helper.make_node("Reshape", [f"g{i}{kv}", "kv_shape"], [f"r{i}{kv}"]),
                      helper.make_node("Transpose", [f"r{i}{kv}"], [f"t{i}{kv}"], perm=[0, 2, 1, 3]),
                      helper.make_node("Concat", [past, f"t{i}{kv}"], [present], axis=2)]
            outputs.append(helper.make_tensor_value_info(present, elem,
                                                         ["batch_size", HEADS, "past_sequence_length + 1", HD]))
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="tempera-test")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def no_past():
    e, _ = table(np.float32)
    nodes = [helper.make_node("Gather", ["E", "input_ids"], ["logits"])]
    graph = helper.make_graph(nodes, "no_past",
                              [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "s"]),
                               helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["b", "s"])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["b", "s", V])],
                              [numpy_helper.from_array(e, "E")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def main():
    os.makedirs(OUT, exist_ok=True)
    graphs = {
        "fp32-model.onnx": decoder("fp32", np.float32),
        "fp16-keep-one.onnx": decoder("fp16", np.float16, keep=True),
        "fp32-merged-cache-branch.onnx": decoder("merged", np.float32, cache_branch=True),
        "fp32-embeds-mrope.onnx": decoder("embeds", np.float32, position_rank=3, embeds=True),
        "no-past.onnx": no_past(),
    }
    for name, model in graphs.items():
        onnx.save(model, os.path.join(OUT, name))
        print(name, os.path.getsize(os.path.join(OUT, name)), "bytes")


if __name__ == "__main__":
    main()
