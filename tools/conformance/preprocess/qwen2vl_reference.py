"""Python reference for Tempera's Qwen2VlImageProcessor: writes pixel_values / image_grid_thw goldens for the images
in tempera-runtime/src/test/resources/qwen2vl/images/ (and one procedural large image) to
tempera-runtime/src/test/resources/qwen2vl/goldens/.

    /usr/bin/python3 tools/conformance/preprocess/qwen2vl_reference.py

transformers cannot be installed here, so this transcribes its slow (PIL-based) Qwen2-VL image processor step by
step with numpy and Pillow. Sources (huggingface/transformers):
  - src/transformers/models/qwen2_vl/image_processing_qwen2_vl.py: `smart_resize`, `Qwen2VLImageProcessor.__init__`
    (size / min_pixels / max_pixels), `_preprocess` (the per-image pipeline and the patch reshape), `preprocess`
    (images concatenated along the patch axis, one grid row each);
  - src/transformers/image_transforms.py: `convert_to_rgb` (a plain `image.convert("RGB")`: alpha is dropped, not
    composited), `resize` (numpy -> PIL, `PIL.Image.resize((w, h), resample, reducing_gap=None)`, -> numpy uint8),
    `rescale` (float64 multiply, cast to float32), `normalize` (float32 mean / std, `(image - mean) / std`).
smart_resize follows the current function (transformers 5.x, models/qwen2_vl/image_processing_pil_qwen2_vl.py):
no ValueError for sides under the factor, and `max(factor, floor(...))` in the downscale branch; 4.x releases
raise for sides under 28 and lack the max(). None of the images here hits either difference.

Output: goldens/manifest.json (per case: image, pixel budget, resized size, grid, tokens, files) and, per case,
goldens/python/<case>.npy.gz (float32 [patches, 1176]). The large case stores only every 499th row, per-column
float64 sums, and the SHA-256 of the resized uint8 image, to keep the resources small.
"""
import gzip
import hashlib
import io
import json
import math
import pathlib
import sys

import numpy as np
from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_images import IMAGES, LARGE_H, LARGE_W, RES, large_photo  # noqa: E402

GOLDENS = RES / "goldens"
SHAPES_VL = json.loads((HERE.parents[2] / "models" / "shapes-vl" / "preprocessor_config.json").read_text())

OPENAI_CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
OPENAI_CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


class Qwen2VLImageProcessorReference:
    """Qwen2VLImageProcessor's settings and slow path; constructor defaults and key precedence as transformers'."""

    def __init__(self, do_resize=True, size=None, resample=3, do_rescale=True, rescale_factor=1 / 255,
                 do_normalize=True, image_mean=None, image_std=None, do_convert_rgb=True, min_pixels=None,
                 max_pixels=None, patch_size=14, temporal_patch_size=2, merge_size=2, **_ignored):
        size = dict(size) if size is not None else {"shortest_edge": 56 * 56, "longest_edge": 28 * 28 * 1280}
        # "backward compatibility: override size with min_pixels and max_pixels if they are provided"
        if min_pixels is not None:
            size["shortest_edge"] = min_pixels
        if max_pixels is not None:
            size["longest_edge"] = max_pixels
        self.min_pixels = size["shortest_edge"]
        self.max_pixels = size["longest_edge"]
        self.do_resize = do_resize
        self.resample = resample
        self.do_rescale = do_rescale
        self.rescale_factor = rescale_factor
        self.do_normalize = do_normalize
        self.image_mean = image_mean if image_mean is not None else OPENAI_CLIP_MEAN
        self.image_std = image_std if image_std is not None else OPENAI_CLIP_STD
        self.do_convert_rgb = do_convert_rgb
        self.patch_size = patch_size
        self.temporal_patch_size = temporal_patch_size
        self.merge_size = merge_size

    # image_processing_qwen2_vl.smart_resize (5.x form)
    @staticmethod
    def smart_resize(height, width, factor=28, min_pixels=56 * 56, max_pixels=14 * 14 * 4 * 1280):
        if max(height, width) / min(height, width) > 200:
            raise ValueError(f"absolute aspect ratio must be smaller than 200, got {max(height, width) / min(height, width)}")
        h_bar = round(height / factor) * factor  # Python round(): ties to even
        w_bar = round(width / factor) * factor
        if h_bar * w_bar > max_pixels:
            beta = math.sqrt((height * width) / max_pixels)
            h_bar = max(factor, math.floor(height / beta / factor) * factor)
            w_bar = max(factor, math.floor(width / beta / factor) * factor)
        elif h_bar * w_bar < min_pixels:
            beta = math.sqrt(min_pixels / (height * width))
            h_bar = math.ceil(height * beta / factor) * factor
            w_bar = math.ceil(width * beta / factor) * factor
        return h_bar, w_bar

    def resized_uint8(self, image):
        """convert_to_rgb -> to_numpy_array -> smart_resize -> resize: the HWC uint8 image the float steps start from."""
        if self.do_convert_rgb and image.mode != "RGB":  # image_transforms.convert_to_rgb
            image = image.convert("RGB")
        array = np.array(image)  # to_numpy_array, HWC uint8
        height, width = array.shape[:2]
        if self.do_resize:
            h, w = self.smart_resize(height, width, factor=self.patch_size * self.merge_size,
                                     min_pixels=self.min_pixels, max_pixels=self.max_pixels)
            # image_transforms.resize: to_pil_image (uint8, no rescale), PIL resize, back to numpy
            array = np.array(Image.fromarray(array).resize((w, h), resample=self.resample, reducing_gap=None))
        return array

    def _preprocess(self, image):
        """One image -> (flatten_patches [t*gh*gw, C*T*P*P], (t, gh, gw)), as Qwen2VLImageProcessor._preprocess."""
        array = self.resized_uint8(image)
        resized_height, resized_width = array.shape[:2]
        if self.do_rescale:  # image_transforms.rescale
            array = (array.astype(np.float64) * self.rescale_factor).astype(np.float32)
        if self.do_normalize:  # image_transforms.normalize, channels last
            if not np.issubdtype(array.dtype, np.floating):
                array = array.astype(np.float32)
            mean = np.array(self.image_mean, dtype=array.dtype)
            std = np.array(self.image_std, dtype=array.dtype)
            array = (array - mean) / std
        array = array.transpose(2, 0, 1)  # to_channel_dimension_format(FIRST)
        patches = np.array([array])
        if patches.shape[0] % self.temporal_patch_size != 0:
            repeats = np.repeat(patches[-1][np.newaxis], self.temporal_patch_size - 1, axis=0)
            patches = np.concatenate([patches, repeats], axis=0)
        channel = patches.shape[1]
        grid_t = patches.shape[0] // self.temporal_patch_size
        grid_h, grid_w = resized_height // self.patch_size, resized_width // self.patch_size
        m, p, t = self.merge_size, self.patch_size, self.temporal_patch_size
        patches = patches.reshape(grid_t, t, channel, grid_h // m, m, p, grid_w // m, m, p)
        patches = patches.transpose(0, 3, 6, 4, 7, 2, 1, 5, 8)
        flatten = patches.reshape(grid_t * grid_h * grid_w, channel * t * p * p)
        return flatten, (grid_t, grid_h, grid_w)

    def preprocess(self, images):
        """Qwen2VLImageProcessor.preprocess for a list of still images: patches concatenated, one grid row each."""
        values, grids = [], []
        for image in images:
            patches, grid = self._preprocess(image)
            values.extend(patches)
            grids.append(grid)
        return np.array(values), np.array(grids, dtype=np.int64)


def save_npy_gz(path, array):
    buf = io.BytesIO()
    np.save(buf, array)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same array gives the same bytes
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(buf.getvalue())


SHAPES_VL_BUDGET = ("shapes-vl", SHAPES_VL["min_pixels"], SHAPES_VL["max_pixels"])
DEFAULT_BUDGET = ("qwen2-vl-default", 56 * 56, 28 * 28 * 1280)

# (case, image file, budget)
CASES = [
    ("red-circle-64", "red-circle-64.png", SHAPES_VL_BUDGET),
    ("green-square-64", "green-square-64.png", SHAPES_VL_BUDGET),
    ("purple-diamond-112", "purple-diamond-112.png", SHAPES_VL_BUDGET),
    ("drawn-112", "drawn-112.png", SHAPES_VL_BUDGET),
    ("banner-100x45", "banner-100x45.png", DEFAULT_BUDGET),
    ("rgba-60x50", "rgba-60x50.png", DEFAULT_BUDGET),
    ("gray-70x70", "gray-70x70.png", DEFAULT_BUDGET),
    ("palette-48", "palette-48.gif", DEFAULT_BUDGET),
    ("photo-64x48", "photo-64x48.jpg", DEFAULT_BUDGET),
]
LARGE_ROW_STRIDE = 499


def processor_for(budget):
    if budget[0] == "shapes-vl":
        return Qwen2VLImageProcessorReference(**SHAPES_VL)
    return Qwen2VLImageProcessorReference(min_pixels=budget[1], max_pixels=budget[2])


def write_smart_resize_table():
    """goldens/smart_resize.csv: Python's smart_resize on random sizes and budgets, with many exact .5 ties (a side
    that is an odd multiple of factor / 2), tiny sides, extreme aspect ratios and both resize branches."""
    rng = np.random.default_rng(2024)
    rows = ["height,width,factor,min_pixels,max_pixels,out_height,out_width"]
    budgets = [(56 * 56, 28 * 28 * 1280), (12544, 16384), (56 * 56, 28 * 28 * 16384), (4 * 28 * 28, 4 * 28 * 28),
               (256 * 28 * 28, 1280 * 28 * 28)]
    for i in range(3000):
        factor = int(rng.choice([28, 28, 28, 14, 32, 56]))
        lo, hi = budgets[i % len(budgets)]
        kind = i % 6
        if kind == 0:  # ties: odd multiples of factor / 2 when the factor is even
            h = int(rng.integers(0, 80)) * factor + factor // 2
            w = int(rng.integers(0, 80)) * factor + factor // 2
        elif kind == 1:  # small
            h, w = int(rng.integers(1, 120)), int(rng.integers(1, 120))
        elif kind == 2:  # large
            h, w = int(rng.integers(500, 9000)), int(rng.integers(500, 9000))
        elif kind == 3:  # near the aspect limit
            h = int(rng.integers(1, 60))
            w = h * 200 + int(rng.integers(-2, 3))
        else:
            h, w = int(rng.integers(1, 4000)), int(rng.integers(1, 4000))
        if rng.random() < 0.5:
            h, w = w, h
        h, w = max(h, 1), max(w, 1)
        try:
            oh, ow = Qwen2VLImageProcessorReference.smart_resize(h, w, factor, lo, hi)
        except ValueError:
            oh, ow = "error", "error"
        rows.append(f"{h},{w},{factor},{lo},{hi},{oh},{ow}")
    (GOLDENS / "smart_resize.csv").write_text("\n".join(rows) + "\n")


def main():
    manifest = {
        "generator": "tools/conformance/preprocess/qwen2vl_reference.py",
        "pillow": Image.__version__,
        "numpy": np.__version__,
        "patch_dim": 1176,
        "cases": [],
    }
    for name, file, budget in CASES:
        proc = processor_for(budget)
        with Image.open(IMAGES / file) as im:
            mode = im.mode
            width, height = im.size
            values, grid = proc.preprocess([im])
        out = f"python/{name}.npy.gz"
        save_npy_gz(GOLDENS / out, values.astype(np.float32))
        t, gh, gw = (int(v) for v in grid[0])
        manifest["cases"].append({
            "name": name, "image": f"images/{file}", "mode": mode, "width": width, "height": height,
            "budget": budget[0], "min_pixels": budget[1], "max_pixels": budget[2],
            "resized": [gh * proc.patch_size, gw * proc.patch_size], "grid_thw": [t, gh, gw],
            "image_tokens": t * gh * gw // proc.merge_size ** 2, "pixel_values": out,
        })
    # large procedural photo, Qwen2-VL defaults: downscaled
    proc = processor_for(DEFAULT_BUDGET)
    image = Image.fromarray(large_photo(), "RGB")
    resized = proc.resized_uint8(image)
    values, grid = proc.preprocess([image])
    rows = np.arange(0, values.shape[0], LARGE_ROW_STRIDE)
    out = "python/large-photo.rows.npy.gz"
    save_npy_gz(GOLDENS / out, values[rows].astype(np.float32))
    t, gh, gw = (int(v) for v in grid[0])
    manifest["cases"].append({
        "name": "large-photo", "procedural": "make_images.large_photo", "mode": "RGB",
        "width": LARGE_W, "height": LARGE_H, "budget": DEFAULT_BUDGET[0], "min_pixels": DEFAULT_BUDGET[1],
        "max_pixels": DEFAULT_BUDGET[2], "resized": list(resized.shape[:2]), "grid_thw": [t, gh, gw],
        "image_tokens": t * gh * gw // proc.merge_size ** 2,
        "source_sha256": hashlib.sha256(large_photo().tobytes()).hexdigest(),
        "resized_sha256": hashlib.sha256(np.ascontiguousarray(resized).tobytes()).hexdigest(),
        "row_stride": LARGE_ROW_STRIDE, "pixel_values_rows": out,
        "column_sums": [float(s) for s in values.astype(np.float64).sum(axis=0)[:12]],
        "total_sum": float(values.astype(np.float64).sum()),
    })
    # batch: two images of different sizes in one call (checks the concatenation order)
    proc = processor_for(DEFAULT_BUDGET)
    with Image.open(IMAGES / "banner-100x45.png") as a, Image.open(IMAGES / "photo-64x48.jpg") as b:
        batch_values, batch_grid = proc.preprocess([a, b])
    singles = [np.load(io.BytesIO(gzip.decompress((GOLDENS / f"python/{n}.npy.gz").read_bytes())))
               for n in ("banner-100x45", "photo-64x48")]
    assert np.array_equal(batch_values, np.concatenate(singles)), "batch must be the singles concatenated"
    manifest["batch"] = {"cases": ["banner-100x45", "photo-64x48"], "grid_thw": batch_grid.tolist()}
    (GOLDENS / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    write_smart_resize_table()
    for c in manifest["cases"]:
        print(f"{c['name']:>20}: {c['width']}x{c['height']} {c['mode']:>4} -> {c['resized'][1]}x{c['resized'][0]}"
              f" grid {c['grid_thw']} tokens {c['image_tokens']}")


if __name__ == "__main__":
    main()
