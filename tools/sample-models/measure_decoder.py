"""Measures shapes-vl and shapes-lm with a KV-cached generation loop over the same torch modules that were exported
(decoder forward with past K/V in and present K/V out, exactly as decoder_model_merged.onnx / model.onnx).

  1. shapes-vl: held-out (test split) images, half asked in English (prompts.DESCRIBE_EN, in turn), half in
     Chinese (prompts.DESCRIBE_ZH), greedy and at temperature 1.2 with top-p 0.9 (seeded) → groups
     vl-en-greedy, vl-zh-greedy, vl-en-t1.2, vl-zh-t1.2, scored against the true scene.
  2. shapes-lm: EXPAND instructions around held-out short captions (half English, half Chinese) → groups
     lm-greedy (and lm-t1.2): does the text state a complete valid scene; plus here, whether its shapes'
     kinds and colours are the short caption's ("consistent").

Writes work/measure/items.jsonl (for `./tempera shapes score --in ... --json`), work/measure/samples.json, and runs
the scorer when --score is given (default), printing one JSON summary.

    /usr/bin/python3 tools/sample-models/measure_decoder.py [--images 400] [--captions 300]
"""
import argparse
import json
import os
import subprocess
import time

import torch

import bpe
import prompts
from common import DATA, ROOT, WORK, Dataset, log, save_json, setup
from consistency import kind_colour_pairs
from decoder_model import chat_prompt, expand_image_pads, get_rope_index, preprocess_image
from export_decoder import load

OUT = os.path.join(WORK, "measure")


class Generator:
    """Batched, KV-cached generation: left padding, M-RoPE positions from get_rope_index, decode positions
    cache_len + rope_delta, stop at <|im_end|> / <|endoftext|>."""

    def __init__(self, model, tok):
        self.model = model
        self.dec = model.decoder
        self.tok = tok
        self.image_pad = tok.id("<|image_pad|>")
        self.vision_start = tok.id("<|vision_start|>")
        self.pad = tok.id("<|endoftext|>")
        self.eos = {tok.id("<|im_end|>"), tok.id("<|endoftext|>")}

    @torch.no_grad()
    def generate(self, texts, images=None, temperature=0.0, top_p=1.0, seed=0, max_new=64):
        """texts: user prompts; images: list of uint8 HWC arrays (or None) → decoded answers."""
        images = images or [None] * len(texts)
        rows, grids, pixels = [], [], []
        for text, image in zip(texts, images):
            ids = self.tok.encode(chat_prompt(text, image is not None))
            if image is not None:
                pv, g = preprocess_image(image)
                pixels.append(torch.from_numpy(pv))
                grids.append(g)
                ids = expand_image_pads(ids, self.image_pad, [g])
            rows.append(ids)
        n = max(len(r) for r in rows)
        b = len(rows)
        ids = torch.tensor([[self.pad] * (n - len(r)) + r for r in rows])
        mask = torch.tensor([[0] * (n - len(r)) + [1] * len(r) for r in rows])
        pos, deltas, k = [], [], 0
        for r, m, image in zip(ids.tolist(), mask.tolist(), images):
            grid = [grids[k]] if image is not None else []
            k += image is not None
            p, d = get_rope_index(r, grid, self.image_pad, self.vision_start, m)
            pos.append(torch.from_numpy(p))
            deltas.append(d)
        pos = torch.stack(pos, dim=1)
        deltas = torch.tensor(deltas)
        emb = self.dec.embed_tokens(ids)
        if pixels:
            feats = self.model.vision(torch.cat(pixels), torch.tensor(grids))
            emb[ids == self.image_pad] = feats
        c = self.dec.config
        past = [(torch.zeros(b, c["num_key_value_heads"], 0, c["head_dim"]),) * 2 for _ in range(c["num_hidden_layers"])]
        gen = torch.Generator().manual_seed(seed)
        out = [[] for _ in range(b)]
        done = torch.zeros(b, dtype=torch.bool)
        for step in range(max_new):
            logits, past = self.dec(emb, mask, pos, past)
            nxt = self.pick(logits[:, -1], temperature, top_p, gen)
            for i in range(b):
                if not done[i]:
                    if int(nxt[i]) in self.eos:
                        done[i] = True
                    else:
                        out[i].append(int(nxt[i]))
            if bool(done.all()):
                break
            cache = mask.shape[1]
            mask = torch.cat([mask, torch.ones(b, 1, dtype=torch.long)], dim=1)
            pos = (cache + deltas).view(1, b, 1).expand(3, b, 1)
            emb = self.dec.embed_tokens(nxt.view(b, 1))
        return [self.tok.decode(o) for o in out]

    @staticmethod
    def pick(logits, temperature, top_p, gen):
        if temperature <= 0:
            return logits.argmax(-1)
        probs = (logits / temperature).softmax(-1)
        sorted_p, order = probs.sort(-1, descending=True)
        cum = sorted_p.cumsum(-1)
        keep = (cum - sorted_p) < top_p  # the smallest prefix whose mass reaches top_p (at least one token)
        sorted_p = sorted_p * keep
        choice = torch.multinomial(sorted_p / sorted_p.sum(-1, keepdim=True), 1, generator=gen)
        return order.gather(-1, choice).squeeze(-1)


def batched(items, size):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", default=os.path.join(WORK, "decoder.pt"))
    parser.add_argument("--images", type=int, default=400)
    parser.add_argument("--captions", type=int, default=300)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--no-score", action="store_true")
    args = parser.parse_args()
    setup(31)
    start = time.time()
    tok = bpe.QwenTokenizer.load(os.path.join(WORK, "tokenizers", "qwen"))
    data = Dataset(DATA)
    images = data.images()
    model, _ = load(args.checkpoint)
    gen = Generator(model, tok)
    test = data.split("test")
    os.makedirs(OUT, exist_ok=True)
    items, samples = [], {}
    # 1. shapes-vl: image i is asked in English when i is even, in Chinese when odd; prompts in turn
    chosen = test[:args.images]
    asks = []
    for n, i in enumerate(chosen):
        lang = "en" if n % 2 == 0 else "zh"
        plist = prompts.DESCRIBE_EN if lang == "en" else prompts.DESCRIBE_ZH
        asks.append((i, lang, plist[(n // 2) % len(plist)]))
    asks.sort(key=lambda a: (a[1], a[2]))  # same prompt → same length → no padding inside most batches
    for mode, temperature, top_p in (("greedy", 0.0, 1.0), ("t1.2", 1.2, 0.9)):
        for k, chunk in enumerate(batched(asks, args.batch)):
            texts = gen.generate([a[2] for a in chunk], [images[a[0]] for a in chunk], temperature, top_p,
                                 seed=1000 + k)
            for (i, lang, prompt), text in zip(chunk, texts):
                items.append({"group": f"vl-{lang}-{mode}", "text": text, "scene": data.entries[i]["scene"],
                              "index": i, "prompt": prompt})
        log(f"shapes-vl {mode}: {len(asks)} descriptions")
    # 2. shapes-lm: short caption of test scene j, English when even, Chinese when odd
    lm = []
    for n, i in enumerate(test[:args.captions]):
        caps = data.captions(i)
        if n % 2 == 0:
            lm.append((i, "en", caps[0], prompts.EXPAND_EN[(n // 2) % len(prompts.EXPAND_EN)].format(caps[0])))
        else:
            lm.append((i, "zh", caps[2], prompts.EXPAND_ZH[(n // 2) % len(prompts.EXPAND_ZH)].format(caps[2])))
    consistent = {}
    for mode, temperature, top_p in (("greedy", 0.0, 1.0), ("t1.2", 1.2, 0.9)):
        hits = 0
        for k, chunk in enumerate(batched(lm, args.batch)):
            texts = gen.generate([a[3] for a in chunk], None, temperature, top_p, seed=2000 + k)
            for (i, lang, short, prompt), text in zip(chunk, texts):
                ok = kind_colour_pairs(text) == kind_colour_pairs(short)
                hits += ok
                items.append({"group": f"lm-{mode}", "text": text, "index": i, "prompt": prompt,
                              "consistent": ok})
        consistent[f"lm-{mode}"] = hits / len(lm)
        log(f"shapes-lm {mode}: {len(lm)} descriptions, consistent with the short caption {hits / len(lm):.3f}")
    # 3. chat answers (greedy), for the model card
    chat = [q for q, _ in prompts.CHAT]
    samples["chat"] = dict(zip(chat, gen.generate(chat)))
    path = os.path.join(OUT, "items.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    for group in sorted({it["group"] for it in items}):
        samples[group] = [{k: it[k] for k in ("prompt", "text", "index")} for it in items if it["group"] == group][:4]
    result = {"seconds": round(time.time() - start), "consistent": consistent,
              "chat_exact": sum(samples["chat"][q] == a for q, a in prompts.CHAT) / len(prompts.CHAT)}
    if not args.no_score:
        proc = subprocess.run([os.path.join(ROOT, "tempera"), "shapes", "score", "--in", path, "--json",
                               "--out", os.path.join(OUT, "scored.jsonl")],
                              capture_output=True, text=True, cwd=ROOT)
        if proc.returncode == 0:
            result["score"] = json.loads(proc.stdout)
        else:
            result["score_error"] = proc.stderr[-2000:]
    save_json(os.path.join(OUT, "samples.json"), samples)
    save_json(os.path.join(OUT, "result.json"), result)
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
