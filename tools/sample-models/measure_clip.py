"""Measures shapes-clip on the held-out split: top-1 among 10 captions, with random and with hard distractors.

Random: the image's own caption against 9 captions of other test scenes (same language and level).
Pairwise: the own caption scores above the same caption with one colour or shape word swapped.
Hard: against 9 versions of its own caption with one colour or shape word swapped (train_clip.hard_negative).
Writes work/clip-metrics.json.
"""
import json
import os
import random

import torch
import torch.nn.functional as F

import bpe
from clip_model import Clip
from common import DATA, WORK, Dataset, clip_pixels, log, setup
from train_clip import encode_batch, hard_negative

LEVELS = ["en short", "en detailed", "zh short", "zh detailed"]


@torch.no_grad()
def main(count=1000):
    setup(5)
    tokenizer = bpe.ClipTokenizer.load(os.path.join(WORK, "tokenizers", "clip"))
    ckpt = torch.load(os.path.join(WORK, "clip.pt"))
    model = Clip(ckpt["vocab"])
    model.load_state_dict(ckpt["state"])
    model.eval()
    data = Dataset(DATA)
    test = data.split("test")[:count]
    images = data.images()
    rng = random.Random(5)
    img = F.normalize(model.image(clip_pixels(images[test])), dim=-1)
    results = {}
    pair = [0, 0]
    for n, i in enumerate(test):
        own = data.captions(i)[n % 4]
        neg = hard_negative(own, rng)
        txt = F.normalize(model.text(encode_batch(tokenizer, [own, neg]))["text_embeds"], dim=-1)
        scores = img[n] @ txt.t()
        pair[0] += int(scores[0].item() > scores[1].item())
        pair[1] += 1
    results["pairwise"] = {"true_beats_one_swap": pair[0] / pair[1], "images": pair[1]}
    log("pairwise", json.dumps(results["pairwise"]))
    for kind in ("random", "hard"):
        per_level = {lv: [0, 0] for lv in LEVELS}
        for n, i in enumerate(test):
            level = n % 4
            own = data.captions(i)[level]
            if kind == "random":
                others = [data.captions(j)[level] for j in rng.sample([j for j in test if j != i], 9)]
            else:
                others = []
                while len(others) < 9:
                    neg = hard_negative(own, rng)
                    if neg is None:
                        break
                    if neg != own:
                        others.append(neg)
                if len(others) < 9:
                    continue
            txt = F.normalize(model.text(encode_batch(tokenizer, [own] + others))["text_embeds"], dim=-1)
            per_level[LEVELS[level]][0] += int((img[n] @ txt.t()).argmax().item() == 0)
            per_level[LEVELS[level]][1] += 1
        hits = sum(h for h, _ in per_level.values())
        total = sum(t for _, t in per_level.values())
        results[kind] = {"top1": hits / total, "images": total,
                         "by_level": {lv: h / t for lv, (h, t) in per_level.items() if t}}
        log(kind, json.dumps(results[kind], ensure_ascii=False))
    with open(os.path.join(WORK, "clip-metrics.json"), "w") as f:
        json.dump(results, f, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main()
