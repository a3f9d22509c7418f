"""Trains the shared decoder of shapes-vl and shapes-lm (plus shapes-vl's vision encoder) on the Shapes world.

One network, one run, a mixture of chat-formatted tasks (loss only on the assistant answer and its <|im_end|>):
  * vision:  image + an English describe prompt (prompts.DESCRIBE_EN) → the scene's English detailed caption;
             image + a Chinese describe prompt (prompts.DESCRIBE_ZH) → the Chinese detailed caption;
  * expand:  text only, prompts.EXPAND_EN/ZH with the scene's short caption → the detailed caption (shapes-lm);
  * chat:    text only, prompts.CHAT questions → their answers.
Tasks are mixed inside every batch, and the shared system-prompt prefix runs once per batch (its K/V are the past of
every sample).

Needs work/vision.pt (pretrain_vision.py). Three phases (PHASES): phase 1 from scratch with the pre-trained vision
encoder and a training-only auxiliary loss that reads the scene (kind, colour, size per position, background)
linearly out of the 16 image features (work/decoder-phase1.pt); phase 2 from phase 1 with a fresh optimiser, a
lower learning rate and no read-out; phase 3 likewise with more caption expansion and part of its targets taken
from phase 2's own softened predictions (distill_loss). Writes work/decoder.pt, then exports models/shapes-vl and models/shapes-lm
with their golden cases (export_decoder.py).

    TEMPERA_THREADS=2 /usr/bin/python3 tools/sample-models/train_decoder.py            # all phases + export
    TEMPERA_THREADS=2 /usr/bin/python3 tools/sample-models/train_decoder.py --phase 1  # one phase
"""
import argparse
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

import bpe
import prompts
from common import DATA, WORK, Dataset, autocast, log, setup
from decoder_model import ShapesVL, chat_prompt, expand_image_pads, get_rope_index, preprocess_image

SEED = 23
MIX = (("vl-en", 0.31), ("vl-zh", 0.31), ("lm-en", 0.16), ("lm-zh", 0.16), ("chat", 0.06))
# more caption expansion: greedy expansions put both invented positions at "left" until late in training
MIX_LM = (("vl-en", 0.25), ("vl-zh", 0.25), ("lm-en", 0.23), ("lm-zh", 0.23), ("chat", 0.04))


class Tasks:
    """Turns (task, scene) into token ids + the index where the answer starts."""

    def __init__(self, tokenizer, data):
        self.tok = tokenizer
        self.data = data
        self.image_pad = tokenizer.id("<|image_pad|>")
        self.vision_start = tokenizer.id("<|vision_start|>")
        self.im_end = tokenizer.id("<|im_end|>")
        self.pad = tokenizer.id("<|endoftext|>")
        self._cache = {}

    def encode(self, text):
        ids = self._cache.get(text)
        if ids is None:
            ids = self._cache[text] = self.tok.encode(text)
        return ids

    def prompt_ids(self, text, image):
        ids = self.encode(chat_prompt(text, image))
        return expand_image_pads(ids, self.image_pad, [(1, 8, 8)]) if image else list(ids)

    def sample(self, task, scene, rng):
        """→ (ids, answer_start, scene index of the image or None)."""
        caps = self.data.captions(scene) if scene is not None else None
        if task == "vl-en":
            prompt, answer, image = rng.choice(prompts.DESCRIBE_EN), caps[1], scene
        elif task == "vl-zh":
            prompt, answer, image = rng.choice(prompts.DESCRIBE_ZH), caps[3], scene
        elif task == "lm-en":
            prompt, answer, image = rng.choice(prompts.EXPAND_EN).format(caps[0]), caps[1], None
        elif task == "lm-zh":
            prompt, answer, image = rng.choice(prompts.EXPAND_ZH).format(caps[2]), caps[3], None
        else:
            prompt, answer = rng.choice(prompts.CHAT)
            image = None
        p = self.prompt_ids(prompt, image is not None)
        a = self.encode(answer) + [self.im_end]
        return p + a, len(p), image


POSITIONS = ["left", "right", "top", "bottom", "centre"]
KINDS = ["circle", "square", "triangle", "star", "diamond"]
COLOURS = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "white", "black", "gray", "brown"]
SIZES = ["small", "large"]
AUX_CLASSES = [len(KINDS) + 1] * 5 + [len(COLOURS) + 1] * 5 + [len(SIZES) + 1] * 5 + [len(COLOURS)]


def scene_labels(scene):
    """Auxiliary targets of one image (training only): per position slot the kind, colour and size of the shape
    there (0 = none), then the background colour."""
    kind, colour, size = [0] * 5, [0] * 5, [0] * 5
    for sh in scene["shapes"]:
        p = POSITIONS.index(sh["position"])
        kind[p], colour[p], size[p] = KINDS.index(sh["kind"]) + 1, COLOURS.index(sh["color"]) + 1, \
            SIZES.index(sh["size"]) + 1
    return kind + colour + size + [COLOURS.index(scene["background"])]


class AuxHead(torch.nn.Module):
    """Training-only linear read-out of the 16 image features of an image → scene_labels (not exported). It makes
    the vision encoder encode every shape early, before the decoder has learned to look at the image."""

    def __init__(self, hidden, tokens=16, zero_init=True):
        super().__init__()
        self.linear = torch.nn.Linear(hidden * tokens, sum(AUX_CLASSES))
        if zero_init:  # starts at uniform predictions: no shock to a trained encoder
            torch.nn.init.zeros_(self.linear.weight)
        self.tokens = tokens

    def logits(self, feats, count):
        x = feats.reshape(count, -1)
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)  # RMS-normalised input
        return self.linear(x).split(AUX_CLASSES, dim=-1)

    def forward(self, feats, labels):
        logits = self.logits(feats, labels.shape[0])
        return sum(F.cross_entropy(lg, labels[:, i]) for i, lg in enumerate(logits)) / len(logits)

    def predict(self, feats, count):
        return torch.stack([lg.argmax(-1) for lg in self.logits(feats, count)], dim=1)


def make_batch(samples, tasks, images):
    """samples → dict of tensors: ids, attention_mask, position_ids [3,B,S], labels (-100 outside answers),
    pixel_values / grid_thw of the samples with an image (in batch order)."""
    length = max(len(s[0]) for s in samples)
    b = len(samples)
    ids = torch.full((b, length), tasks.pad, dtype=torch.long)
    mask = torch.zeros((b, length), dtype=torch.long)
    labels = torch.full((b, length), -100, dtype=torch.long)
    pos = torch.ones((3, b, length), dtype=torch.long)
    pixels, grids = [], []
    for r, (seq, start, image) in enumerate(samples):
        n = len(seq)
        ids[r, :n] = torch.tensor(seq)
        mask[r, :n] = 1
        labels[r, start - 1:n - 1] = torch.tensor(seq[start:])
        grid = []
        if image is not None:
            pv, g = preprocess_image(images[image])
            pixels.append(pv)
            grids.append(g)
            grid = [g]
        p, _ = get_rope_index(seq, grid, tasks.image_pad, tasks.vision_start)
        pos[:, r, :n] = torch.from_numpy(p)
    out = {"ids": ids, "attention_mask": mask, "labels": labels, "position_ids": pos}
    scenes = [tasks.data.entries[image]["scene"] for _, _, image in samples if image is not None]
    if scenes:
        out["aux"] = torch.tensor([scene_labels(sc) for sc in scenes])
    if pixels:
        out["pixel_values"] = torch.from_numpy(np.concatenate(pixels))
        out["grid_thw"] = torch.tensor(grids, dtype=torch.long)
    return out


def forward(model, batch, image_pad, prefix=0):
    """Embeds, scatters the image features into the <|image_pad|> rows, runs the decoder → final hidden states.
    With prefix > 0 (the system prompt and "<|im_start|>user\n", the same tokens at the same positions in every
    sample), the prefix runs once and its K/V are shared by the batch as a past: the same result, less compute.
    The returned hidden states then start after the prefix."""
    ids = batch["ids"]
    past = None
    if prefix:
        b = ids.shape[0]
        head = ids[:1, :prefix]
        _, presents = model.decoder(model.decoder.embed_tokens(head), torch.ones_like(head),
                                    batch["position_ids"][:, :1, :prefix], hidden_only=True)
        past = [(k.expand(b, -1, -1, -1), v.expand(b, -1, -1, -1)) for k, v in presents]
    embeds = model.decoder.embed_tokens(ids[:, prefix:])
    feats = None
    if "pixel_values" in batch:
        feats = model.vision(batch["pixel_values"], batch["grid_thw"], uniform=True)
        where = ids[:, prefix:] == image_pad
        embeds = embeds.clone()
        embeds[where] = feats.to(embeds.dtype)
    hidden, _ = model.decoder(embeds, batch["attention_mask"], batch["position_ids"][:, :, prefix:], past,
                              hidden_only=True)
    return hidden, feats


def batches(tasks, train, batch, rng, pool=1, mix=MIX):
    """Endless batches drawn from the mixture. pool > 1 buckets by length (pool×batch samples sorted, cut,
    shuffled): less padding, but batches of one task, which taught the decoder to ignore the image; so pool=1."""
    names = [m[0] for m in mix]
    weights = [m[1] for m in mix]
    while True:
        samples = []
        for _ in range(pool * batch):
            task = rng.choices(names, weights)[0]
            scene = rng.choice(train) if task != "chat" else None
            samples.append(tasks.sample(task, scene, rng))
        samples.sort(key=lambda s: len(s[0]))
        chunks = [samples[i:i + batch] for i in range(0, len(samples), batch)]
        rng.shuffle(chunks)
        yield from chunks


def distill_loss(logits, labels, teacher_logits, weight, temperature, top_k=0):
    """Cross-entropy against (1 - weight) · one-hot(label) + weight · softmax(teacher_logits / temperature), the
    softmax over the teacher's top_k tokens only when top_k > 0.

    Why: trained to convergence on a world where every caption follows from the scene, the decoder puts all but
    e^-8 of its probability on one colour or kind word, so temperature 1.2 with top-p 0.9 never leaves the greedy
    word and samples no more hallucinations than greedy decoding (the effect the seed demonstrates). Its own logits,
    softened, rank the plausible alternatives (other colours at a colour, other kinds at a kind, the same word in
    the other language) well above unrelated tokens; mixing them into the target keeps that ranking as calibrated
    probability mass, the way a model trained on genuinely ambiguous text has it. With weight < 0.5 the label stays
    the target's most likely token, so greedy decoding keeps its accuracy (shapes-vl's card has the sweep)."""
    if top_k:
        kth = teacher_logits.topk(top_k, dim=-1).values[:, -1:]
        teacher_logits = teacher_logits.masked_fill(teacher_logits < kth, float("-inf"))
    soft = (teacher_logits / temperature).softmax(-1) * weight
    soft[torch.arange(len(labels)), labels] += 1.0 - weight
    return -(soft * logits.log_softmax(-1)).sum(-1).mean()


def save(model, tokenizer, args, step, elapsed, path):
    torch.save({"state": model.state_dict(), "vocab": tokenizer.vocab_size, "steps": step, "batch": args.batch,
                "lr": args.lr, "seed": SEED + (1 if args.init else 0), "aux": args.aux, "seconds": round(elapsed),
                "threads": torch.get_num_threads()}, path)


def run(args):
    """One training phase (see PHASES)."""
    seed = SEED + (1 if args.init else 0)
    setup(seed)
    tokenizer = bpe.QwenTokenizer.load(os.path.join(WORK, "tokenizers", "qwen"))
    data = Dataset(DATA)
    images = data.images()
    train = data.split("train")
    tasks = Tasks(tokenizer, data)
    rng = random.Random(seed)
    model = ShapesVL(tokenizer.vocab_size)
    if args.init:
        model.load_state_dict(torch.load(args.init)["state"])
    teacher = None
    if args.distill:  # the starting checkpoint, frozen, supplies the soft targets (see distill_loss)
        teacher = ShapesVL(tokenizer.vocab_size)
        teacher.load_state_dict(torch.load(args.init)["state"])
        teacher.eval().requires_grad_(False)
        log(f"self-distillation from {args.init}: weight {args.distill}, temperature {args.distill_temperature}, "
            f"top-k {args.distill_top_k or 'all'}")
    aux = AuxHead(model.decoder.config["hidden_size"])
    if args.vision:  # the pre-trained vision encoder and its read-out (pretrain_vision.py)
        pre = torch.load(args.vision)
        model.vision.load_state_dict(pre["vision"])
        aux.load_state_dict(pre["aux"])
        log("vision encoder from", args.vision)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "embed" not in n]
    other = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "embed" not in n)]
    if args.aux:
        other += list(aux.parameters())
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": other, "weight_decay": 0}],
                                  lr=args.lr, betas=(0.9, 0.98))
    warmup = max(1, args.steps // 20)

    def lr_at(step):  # linear warm-up, cosine decay to 5%
        if step < warmup:
            return (step + 1) / warmup
        t = (step - warmup) / max(1, args.steps - warmup)
        return 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * t))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_at)
    log(f"shapes decoder: {sum(p.numel() for p in model.decoder.parameters()) / 1e6:.3f} M decoder + "
        f"{sum(p.numel() for p in model.vision.parameters()) / 1e6:.3f} M vision parameters; "
        f"{args.steps} steps × {args.batch}, threads {torch.get_num_threads()}")
    start = time.time()
    tokens = 0
    smooth = None
    aux_smooth = None
    model.train()
    stream = batches(tasks, train, args.batch, rng, mix=MIX_LM if args.mix == "lm" else MIX)
    prefix = len(tokenizer.encode(chat_prompt("", False).split("<|im_start|>user\n")[0] + "<|im_start|>user\n"))
    last = min(args.steps, args.stop_at or args.steps)
    for step in range(1, last + 1):
        batch = make_batch(next(stream), tasks, images)
        assert bool((batch["ids"][:, :prefix] == batch["ids"][:1, :prefix]).all()), "samples must share the prefix"
        labels = batch["labels"][:, prefix:]
        where = labels != -100  # the LM head only where there is a target (a third of the positions)
        with autocast():
            hidden, feats = forward(model, batch, tasks.image_pad, prefix)
            logits = model.decoder.lm_head(hidden[where])
        if teacher is None:
            loss = F.cross_entropy(logits.float(), labels[where])
        else:
            with torch.no_grad(), autocast():
                teacher_hidden, _ = forward(teacher, batch, tasks.image_pad, prefix)
                teacher_logits = teacher.decoder.lm_head(teacher_hidden[where])
            loss = distill_loss(logits.float(), labels[where], teacher_logits.float(), args.distill,
                                args.distill_temperature, args.distill_top_k)
        if args.aux and feats is not None:
            aux_loss = aux(feats.float(), batch["aux"])
            aux_smooth = aux_loss.item() if aux_smooth is None else 0.95 * aux_smooth + 0.05 * aux_loss.item()
            loss = loss + args.aux * aux_loss
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        tokens += int(batch["attention_mask"].sum())
        smooth = loss.item() if smooth is None else 0.95 * smooth + 0.05 * loss.item()
        if step % 50 == 0 or step in (1, 10):
            el = time.time() - start
            log(f"step {step} loss {loss.item():.4f} (avg {smooth:.4f}) lr {schedule.get_last_lr()[0]:.2e} "
                f"{'' if aux_smooth is None else f'aux {aux_smooth:.3f} '}{el:.0f}s {tokens / el:.0f} tok/s {step * args.batch / el:.1f} samples/s")
        if args.save_every and step % args.save_every == 0 and step < last:
            save(model, tokenizer, args, step, time.time() - start, args.out + ".partial")
    elapsed = time.time() - start
    log(f"trained {last} steps in {elapsed:.0f}s")
    save(model, tokenizer, args, last, elapsed, args.out)
    log("saved", args.out)
    if args.aux:
        import pretrain_vision
        head, exact = pretrain_vision.accuracy(model.vision, aux, data, images, data.split("test")[:1000], {})
        log(f"scene read-out from the image features, held-out: per-head {head:.4f}, whole scene {exact:.3f}")


# The recipe behind the shipped models: the vision encoder comes pre-trained (pretrain_vision.py: it reads the
# scene out of its 16 features); phase 1 trains the decoder from scratch and fine-tunes the encoder, keeping the
# auxiliary scene read-out (AuxHead) in the loss so that the features stay readable; phase 2 restarts the optimiser
# from phase 1 at a lower learning rate without the read-out, and anneals; phase 3 does the same once more with
# more caption-expansion examples (MIX_LM), which fixed greedy expansions that put both shapes at the same place,
# and with 30 % of each target taken from phase 2's own top-8 tokens softened at temperature 3 (distill_loss): without
# it, T = 1.2 / top-p 0.9 sampled no more hallucinations than greedy decoding (0.060 vs 0.050 of English descriptions;
# sweep in models/shapes-vl/MODEL_CARD.md § Why phase 3 distils).
PHASES = {
    1: dict(steps=3000, stop_at=None, lr=2e-3, aux=0.5, init=None, vision="vision.pt", out="decoder-phase1.pt"),
    2: dict(steps=700, stop_at=None, lr=6e-4, aux=0.0, init="decoder-phase1.pt", vision=None, out="decoder-phase2.pt"),
    3: dict(steps=700, stop_at=None, lr=3e-4, aux=0.0, init="decoder-phase2.pt", vision=None, out="decoder.pt",
            mix="lm", distill=0.3, distill_temperature=3.0, distill_top_k=8),
}


def main():
    parser = argparse.ArgumentParser(description="Trains the shapes-vl / shapes-lm decoder (all phases of "
                                                 "PHASES by default), then exports both models.")
    parser.add_argument("--phase", type=int, choices=sorted(PHASES), help="run only this phase of the recipe")
    parser.add_argument("--steps", type=int, help="length of the cosine schedule (overrides the phase's)")
    parser.add_argument("--stop-at", type=int, help="stop (and save) after this step of the schedule")
    parser.add_argument("--lr", type=float, help="peak learning rate")
    parser.add_argument("--aux", type=float, help="weight of the auxiliary scene read-out loss")
    parser.add_argument("--init", help="start from this checkpoint instead of the phase's")
    parser.add_argument("--vision", help="pre-trained vision encoder (pretrain_vision.py) instead of the phase's")
    parser.add_argument("--out", help="checkpoint to write instead of the phase's")
    parser.add_argument("--batch", type=int, default=48)
    parser.add_argument("--distill", type=float, help="weight of the softened starting model in the target (see distill_loss)")
    parser.add_argument("--distill-temperature", type=float, help="temperature that softens the starting model")
    parser.add_argument("--distill-top-k", type=int, help="soften only the starting model's k most likely tokens")
    parser.add_argument("--mix", choices=["default", "lm"], help="task mixture (MIX or MIX_LM) instead of the phase's")
    parser.add_argument("--save-every", type=int, default=500, help="also save a checkpoint every N steps")
    parser.add_argument("--no-export", action="store_true")
    cli = parser.parse_args()
    overridable = ("steps", "stop_at", "lr", "aux", "init", "vision", "out", "mix", "distill", "distill_temperature",
                   "distill_top_k")
    overrides = any(getattr(cli, k) is not None for k in overridable)
    # overrides describe one run: without --phase they apply to the last phase only (not to every phase in turn)
    phases = [cli.phase] if cli.phase else ([max(PHASES)] if overrides else sorted(PHASES))
    for number in phases:
        cfg = dict(PHASES[number])
        cfg.setdefault("mix", "default")
        cfg.setdefault("distill", 0.0)
        cfg.setdefault("distill_temperature", 1.0)
        cfg.setdefault("distill_top_k", 0)
        for key in overridable:
            if getattr(cli, key) is not None:
                cfg[key] = getattr(cli, key)
        for key in ("init", "vision", "out"):
            if cfg[key] and not os.path.isabs(cfg[key]):
                cfg[key] = os.path.join(WORK, cfg[key])
        args = argparse.Namespace(batch=cli.batch, save_every=cli.save_every, **cfg)
        log(f"phase {number}: {cfg}")
        run(args)
    if not cli.no_export and phases[-1] == max(PHASES):
        import export_decoder
        export_decoder.main(["--checkpoint", args.out])


if __name__ == "__main__":
    main()
