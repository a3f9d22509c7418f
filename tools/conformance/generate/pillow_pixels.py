"""Writes the Python reference pixel_values of every image under
tempera-text/src/test/resources/conformance/images/ to OUT_DIR/<image>.npy: Qwen2VLImageProcessor as the models were
trained with it (Pillow bicubic resize; tools/sample-models/decoder_model.py preprocess_image). tjs_goldens.mjs calls
this to measure how far transformers.js's sharp-resized pixel_values are from Pillow's, and whether the greedy
tokens change with Pillow's.

    /usr/bin/python3 tools/conformance/generate/pillow_pixels.py OUT_DIR

Needs numpy, Pillow and torch (decoder_model imports torch): /usr/bin/python3 on the build machine has them.
"""
import pathlib
import sys

import numpy as np
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tools" / "sample-models"))
from decoder_model import preprocess_image  # noqa: E402

IMAGES = ROOT / "tempera-text" / "src" / "test" / "resources" / "conformance" / "images"


def main(out_dir):
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for png in sorted(IMAGES.glob("*.png")):
        pixel_values, _ = preprocess_image(Image.open(png))
        np.save(out_dir / f"{png.stem}.npy", pixel_values)


if __name__ == "__main__":
    main(sys.argv[1])
