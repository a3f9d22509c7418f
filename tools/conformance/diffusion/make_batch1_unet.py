"""A copy of tiny-sd's UNet whose graph fixes the batch to 1, for the test that an ONNX Runtime failure in the middle of
a `tempera image` run is reported clearly and leaves the images already written intact (guidance > 1 runs the UNet
at batch 2, which this graph refuses).

    /usr/bin/python3 tools/conformance/diffusion/make_batch1_unet.py
"""
import os

import onnx

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
SRC = os.path.join(ROOT, "tempera-image", "src", "test", "resources", "tiny-sd", "unet", "model.onnx")
OUT = os.path.join(ROOT, "tempera-lab", "src", "test", "resources", "unet-batch1", "model.onnx")


def main():
    model = onnx.load(SRC)
    for value in model.graph.input:
        if value.name in ("sample", "encoder_hidden_states"):
            dim = value.type.tensor_type.shape.dim[0]
            dim.Clear()
            dim.dim_value = 1
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    onnx.save(model, OUT)
    print(OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
