"""Measures shapes-sd / shapes-sdxl through Tempera's Java pipeline (`./tempera image --in ... --out ...`) on the
same prompts, seeds and guidance scales as measure_diffusion.py, and scores the images the same way
(`./tempera shapes score`).

measure_diffusion.py samples with the PyTorch modules the graphs were exported from and a Python copy of diffusers'
scheduler; this runs the exported ONNX graphs with the Java tokenizer, text encoders, scheduler (the model's own
scheduler_config.json: PNDM for shapes-sd, Euler discrete for shapes-sdxl), guidance, torch-compatible noise and
VAE post-processing. When measure_diffusion.py's images are present (work/measure/<kind>/), every Java image is
compared with the Python image of the same prompt, seed and guidance.

Standard library only:

    /usr/bin/python3 tools/sample-models/measure_java_diffusion.py sd      # → work/measure-java/sd/summary.json
    /usr/bin/python3 tools/sample-models/measure_java_diffusion.py sdxl

Prompts: the short English captions of the first 200 distinct test-split scenes (guidance 7.5 and 1, seeds 0 and 1)
and the short Chinese captions of the first 100 (guidance 7.5), 30 steps, 64×64 — measure_diffusion.py's defaults.
Set TEMPERA_JAR to a built tempera-lab.jar to run it instead of ./tempera.
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import time
import zlib

from jsonl import read_jsonl, write_jsonl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
WORK = os.environ.get("TEMPERA_MODELS_WORK", os.path.join(HERE, "work"))
FOLDERS = {"sd": "shapes-sd", "sdxl": "shapes-sdxl"}


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def cli():
    jar = os.environ.get("TEMPERA_JAR")
    return ["java", "-jar", jar] if jar else [os.path.join(ROOT, "tempera")]


def test_prompts(entries, count, language):
    """measure_diffusion.test_prompts: distinct short English captions of test scenes, in that language."""
    seen, prompts = set(), []
    for e in entries:
        if e["split"] != "test":
            continue
        en = e["captions"]["en"]["short"]
        if en in seen:
            continue
        seen.add(en)
        prompts.append(e["captions"][language]["short"])
        if len(prompts) == count:
            break
    return prompts


def png_pixels(path):
    """RGB bytes of an 8-bit RGB, non-interlaced PNG (what both Pillow and Tempera write here)."""
    with open(path, "rb") as f:
        data = f.read()
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour != 2:
                raise ValueError(f"{path}: not 8-bit RGB")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, out, prev = zlib.decompress(idat), width * 3, bytearray(), bytearray(width * 3)
    for y in range(height):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += line
        prev = line
    return bytes(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=sorted(FOLDERS))
    parser.add_argument("--prompts", type=int, default=200)
    parser.add_argument("--zh", type=int, default=100)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--model", default=None, help="model folder (default models/shapes-<kind>)")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    model = args.model or os.path.join(ROOT, "models", FOLDERS[args.kind])
    out = os.path.abspath(args.out or os.path.join(WORK, "measure-java", args.kind))
    entries = read_jsonl(os.path.join(WORK, "data", "scenes.jsonl"))
    lines = [{"id": f"en-{n:04d}", "prompt": p, "guidance": [7.5, 1.0]}
             for n, p in enumerate(test_prompts(entries, args.prompts, "en"))]
    lines += [{"id": f"zh-{n:04d}", "prompt": p, "guidance": 7.5}
              for n, p in enumerate(test_prompts(entries, args.zh, "zh"))]
    os.makedirs(out, exist_ok=True)
    prompts_path = os.path.join(out, "prompts.jsonl")
    write_jsonl(prompts_path, lines)
    images_dir = os.path.join(out, "images")
    cmd = cli() + ["image", "--model", model, "--in", prompts_path, "--out", images_dir, "--force", "--seeds", "0-1",
                   "--steps", str(args.steps), "--size", "64x64", "--json"]
    log(" ".join(cmd))
    t0 = time.time()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.time() - t0
    if proc.returncode != 0:
        sys.exit(f"tempera image failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    results = read_jsonl(os.path.join(images_dir, "results.jsonl"))
    log(f"{len(results)} images in {seconds:.0f} s (JVM start and model load included)")

    items, same, diffs, compared = [], 0, [], 0
    python_dir = os.path.join(WORK, "measure", args.kind)
    for r in results:
        language, n = r["id"].split("-")
        group = f"{language}-g{r['guidance']:g}"
        image = os.path.join(images_dir, r["file"])
        items.append({"image": image, "prompt": r["prompt"], "group": group})
        reference = os.path.join(python_dir, group, f"{int(n):04d}-s{r['seed']}.png")
        if os.path.exists(reference):
            a, b = png_pixels(image), png_pixels(reference)
            d = max(abs(x - y) for x, y in zip(a, b)) if len(a) == len(b) else 255
            diffs.append(d)
            same += d <= 1
            compared += 1
    items_path = os.path.join(out, "items.jsonl")
    write_jsonl(items_path, items)
    score = subprocess.run(cli() + ["shapes", "score", "--in", items_path, "--out", os.path.join(out, "scored.jsonl"),
                                    "--json"], cwd=ROOT, capture_output=True, text=True)
    if score.returncode != 0:
        sys.exit(f"scoring failed:\n{score.stderr[-3000:]}")
    summary = {"kind": args.kind, "model": os.path.relpath(model, ROOT), "steps": args.steps, "seeds": [0, 1],
               "images": len(results), "seconds": seconds,
               "score": json.loads(score.stdout[score.stdout.index("{"):]),
               "python_comparison": {"compared": compared, "within_1_of_255": same,
                                     "max_abs_diff": max(diffs) if diffs else None}}
    with open(os.path.join(out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2, ensure_ascii=False)
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
