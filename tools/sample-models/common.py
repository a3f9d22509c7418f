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
