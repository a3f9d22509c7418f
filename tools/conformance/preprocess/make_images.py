"""Writes the test images for the Qwen2-VL preprocessing goldens and the image-loader tests into
tempera-runtime/src/test/resources/qwen2vl/ (images/ and decode/).

    /usr/bin/python3 tools/conformance/preprocess/make_images.py

The Shapes images are rendered with the Tempera CLI (`java -jar tempera-lab/target/tempera-lab.jar shapes render`,
built by `./tempera` or `./mvnw -pl tempera-lab -am package`); everything else is drawn here with numpy and Pillow
from fixed seeds, so reruns give the same bytes (for a given Pillow / libjpeg / zlib). The images are committed;
rerun this only to change them, then rerun qwen2vl_reference.py and tjs_preprocess.mjs.

Also defines `large_photo()`, the procedural 1500x1000 "photo" the downscale golden uses (too big to commit as a
file); the Java test builds the same pixels with the same integer formula.
"""
import pathlib
import struct
import subprocess
import sys
import zlib

import numpy as np
from PIL import Image, ImageDraw

ROOT = pathlib.Path(__file__).resolve().parents[3]
RES = ROOT / "tempera-runtime" / "src" / "test" / "resources" / "qwen2vl"
IMAGES = RES / "images"
DECODE = RES / "decode"
JAR = ROOT / "tempera-lab" / "target" / "tempera-lab.jar"

LARGE_W, LARGE_H = 1500, 1000


def large_photo(width=LARGE_W, height=LARGE_H):
    """A photo-like uint8 RGB image (H, W, 3): smooth gradients, a soft disc, a checker band and per-pixel noise
    from an integer hash. Java: Qwen2VlGoldenTest.largePhoto (same arithmetic, 32-bit wrap-around)."""
    y, x = np.mgrid[0:height, 0:width].astype(np.int64)
    h = ((x * 73856093) ^ (y * 19349663)) & 0xFFFFFFFF
    h = ((h ^ (h >> 13)) * 1274126177) & 0xFFFFFFFF
    noise = ((h >> 24) % 17) - 8
    noise2 = ((h >> 16) & 0xFF) % 9 - 4
    d2 = (x - 900) ** 2 + (y - 420) ** 2
    disc = np.where(d2 < 260 * 260, 70, 0) + np.where(d2 < 200 * 200, 40, 0)
    checker = np.where(((x // 97) + (y // 89)) % 2 == 0, 25, -25) * (y > 700)
    r = 30 + (x * 180) // (width - 1) + disc + noise
    g = 20 + (y * 200) // (height - 1) + checker + noise2
    b = 200 - (x * 120) // (width - 1) - (y * 60) // (height - 1) + disc // 2 + noise
    return np.clip(np.stack([r, g, b], axis=-1), 0, 255).astype(np.uint8)


def render_shapes(name, seed, size, prompt):
    out = IMAGES / f"{name}.png"
    subprocess.run(["java", "-Djava.awt.headless=true", "-jar", str(JAR), "shapes", "render", "--prompt", prompt,
                    "--seed", str(seed), "--size", str(size), "--out", str(out)], check=True)


def drawn_rgb(w, h, seed):
    """A small RGB picture with hard edges, gradients and noise (exercises the resize filter)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([(x * 255) // max(w - 1, 1), (y * 255) // max(h - 1, 1), ((x + y) * 127) // (w + h)], -1)
    base = np.clip(base + rng.integers(-20, 21, (h, w, 3)), 0, 255).astype(np.uint8)
    im = Image.fromarray(base, "RGB")
    d = ImageDraw.Draw(im)
    d.ellipse((w // 5, h // 5, w * 3 // 5, h * 4 // 5), fill=(230, 40, 30))
    d.rectangle((w * 3 // 5, h // 8, w - 3, h // 2), fill=(20, 200, 60))
    d.line((0, h - 1, w - 1, 0), fill=(255, 255, 255), width=2)
    return im


def write_png(path, arr, color_type, bit_depth):
    """A PNG written by hand (Pillow cannot write 16-bit RGB): filter 0 on every row."""
    h, w = arr.shape[:2]
    dtype = ">u2" if bit_depth == 16 else "u1"
    raw = b"".join(b"\x00" + np.ascontiguousarray(arr[y]).astype(dtype).tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9))
                     + chunk(b"IEND", b""))


def write_bmp16(path, values, w, h, masks):
    """A 16-bit BI_BITFIELDS BMP (bottom-up rows) from uint16 values (h, w)."""
    rows = []
    for y in range(h - 1, -1, -1):
        row = values[y].astype("<u2").tobytes()
        rows.append(row + b"\x00" * ((4 - len(row) % 4) % 4))
    data = b"".join(rows)
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 16, 3, len(data), 2835, 2835, 0, 0) + struct.pack("<III", *masks)
    offset = 14 + len(info)
    path.write_bytes(b"BM" + struct.pack("<IHHI", offset + len(data), 0, 0, offset) + info + data)


def make_golden_images():
    IMAGES.mkdir(parents=True, exist_ok=True)
    # 64x64 Shapes renders: shapes-vl's smart_resize upsizes them to 112x112
    render_shapes("red-circle-64", 1, 64, "a large red circle on a blue background")
    render_shapes("green-square-64", 2, 64, "a small green square on a yellow background")
    # 112x112: shapes-vl keeps the size, so neither Pillow nor sharp resamples (the transformers.js golden)
    render_shapes("purple-diamond-112", 4, 112,
                  "a large purple diamond on the left and a small brown circle on the right, on a gray background")
    drawn_rgb(112, 112, 7).save(IMAGES / "drawn-112.png")
    # non-square, Qwen2-VL defaults: 45x100 -> 56x112
    drawn_rgb(100, 45, 1).save(IMAGES / "banner-100x45.png")
    # RGBA with alpha 0..255, including fully transparent pixels that still store a colour
    rgba = np.array(drawn_rgb(60, 50, 2).convert("RGBA"))
    rgba[..., 3] = (np.arange(60)[None, :] * 255 // 59).astype(np.uint8)
    rgba[:10, :10, 3] = 0
    Image.fromarray(rgba, "RGBA").save(IMAGES / "rgba-60x50.png")
    # grey, 70x70: 70/28 = 2.5 rounds to 2 in Python (banker's rounding) but to 3 in JavaScript
    Image.fromarray(np.array(drawn_rgb(70, 70, 3).convert("L")), "L").save(IMAGES / "gray-70x70.png")
    # palette GIF, 48x48
    drawn_rgb(48, 48, 4).convert("P", palette=Image.ADAPTIVE, colors=32).save(IMAGES / "palette-48.gif")
    # JPEG 64x48, 4:2:0 chroma subsampling (the common case: tests Java's decoder against libjpeg-turbo)
    drawn_rgb(64, 48, 5).save(IMAGES / "photo-64x48.jpg", quality=90, subsampling=2)


def make_decode_images():
    """Small files in many encodings, each next to Pillow's Image.open(f).convert("RGB") as .rgb.npy."""
    DECODE.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(11)
    base = drawn_rgb(20, 14, 9)
    base.save(DECODE / "rgb8.png")
    base.save(DECODE / "rgb8.bmp")
    base.convert("L").save(DECODE / "gray8.png")
    base.convert("1").save(DECODE / "bilevel.png")
    base.convert("P", palette=Image.ADAPTIVE, colors=16).save(DECODE / "palette.png")
    base.convert("P", palette=Image.ADAPTIVE, colors=16).save(DECODE / "palette8.bmp")
    pal_t = base.convert("P", palette=Image.ADAPTIVE, colors=16)
    pal_t.info["transparency"] = 3
    pal_t.save(DECODE / "palette-trns.png", transparency=3)
    rgba = np.array(base.convert("RGBA"))
    rgba[..., 3] = rng.integers(0, 256, (14, 20), dtype=np.uint8)
    rgba[0, :5, 3] = 0  # fully transparent, colour kept: Pillow's convert("RGB") drops alpha without compositing
    Image.fromarray(rgba, "RGBA").save(DECODE / "rgba8.png")
    la = Image.merge("LA", [base.convert("L"), Image.fromarray(rng.integers(0, 256, (14, 20), dtype=np.uint8))])
    la.save(DECODE / "gray-alpha.png")
    base.save(DECODE / "q75-444.jpg", quality=75, subsampling=0)
    base.convert("L").save(DECODE / "gray.jpg", quality=85)
    write_png(DECODE / "rgb16.png", rng.integers(0, 65536, (14, 20, 3)), 2, 16)
    write_png(DECODE / "rgba16.png", rng.integers(0, 65536, (14, 20, 4)), 6, 16)
    write_png(DECODE / "gray16.png", rng.integers(0, 600, (14, 20)), 0, 16)  # Pillow clips these at 255
    v = rng.integers(0, 65536, (14, 20))
    write_bmp16(DECODE / "rgb565.bmp", v, 20, 14, (0xF800, 0x07E0, 0x001F))
    write_bmp16(DECODE / "rgb555.bmp", v & 0x7FFF, 20, 14, (0x7C00, 0x03E0, 0x001F))
    # GIF whose only frame (8x8 at left 2, top 1) is smaller than its 12x10 logical screen
    small = Image.fromarray((np.arange(64).reshape(8, 8) % 5).astype(np.uint8), "P")
    small.putpalette([c for i in range(8) for c in (i * 40 % 256, 255 - i * 30 % 256, i * 7 % 256)])
    small.save(DECODE / "offset.gif")
    data = bytearray((DECODE / "offset.gif").read_bytes())
    data[6:8] = (12).to_bytes(2, "little")
    data[8:10] = (10).to_bytes(2, "little")
    desc = data.index(b"\x2c", 13)
    data[desc + 1:desc + 3] = (2).to_bytes(2, "little")
    data[desc + 3:desc + 5] = (1).to_bytes(2, "little")
    (DECODE / "offset.gif").write_bytes(bytes(data))
    for f in sorted(DECODE.iterdir()):
        if f.suffix in (".png", ".bmp", ".jpg", ".gif"):
            with Image.open(f) as im:
                np.save(DECODE / (f.name + ".rgb.npy"), np.asarray(im.convert("RGB"), dtype=np.uint8))


if __name__ == "__main__":
    if not JAR.exists():
        sys.exit(f"{JAR} is missing: build it with ./tempera --version (or ./mvnw -pl tempera-lab -am package)")
    make_golden_images()
    make_decode_images()
    print("wrote", IMAGES, "and", DECODE)
