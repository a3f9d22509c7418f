"""Shared pieces of the sample-model build: paths, seeds, threads, the Shapes-world dataset and image preprocessing.

Everything here is deterministic for a given seed. Run with Debian's /usr/bin/python3 (python3-torch 1.13,
python3-onnx, python3-regex, numpy, PIL); see tools/sample-models/README.md.
"""
import json
import os
import random
import time

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MODELS = os.path.join(ROOT, "models")
GOLDEN = os.path.join(HERE, "golden")
WORK = os.environ.get("TEMPERA_MODELS_WORK", os.path.join(HERE, "work"))
DATA = os.path.join(WORK, "data")

OPSET = 17  # the highest opset PyTorch 1.13 exports; optimum's default is 18

# CLIP's (and Qwen2-VL's) image normalisation constants, OPENAI_CLIP_MEAN / OPENAI_CLIP_STD in transformers.
CLIP_MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
CLIP_STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def setup(seed):
    """Two threads (Debian's PyTorch starts with one), fixed seeds everywhere, deterministic kernels."""
    torch.set_num_threads(int(os.environ.get("TEMPERA_THREADS", "2")))
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    os.makedirs(WORK, exist_ok=True)


_BF16 = None


def bf16():
    """Whether training runs its matrix products in bfloat16 (TEMPERA_BF16=auto|1|0, default auto).

    CPUs with AMX or AVX512-BF16 (Sapphire Rapids and later) multiply bfloat16 matrices 20-30× faster than float32
    through oneDNN (measured on the 2-core build machine: 950 vs 33 GFLOP/s for 512² products); elsewhere bfloat16 is
    emulated and slower. "auto" times both once and uses bfloat16 when it is at least three times faster. Weights,
    optimiser state, losses and exports stay float32 (torch.autocast); only the products inside the forward and
    backward passes round their inputs to bfloat16."""
    global _BF16
    if _BF16 is None:
        choice = os.environ.get("TEMPERA_BF16", "auto")
        if choice not in ("auto", "0", "1"):
            raise SystemExit(f"TEMPERA_BF16 must be auto, 0 or 1, not {choice!r}")
        if choice == "auto":
            speed = {dtype: _matmul_rate(dtype) for dtype in (torch.float32, torch.bfloat16)}
            _BF16 = speed[torch.bfloat16] >= 3 * speed[torch.float32]
            log(f"matrix products: float32 {speed[torch.float32]:.0f}, bfloat16 {speed[torch.bfloat16]:.0f} GFLOP/s "
                f"→ training in {'bfloat16 autocast' if _BF16 else 'float32'} (TEMPERA_BF16=0|1 to choose)")
        else:
            _BF16 = choice == "1"
    return _BF16


def _matmul_rate(dtype, n=512, seconds=0.3):
    a, b = torch.ones(n, n, dtype=dtype), torch.ones(n, n, dtype=dtype)
    a @ b
    start, count = time.time(), 0
    while time.time() - start < seconds:
        a @ b
        count += 1
    return 2 * n ** 3 * count / (time.time() - start) / 1e9


def autocast():
    """The context for a training forward pass: bfloat16 autocast when bf16() says so, else a no-op. Compute losses
    outside it, or on .float() values (softmax, cross-entropy and norms want float32)."""
    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16())


def softmax32(x):
    """Softmax over the last axis computed in float32 and returned in x's dtype: bfloat16 autocast leaves softmax in
    its input's dtype. A plain softmax for float32 input, so exports are unchanged."""
    return x.softmax(-1) if x.dtype == torch.float32 else x.float().softmax(-1).to(x.dtype)


class GroupNorm(torch.nn.GroupNorm):
    """nn.GroupNorm that normalises in float32: PyTorch 1.13 has no bfloat16 group_norm rule under CPU autocast (a
    bfloat16 input meets float32 weights and fails). A no-op in float32, so exports are unchanged."""

    def forward(self, x):
        if x.dtype == torch.float32:
            return super().forward(x)
        return super().forward(x.float()).to(x.dtype)


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


class Dataset:
    """The Shapes-world dataset written by `tempera shapes dataset` (scenes.jsonl + images/)."""

    def __init__(self, directory=DATA):
        self.directory = directory
        with open(os.path.join(directory, "scenes.jsonl"), encoding="utf-8") as f:
            self.entries = [json.loads(line) for line in f]
        self._images = None

    def images(self):
        """uint8 [N, 64, 64, 3] in index order, cached as images.npy next to the dataset."""
        if self._images is None:
            cache = os.path.join(self.directory, "images.npy")
            if os.path.exists(cache):
                self._images = np.load(cache)
            else:
                self._images = np.stack([
                    np.asarray(Image.open(os.path.join(self.directory, e["image"])).convert("RGB"))
                    for e in self.entries])
                np.save(cache, self._images)
        return self._images

    def split(self, name):
        return [i for i, e in enumerate(self.entries) if e["split"] == name]

    def captions(self, i):
        """The four captions of scene i: en/zh × short/detailed."""
        c = self.entries[i]["captions"]
        return [c["en"]["short"], c["en"]["detailed"], c["zh"]["short"], c["zh"]["detailed"]]


def to_unit_range(images_uint8):
    """uint8 NHWC → float32 NCHW in [-1, 1] (what a diffusers VAE encoder takes)."""
    x = torch.from_numpy(images_uint8).float().div_(127.5).sub_(1.0)
    return x.permute(0, 3, 1, 2).contiguous()


def clip_pixels(images_uint8):
    """uint8 NHWC (already at the model size) → CLIP-normalised float32 NCHW, as CLIPImageProcessor does."""
    x = images_uint8.astype(np.float32) / 255.0
    x = (x - CLIP_MEAN) / CLIP_STD
    return torch.from_numpy(x.transpose(0, 3, 1, 2).copy())


def save_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")
