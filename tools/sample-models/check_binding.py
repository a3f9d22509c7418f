"""Does the denoiser bind colour and kind words to shapes? Decodes x̂0 predicted at t = 999 from pure noise for test
captions (no sampler, no guidance: what the text alone decides) and scores the images with the Shapes checker.

    /usr/bin/python3 tools/sample-models/check_binding.py sd [--prompts 200] [--checkpoint work/unet-sd.pt]

STATUS.md's step 2: this should reach ~90 % kind + colour before any sampler is tried. Writes work/measure/binding-<kind>/.
"""
import argparse
import os
import time

import torch
from PIL import Image

import train_unet as tu
from common import DATA, WORK, Dataset, log, setup
from measure_diffusion import score, write_items
from schedulers import alphas_cumprod, to_uint8


def captions(data, count, level):
    seen, out = set(), []
    for i in data.split("test"):
        c = data.entries[i]["captions"]["en"][level]
        if c not in seen:
            seen.add(c)
            out.append(c)
        if len(out) == count:
            break
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["sd", "sdxl"])
    parser.add_argument("--prompts", type=int, default=200)
    parser.add_argument("--t", type=int, default=999)
    parser.add_argument("--checkpoint", default=None)
    parser.add_argument("--level", choices=["short", "detailed"], default="detailed",
                        help="detailed captions fix positions and sizes, so x0 at t = 999 is nearly one image")
    args = parser.parse_args()
    setup(0)
    frozen = tu.load_frozen()
    ckpt = torch.load(args.checkpoint or os.path.join(WORK, f"unet-{args.kind}.pt"))
    tu.restore_text(frozen, ckpt)
    core = tu.make_denoiser(args.kind, frozen)
    core.load_state_dict(ckpt["state"])
    core.eval()
    data = Dataset(DATA)
    prompts = captions(data, args.prompts, args.level)
    out = os.path.join(WORK, "measure", f"binding-{args.kind}")
    os.makedirs(out, exist_ok=True)
    ac = alphas_cumprod()[args.t]
    gen = torch.Generator().manual_seed(0)
    items = []
    t0 = time.time()
    with torch.no_grad():
        for k in range(0, len(prompts), 50):
            p = prompts[k:k + 50]
            cond = tu.encode_prompts(args.kind, frozen, p)
            noise = torch.randn((len(p), 4, 8, 8), generator=gen)
            x0_guess = torch.zeros_like(noise)
            xt = ac.sqrt() * x0_guess + (1 - ac).sqrt() * noise
            x0 = tu.unet_forward(args.kind, core, xt, torch.full((len(p),), float(args.t)), cond, raw=True)
            imgs = to_uint8(frozen[4].decoder(x0 / frozen[5]))
            for n, (q, img) in enumerate(zip(p, imgs)):
                path = os.path.join(out, f"{k + n:04d}.png")
                Image.fromarray(img).save(path)
                items.append({"image": path, "prompt": q, "group": f"x0-t{args.t}"})
    log(f"{len(items)} x0 images in {time.time() - t0:.0f} s (checkpoint after {ckpt['steps']} steps)")
    items_path = os.path.join(out, "items.jsonl")
    write_items(items_path, items)
    s = score(items_path, os.path.join(out, "results.jsonl"))
    print(s)


if __name__ == "__main__":
    main()
