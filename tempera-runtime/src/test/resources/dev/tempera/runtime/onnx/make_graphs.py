"""Writes the tiny ONNX graphs the dev.tempera.runtime.onnx tests load. Run with a Python that has `onnx`:
    /usr/bin/python3 make_graphs.py
The files are committed; rerun only to change a graph (and update the tests that describe it)."""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = [helper.make_opsetid("", 13)]


def save(graph, name, **kwargs):
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="tempera-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save_model(model, os.path.join(HERE, name), **kwargs)


# fp16.onnx: h = half(x) and back, both ways through ONNX Runtime's own conversions:
#   half16 FLOAT16[n] -> Identity -> same16 FLOAT16[n]      (our fp16 bits survive a trip through ORT untouched)
#   half16 FLOAT16[n] -> Cast(float) -> widened FLOAT[n]     (ORT widens our fp16 bits)
#   single FLOAT[n]   -> Cast(float16) -> narrowed FLOAT16[n] (ORT rounds; we read its fp16 bits)
save(helper.make_graph(
    [helper.make_node("Identity", ["half16"], ["same16"]),
     helper.make_node("Cast", ["half16"], ["widened"], to=TensorProto.FLOAT),
     helper.make_node("Cast", ["single"], ["narrowed"], to=TensorProto.FLOAT16)],
    "fp16",
    [helper.make_tensor_value_info("half16", TensorProto.FLOAT16, ["n"]),
     helper.make_tensor_value_info("single", TensorProto.FLOAT, ["m"])],
    [helper.make_tensor_value_info("same16", TensorProto.FLOAT16, ["n"]),
     helper.make_tensor_value_info("widened", TensorProto.FLOAT, ["n"]),
     helper.make_tensor_value_info("narrowed", TensorProto.FLOAT16, ["m"])]), "fp16.onnx")

# contract.onnx: a decoder-shaped contract.
#   inputs  input_ids INT64[batch, seq], attention_mask INT64[batch, seq]
#   outputs logits FLOAT[batch, seq, 1] = float(input_ids * attention_mask) unsqueezed on axis 2
save(helper.make_graph(
    [helper.make_node("Mul", ["input_ids", "attention_mask"], ["kept"]),
     helper.make_node("Cast", ["kept"], ["kept_f"], to=TensorProto.FLOAT),
     helper.make_node("Unsqueeze", ["kept_f", "axis2"], ["logits"])],
    "contract",
    [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
     helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "seq", 1])],
    [numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2")]), "contract.onnx")

# external/model.onnx + external/model.onnx_data: y = x + w, w = [1, 2, 3, 4] stored as external data in
# model.onnx_data (the file name transformers.js and optimum use), so loading needs the _data file next to the model.
os.makedirs(os.path.join(HERE, "external"), exist_ok=True)
save(helper.make_graph(
    [helper.make_node("Add", ["x", "w"], ["y"])],
    "external",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])],
    [numpy_helper.from_array(np.array([1, 2, 3, 4], dtype=np.float32), "w")]),
    os.path.join("external", "model.onnx"),
    save_as_external_data=True, all_tensors_to_one_file=True, location="model.onnx_data", size_threshold=0)
