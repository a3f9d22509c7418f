"""ONNX export and golden tensors.

`export(module, path, inputs, input_names, output_names, dynamic_axes)` writes one graph with PyTorch's tracer
(opset 17), checks it with onnx.checker, and strips the doc strings that would embed this machine's paths.

`golden(case, model_path, inputs, outputs, atol, rtol)` writes a golden case for the Java test
`SampleModelsGoldenTest`: `golden/<case>/case.json` names the graph (relative to the repository root), every input
and output as a .npy file beside it, and the tolerance. Java runs the graph on ONNX Runtime with the inputs and
compares each output to `|actual - expected| <= atol + rtol * |expected|`.
"""
import os
import shutil

import numpy as np
import onnx
import torch

from common import GOLDEN, OPSET, ROOT, log, save_json

NPY_DTYPES = {np.dtype("float32"), np.dtype("int64"), np.dtype("bool"), np.dtype("int32")}


def export(module, path, inputs, input_names, output_names, dynamic_axes, fold=True):
    """Exports `module(*inputs)` to `path`; returns the ONNX model proto. fold=False keeps computations on constants
    in the graph (e.g. the int8 dequantisation of a stored table, which folding would store as float32)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, tuple(inputs), path, input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=fold)
    model = onnx.load(path)
    for node in model.graph.node:
        node.doc_string = ""
    model.producer_name = "tempera-sample-models (torch " + torch.__version__ + ")"
    onnx.checker.check_model(model)
    onnx.save(model, path)
    log("exported", os.path.relpath(path, ROOT), f"{os.path.getsize(path) / 1e6:.2f} MB")
    return model


def _npy(value):
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    value = np.asarray(value)
    if value.dtype == np.float64:
        value = value.astype(np.float32)
    if value.dtype not in NPY_DTYPES:
        raise ValueError(f"golden tensors must be float32, int64, int32 or bool, not {value.dtype}")
    return np.ascontiguousarray(value)


def golden(case, model_path, inputs, outputs, atol=1e-4, rtol=1e-3, note=""):
    """Writes golden/<case>/: case.json + <name>.npy for each input and output (dicts name → tensor)."""
    directory = os.path.join(GOLDEN, case)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    manifest = {"model": os.path.relpath(model_path, ROOT).replace(os.sep, "/"), "atol": atol, "rtol": rtol,
                "note": note, "inputs": {}, "outputs": {}}
    for kind, tensors in (("inputs", inputs), ("outputs", outputs)):
        for name, value in tensors.items():
            file = kind[:-1] + "." + name + ".npy"
            np.save(os.path.join(directory, file), _npy(value))
            manifest[kind][name] = file
    save_json(os.path.join(directory, "case.json"), manifest)
