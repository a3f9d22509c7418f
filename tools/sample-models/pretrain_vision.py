"""Pre-trains shapes-vl's vision encoder alone: a linear read-out of the scene (per position slot the kind, colour
and size of the shape there, and the background colour) from its 16 image features (train_decoder.AuxHead).

Why: trained only through the decoder's caption loss, the encoder learned the background and little else (the
decoder then guessed the shapes: attribute F1 ~0.45). Taught first to encode every shape so that a linear layer
can read it, it hands the decoder features worth attending to. Cheap: no decoder in the loop.

    TEMPERA_THREADS=1 /usr/bin/python3 tools/sample-models/pretrain_vision.py            # → work/vision.pt
"""
import argparse
import os
import random
import time

import numpy as np
import torch

from common import DATA, WORK, Dataset, autocast, log, setup
from decoder_model import VisionEncoder, preprocess_image
from train_decoder import AUX_CLASSES, AuxHead, scene_labels

SEED = 31
HIDDEN = 128


def pixels_of(images, indices, cache):
    out = []
    for i in indices:
        pv = cache.get(i)
        if pv is None:
            pv = cache[i] = preprocess_image(images[i])[0].astype(np.float16)
        out.append(pv)
    return torch.from_numpy(np.concatenate(out).astype(np.float32))


def accuracy(vision, aux, data, images, indices, cache, batch=256):
    """Per-head accuracy on `indices` → (mean over heads, fraction of scenes read entirely right)."""
    vision.eval()
    right, exact = np.zeros(len(AUX_CLASSES)), 0
    with torch.no_grad():
        for s in range(0, len(indices), batch):
            part = indices[s:s + batch]
            grid = torch.tensor([[1, 8, 8]] * len(part))
            feats = vision(pixels_of(images, part, cache), grid, uniform=True)
            labels = torch.tensor([scene_labels(data.entries[i]["scene"]) for i in part])
            pred = aux.predict(feats, len(part))
            ok = (pred == labels).numpy()
            right += ok.sum(0)
            exact += int(ok.all(1).sum())
    vision.train()
    return float((right / len(indices)).mean()), exact / len(indices)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=1200)
    parser.add_argument("--batch", type=int, default=96)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--out", default=os.path.join(WORK, "vision.pt"))
    args = parser.parse_args()
    setup(SEED)
    data = Dataset(DATA)
    images = data.images()
    train, test = data.split("train"), data.split("test")[:1000]
    rng = random.Random(SEED)
    vision = VisionEncoder(HIDDEN)
    aux = AuxHead(HIDDEN, zero_init=False)
    params = list(vision.parameters()) + list(aux.parameters())
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=args.steps,
                                                   pct_start=0.05)
    cache = {}
    log(f"vision encoder: {sum(p.numel() for p in vision.parameters()) / 1e6:.3f} M parameters; "
        f"{args.steps} steps × {args.batch}, threads {torch.get_num_threads()}")
    start = time.time()
    smooth = None
    for step in range(1, args.steps + 1):
        part = [rng.choice(train) for _ in range(args.batch)]
        grid = torch.tensor([[1, 8, 8]] * len(part))
        with autocast():
            feats = vision(pixels_of(images, part, cache), grid, uniform=True)
        feats = feats.float()
        labels = torch.tensor([scene_labels(data.entries[i]["scene"]) for i in part])
        loss = aux(feats, labels)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        schedule.step()
        smooth = loss.item() if smooth is None else 0.98 * smooth + 0.02 * loss.item()
        if step % 250 == 0 or step == 10 or step == args.steps:
            msg = f"step {step} loss {smooth:.4f} {time.time() - start:.0f}s"
            if step == args.steps:
                head, exact = accuracy(vision, aux, data, images, test, cache)
                msg += f" held-out: per-head {head:.4f}, whole scene {exact:.3f}"
            log(msg)
    torch.save({"vision": vision.state_dict(), "aux": aux.state_dict(), "steps": args.steps,
                "seconds": round(time.time() - start)}, args.out)
    log("saved", args.out)


if __name__ == "__main__":
    main()
