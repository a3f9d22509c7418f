"""Measures the Shapes-world VAE and text-to-image models with Tempera's Shapes-world checker.

  /usr/bin/python3 measure_diffusion.py vae            # VAE reconstructions of test images: exact recognition rate
  /usr/bin/python3 measure_diffusion.py sd             # shapes-sd: PNDM (PLMS), 30 steps, guidance 7.5 and 1.0
  /usr/bin/python3 measure_diffusion.py sdxl           # shapes-sdxl: Euler discrete, 30 steps, guidance 7.5 and 1.0

The samplers are schedulers.py (diffusers' PNDM and Euler discrete, CFG on only when guidance > 1, one
torch.Generator per image); the networks are the torch modules that were exported (the golden cases check the ONNX
graphs against them). Prompts are the short English captions of distinct test-split scenes (and, as a separate
group, their short Chinese captions). Images and items.jsonl ({"image","prompt","group"} lines) go to
work/measure/<what>/; then `./tempera shapes score --in items.jsonl --out results.jsonl --json` scores them and the
summary is written to work/measure/<what>/summary.json.
"""
import argparse
import json
import os
import subprocess
import time

import numpy as np
import torch
from PIL import Image

from common import DATA, ROOT, WORK, Dataset, log, setup, to_unit_range
from schedulers import EulerDiscrete, Pndm, sample, to_uint8
import train_unet as tu


def score(items_path, results_path):
    # TEMPERA_JAR: a built tempera-lab.jar to run instead of ./tempera (which rebuilds when sources changed)
    jar = os.environ.get("TEMPERA_JAR")
    cli = ["java", "-jar", jar] if jar else [os.path.join(ROOT, "tempera")]
    cmd = cli + ["shapes", "score", "--in", items_path, "--out", results_path, "--json"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        log("scoring failed:", proc.stderr[-2000:])
        return None
    return json.loads(proc.stdout[proc.stdout.index("{"):])


def write_items(path, items):
    with open(path, "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")


def same_scene(a, b):
    if a is None or a["background"] != b["background"]:
        return False
    key = lambda s: (s["kind"], s["color"], s["size"], s["position"])
    return sorted(map(key, a["shapes"])) == sorted(map(key, b["shapes"]))


def measure_vae(args, out):
    frozen = tu.load_frozen()
    vae, sf = frozen[4], frozen[5]
    data = Dataset(DATA)
    test = data.split("test")[: args.count or None]
    images = data.images()
    items = []
    os.makedirs(os.path.join(out, "img"), exist_ok=True)
    errs = []
    with torch.no_grad():
        for k in range(0, len(test), 200):
            idx = test[k:k + 200]
            x = to_unit_range(images[idx])
            mean = vae.encoder(x)[:, :4]
            y = to_uint8(vae.decoder(mean * sf / sf))
            errs.append(np.abs(y.astype(np.float32) - images[idx].astype(np.float32)).mean((1, 2, 3)))
            for i, img in zip(idx, y):
                path = os.path.join(out, "img", f"{i:06d}.png")
                Image.fromarray(img).save(path)
                items.append({"image": path, "prompt": data.entries[i]["captions"]["en"]["detailed"],
                              "group": "vae-recon", "index": i})
    errs = np.concatenate(errs)
    items_path = os.path.join(out, "items.jsonl")
    write_items(items_path, items)
    summary = {"images": len(items), "mean_abs_error_255": float(errs.mean()),
               "max_abs_error_255": float(errs.max())}
    results_path = os.path.join(out, "results.jsonl")
    s = score(items_path, results_path)
    if s is not None:
        summary["score"] = s
        with open(results_path, encoding="utf-8") as f:
            results = [json.loads(line) for line in f if line.strip()]
        exact = sum(same_scene(r.get("recognised"), data.entries[r["index"]]["scene"]) for r in results)
        summary["exact_recognition"] = exact / len(results)
    return summary


def test_prompts(data, count, language):
    seen, prompts = set(), []
    for i in data.split("test"):
        en = data.entries[i]["captions"]["en"]["short"]
        if en in seen:
            continue
        seen.add(en)
        prompts.append(data.entries[i]["captions"][language]["short"])
        if len(prompts) == count:
            break
    return prompts


def make_scheduler(kind, steps):
    return Pndm(steps) if kind == "sd" else EulerDiscrete(steps)


def generate(kind, frozen, core, prompts, seeds, guidance, steps, chunk=100):
    """uint8 images [len(prompts), H, W, 3]; prompts[i] with seeds[i]."""
    sf = frozen[5]
    out = []
    for k in range(0, len(prompts), chunk):
        p, s = prompts[k:k + chunk], seeds[k:k + chunk]
        cond = tu.encode_prompts(kind, frozen, p)
        uncond = tu.unconditional(kind, frozen, len(p))
        call = lambda x, t, c: tu.unet_forward(kind, core, x, t, c)
        lat = sample(call, make_scheduler(kind, steps), cond, uncond, s, guidance)
        with torch.no_grad():
            out.append(to_uint8(frozen[4].decoder(lat / sf)))
    return np.concatenate(out)


def measure_model(kind, args, out):
    frozen = tu.load_frozen()
    ckpt = torch.load(os.path.join(WORK, f"unet-{kind}.pt"))
    tu.restore_text(frozen, ckpt)
    core = tu.load_denoiser(kind, frozen, ckpt, args.prior_scale)
    data = Dataset(DATA)
    summary = {"kind": kind, "steps": args.steps, "seeds": args.seeds, "train": {k: ckpt[k] for k in
                                                                                 ("steps", "batch", "seconds")}}
    # cost of one UNet call at batch 2 (CFG) and of the whole sampling per image
    with torch.no_grad():
        x = torch.randn(2, 4, 8, 8)
        conds = tu.encode_prompts(kind, frozen, ["a red circle", "a blue star"])
        for _ in range(3):  # warm-up: the first calls pay one-time initialisation
            tu.unet_forward(kind, core, x, torch.tensor(500.0), conds)
        t0 = time.time()
        for _ in range(20):
            tu.unet_forward(kind, core, x, torch.tensor(500.0), conds)
        summary["unet_ms_per_call_batch2"] = (time.time() - t0) / 20 * 1000
    # determinism
    p = test_prompts(data, 2, "en")
    a = generate(kind, frozen, core, [p[0], p[0]], [0, 0], 7.5, args.steps, chunk=1)   # two separate runs
    b = generate(kind, frozen, core, [p[0], p[0]], [0, 1], 7.5, args.steps)            # one batch of two
    summary["same_seed_identical"] = bool(np.array_equal(a[0], a[1]))
    summary["different_seeds_differ"] = bool(not np.array_equal(b[0], b[1]))
    summary["batch1_equals_batch2_max_diff"] = int(np.abs(a[0].astype(int) - b[0].astype(int)).max())
    items = []
    groups = [("en", g) for g in args.guidance] + ([("zh", args.guidance[0])] if args.zh else [])
    for language, g in groups:
        prompts = test_prompts(data, args.prompts if language == "en" else args.zh, language)
        ps = [q for q in prompts for _ in range(args.seeds)]
        seeds = [s for _ in prompts for s in range(args.seeds)]
        group = f"{language}-g{g:g}"
        t0 = time.time()
        imgs = generate(kind, frozen, core, ps, seeds, g, args.steps)
        log(f"{group}: {len(ps)} images in {time.time() - t0:.0f} s")
        os.makedirs(os.path.join(out, group), exist_ok=True)
        for n, (q, s, img) in enumerate(zip(ps, seeds, imgs)):
            path = os.path.join(out, group, f"{n // args.seeds:04d}-s{s}.png")
            Image.fromarray(img).save(path)
            items.append({"image": path, "prompt": q, "group": group})
    items_path = os.path.join(out, "items.jsonl")
    write_items(items_path, items)
    s = score(items_path, os.path.join(out, "results.jsonl"))
    if s is not None:
        summary["score"] = s
    return summary


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["vae", "sd", "sdxl"])
    parser.add_argument("--prompts", type=int, default=200)
    parser.add_argument("--zh", type=int, default=100, help="Chinese prompts at the first guidance (0: none)")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--guidance", type=lambda s: [float(x) for x in s.split(",")], default=[7.5, 1.0])
    parser.add_argument("--count", type=int, default=0, help="vae: number of test images (0: all)")
    parser.add_argument("--out", default=None)
    parser.add_argument("--prior-scale", type=float, default=None,
                        help="measure with this text-prior scale instead of the checkpoint's (an export-time constant)")
    args = parser.parse_args()
    setup(0)
    out = args.out or os.path.join(WORK, "measure", args.what)
    os.makedirs(out, exist_ok=True)
    t0 = time.time()
    summary = measure_vae(args, out) if args.what == "vae" else measure_model(args.what, args, out)
    summary["seconds"] = time.time() - t0
    with open(os.path.join(out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2, ensure_ascii=False)
    log(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
