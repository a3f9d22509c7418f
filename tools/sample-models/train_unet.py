"""Builds the denoiser of shapes-sd or shapes-sdxl and writes the whole model folder in optimum's ONNX layout.

  /usr/bin/python3 train_unet.py sd     # → work/unet-sd.pt,   models/shapes-sd/
  /usr/bin/python3 train_unet.py sdxl   # → work/unet-sdxl.pt, models/shapes-sdxl/
  /usr/bin/python3 train_unet.py sdxl --export-only

Needs work/clip.pt (train_clip.py: the frozen text towers), work/vae.pt (train_vae.py) and the Tempera CLI (the
Shapes checker picks the memory). The denoiser is memory_denoiser.MemoryDenoiser (its docstring says why):

1. the memory: for each (kind, colour) combination of the training split, up to --per-combo scenes whose latents
   (scaling_factor × the VAE's latent mean, int8-quantised) decode into an image the checker reads as exactly that
   scene (the first training scene of the combination when none does);
2. the relevance head (memory_denoiser.Relevance): trained on the four captions (en/zh × short/detailed) of the
   first --scenes training scenes to predict the scene's attributes — binary cross-entropy on "(kind, colour) pair
   present / present twice" and cross-entropy on the background (detailed captions name it; for short ones the
   target is the training distribution of backgrounds); --drop of the captions are replaced by the unconditional
   input (SD: the encoding of "", what StableDiffusionPipeline feeds; SDXL: zeros, force_zeros_for_empty_prompt)
   and, like texts that name no shape (the negative prompts among them), trained towards the training distribution
   of every attribute, so that classifier-free guidance has an unconditional prior to extrapolate from.

Conditioning, as diffusers does it:
* sd:   encoder_hidden_states = text_encoder(ids).last_hidden_state                       [B, 77, 96]
* sdxl: encoder_hidden_states = concat(text_encoder(ids).hidden_states[-2],
                                       text_encoder_2(ids_2).hidden_states[-2])             [B, 77, 192]
        text_embeds = text_encoder_2(ids_2).text_embeds                                      [B, 128]
        time_ids = (64, 64, 0, 0, 64, 64)                                                    [B, 6]
"""
import argparse
import collections
import json
import math
import os
import shutil
import time

import torch
from PIL import Image

import bpe
from clip_model import TextTower
from common import DATA, GOLDEN, MODELS, WORK, Dataset, autocast, log, save_json, setup, to_unit_range
from export import export, golden
from prompts import DESCRIBE_EN, DESCRIBE_ZH, NEGATIVE_PROMPTS
from schedulers import alphas_cumprod, to_uint8
from memory_denoiser import MemoryDenoiser, dequantise, quantise
from unet_model import SdUnet, SdxlUnet, sdxl_added
from vae_model import CellVae, Vae

ADD_TIME_DIM = 32          # SDXL: addition_time_embed_dim (256 in the real one)
TIME_IDS = (64.0, 64.0, 0.0, 0.0, 64.0, 64.0)
DIFFUSERS_VERSION = "0.30.0"

KINDS = {
    "sd": {"folder": "shapes-sd", "seed": 31, "steps": 3000},
    "sdxl": {"folder": "shapes-sdxl", "seed": 41, "steps": 3000},
}


# ---------------------------------------------------------------------------------------------------------------
# frozen parts


def load_tower(state, prefix, vocab):
    width = state[prefix + "position"].shape[1]
    layers = len({k.split(".")[len(prefix.split("."))] for k in state if k.startswith(prefix + "blocks.")})
    projection = state[prefix + "projection.weight"].shape[0]
    tower = TextTower(vocab, width, layers, 4, projection)
    tower.load_state_dict({k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)})
    return tower.eval()


def load_frozen():
    """(tokenizer, tokenizer_2, tower A, tower B, vae, scaling_factor)."""
    tok = bpe.ClipTokenizer.load(os.path.join(WORK, "tokenizers", "clip"))
    tok2 = bpe.ClipTokenizer(tok.merges, pad_token="!")
    ckpt = torch.load(os.path.join(WORK, "clip.pt"))
    tower_a = load_tower(ckpt["state"], "text.", ckpt["vocab"])
    tower_b = load_tower(ckpt["state"], "text_b.", ckpt["vocab"])
    v = torch.load(os.environ.get("TEMPERA_VAE", os.path.join(WORK, "vae.pt")))
    vae = CellVae() if v.get("arch") == "cell" else Vae()
    vae.load_state_dict(v["state"])
    for m in (tower_a, tower_b, vae):
        m.eval()
        for p in m.parameters():
            p.requires_grad_(False)
    return tok, tok2, tower_a, tower_b, vae.eval(), float(v["scaling_factor"])


@torch.no_grad()
def encode_prompts(kind, frozen, texts):
    """Conditioning tensors for a list of prompts: sd → (ehs,), sdxl → (ehs, text_embeds)."""
    tok, tok2, tower_a, tower_b = frozen[:4]
    ids = torch.tensor([tok(t) for t in texts])
    a = tower_a(ids)
    if kind == "sd":
        return (a["last_hidden_state"],)
    b = tower_b(torch.tensor([tok2(t) for t in texts]))
    return (torch.cat([a["hidden_states"][-2], b["hidden_states"][-2]], dim=-1), b["text_embeds"])


def unconditional(kind, frozen, n):
    """What the pipelines feed as the negative side without a negative prompt."""
    if kind == "sd":
        return tuple(x.expand(n, -1, -1) for x in encode_prompts(kind, frozen, [""]))
    ehs, pooled = encode_prompts(kind, frozen, ["x"])
    return (torch.zeros(n, *ehs.shape[1:]), torch.zeros(n, pooled.shape[1]))


def make_denoiser(kind, frozen, latents, table, binary, prior_scale=1.0):
    tower_a, tower_b = frozen[2], frozen[3]
    if kind == "sd":
        return MemoryDenoiser(latents, table, binary, alphas_cumprod(), tower_a.width, prior_scale=prior_scale)
    return MemoryDenoiser(latents, table, binary, alphas_cumprod(), tower_a.width + tower_b.width,
                          pooled_dim=tower_b.projection.out_features, prior_scale=prior_scale)


def head_state(state):
    """The relevance head's learned weights out of a denoiser state (not the memory-derived buffers)."""
    return {k[len("relevance."):]: v for k, v in state.items()
            if k.startswith("relevance.") and k not in ("relevance.table", "relevance.entries")}


def load_denoiser(kind, frozen, ckpt, prior_scale=None):
    state = ckpt["state"]
    items = state["codes"].shape[0]
    scale = ckpt.get("prior_scale", 1.0) if prior_scale is None else prior_scale
    core = make_denoiser(kind, frozen, torch.zeros(items, 4, 8, 8), torch.zeros(items, ckpt["attributes"]),
                         ckpt["binary"], scale)
    core.load_state_dict(state)
    return core.eval()


def unet_forward(kind, core, sample, t, conds):
    """The exported graph's computation, on a batch: t is a float tensor [B] (or a scalar)."""
    t = torch.as_tensor(t, dtype=torch.float32).reshape(-1).expand(sample.shape[0])
    if kind == "sd":
        return core(sample, t.long().float(), conds[0])  # the SD graph takes an int64 timestep
    return core(sample, t, conds[0], added_of(kind, conds))


# ---------------------------------------------------------------------------------------------------------------
# the memory


def combo(scene):
    """What a short caption fixes: the multiset of (kind, colour)."""
    return tuple(sorted((s["kind"], s["color"]) for s in scene["shapes"]))


@torch.no_grad()
def encode_latents(frozen, images):
    vae, sf = frozen[4], frozen[5]
    return torch.cat([vae.encoder(to_unit_range(images[k:k + 500]))[:, :4] for k in range(0, len(images), 500)]) * sf


def choose_memory(frozen, data, per_combo, candidates):
    """Up to per_combo training scenes per combo, among the first `candidates` of each, preferring those whose
    latents (after int8 quantisation) the VAE decodes into an image the Shapes checker reads as exactly the scene,
    and among those, distinct backgrounds. Returns (scene indices, latents).

    Both models share one memory; it is kept in work/memory.pt, keyed by per_combo and the VAE checkpoint."""
    cache_path = os.path.join(WORK, "memory.pt")
    vae_path = os.environ.get("TEMPERA_VAE", os.path.join(WORK, "vae.pt"))
    key = {"per_combo": per_combo, "candidates": candidates, "vae_mtime": os.path.getmtime(vae_path)}
    if os.path.exists(cache_path):
        cached = torch.load(cache_path)
        if cached["key"] == key:
            log(f"memory: {len(cached['scenes'])} scenes from {os.path.relpath(cache_path, WORK)}")
            return cached["scenes"], cached["latents"]
    from measure_diffusion import same_scene, score, write_items
    by_combo = {}
    for i in data.split("train"):
        lst = by_combo.setdefault(combo(data.entries[i]["scene"]), [])
        if len(lst) < candidates:
            lst.append(i)
    pool = sorted(i for lst in by_combo.values() for i in lst)
    lat = encode_latents(frozen, data.images()[pool])
    lat = dequantise(*quantise(lat))
    out = os.path.join(WORK, "memory-check")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    items = []
    with torch.no_grad():
        for k in range(0, len(pool), 500):
            imgs = to_uint8(frozen[4].decoder(lat[k:k + 500] / frozen[5]))
            for i, img in zip(pool[k:k + 500], imgs):
                path = os.path.join(out, f"{i:06d}.png")
                Image.fromarray(img).save(path)
                items.append({"image": path, "prompt": data.entries[i]["captions"]["en"]["detailed"],
                              "group": "memory", "index": i})
    write_items(os.path.join(out, "items.jsonl"), items)
    results_path = os.path.join(out, "results.jsonl")
    if score(os.path.join(out, "items.jsonl"), results_path) is None:
        raise SystemExit("the Shapes checker failed; build the CLI first (./mvnw -q install -DskipTests)")
    with open(results_path, encoding="utf-8") as f:
        exact = {r["index"] for r in map(json.loads, f) if same_scene(r.get("recognised"),
                                                                       data.entries[r["index"]]["scene"])}
    chosen = []
    for lst in by_combo.values():
        good = [i for i in lst if i in exact]
        picked, backgrounds = [], set()
        for i in good:  # distinct backgrounds first: a prompt that names one then more often has its scene
            if len(picked) < per_combo and data.entries[i]["scene"]["background"] not in backgrounds:
                picked.append(i)
                backgrounds.add(data.entries[i]["scene"]["background"])
        picked += [i for i in good if i not in picked][:per_combo - len(picked)]
        chosen += picked or lst[:1]
    chosen.sort()
    where = {i: n for n, i in enumerate(pool)}
    log(f"memory: {len(chosen)} scenes for {len(by_combo)} combos; {len(exact)} of {len(pool)} candidates decode "
        f"exactly; {sum(1 for lst in by_combo.values() if not any(i in exact for i in lst))} combos without one")
    chosen_latents = lat[[where[i] for i in chosen]]
    torch.save({"key": key, "scenes": chosen, "latents": chosen_latents}, cache_path)
    return chosen, chosen_latents


# ---------------------------------------------------------------------------------------------------------------
# training the relevance head


class Attributes:
    """The attributes the relevance head predicts, as vectors: for each (kind, colour) pair "present" and "present
    twice" (binary), then the background colour (categorical)."""

    def __init__(self, data):
        scenes = [e["scene"] for e in data.entries]
        self.pairs = sorted({(s["kind"], s["color"]) for sc in scenes for s in sc["shapes"]})
        self.backgrounds = sorted({sc["background"] for sc in scenes})
        self.binary = 2 * len(self.pairs)
        self.size = self.binary + len(self.backgrounds)
        self.where = {p: n for n, p in enumerate(self.pairs)}

    def pair_vector(self, scene):
        v = torch.zeros(self.binary)
        for p, count in collections.Counter((s["kind"], s["color"]) for s in scene["shapes"]).items():
            v[self.where[p]] = 1
            if count > 1:
                v[len(self.pairs) + self.where[p]] = 1
        return v

    def background_vector(self, scene):
        v = torch.zeros(len(self.backgrounds))
        v[self.backgrounds.index(scene["background"])] = 1
        return v

    def row(self, scene):
        return torch.cat([self.pair_vector(scene), self.background_vector(scene)])


def names_background(text):
    return "background" in text or "背景" in text


def caption_targets(data, attrs, scenes):
    """(texts, pair targets [N, binary], background targets [N, backgrounds]) for the four captions of each scene.
    Detailed captions and a quarter of the short ones name the background; for the others its target is the
    training distribution of backgrounds."""
    bg_prior = torch.stack([attrs.background_vector(data.entries[i]["scene"]) for i in scenes]).mean(0)
    texts, pairs, backgrounds = [], [], []
    for i in scenes:
        scene = data.entries[i]["scene"]
        c = data.entries[i]["captions"]
        pv, bv = attrs.pair_vector(scene), attrs.background_vector(scene)
        for text in (c["en"]["short"], c["en"]["detailed"], c["zh"]["short"], c["zh"]["detailed"]):
            texts.append(text)
            pairs.append(pv)
            backgrounds.append(bv if names_background(text) else bg_prior)
    return texts, torch.stack(pairs), torch.stack(backgrounds)


# Texts that name no shape: their target is the flat prior, like the empty prompt's.
NEUTRAL = NEGATIVE_PROMPTS + ["", "blurry", "low quality", "distorted", "a picture", "an image", "a scene",
                              "high quality, detailed", "模糊", "低质量", "一张图片"] + DESCRIBE_EN + DESCRIBE_ZH


def encode_ids(kind, frozen, ids, ids_2, drop):
    """encode_prompts on token ids, with gradients into the towers; rows where `drop` is set get the unconditional
    input (SD: the encoding of "", SDXL: zeros)."""
    tok, _, tower_a, tower_b = frozen[:4]
    if kind == "sd":
        empty = torch.tensor([tok("")]).expand_as(ids)
        return (tower_a(torch.where(drop[:, None], empty, ids))["last_hidden_state"],)
    a, b = tower_a(ids), tower_b(ids_2)
    keep = (~drop).float()
    ehs = torch.cat([a["hidden_states"][-2], b["hidden_states"][-2]], dim=-1) * keep[:, None, None]
    return ehs, b["text_embeds"] * keep[:, None]


def restore_text(frozen, ckpt):
    """Put the text towers trained with the relevance head (train_unet.py) in place of shapes-clip's."""
    if "text_state" in ckpt:
        frozen[2].load_state_dict(ckpt["text_state"])
    if "text_state_2" in ckpt:
        frozen[3].load_state_dict(ckpt["text_state_2"])


def added_of(kind, conds):
    if kind == "sd":
        return None
    time_ids = torch.tensor([TIME_IDS]).expand(conds[1].shape[0], -1)
    return sdxl_added(conds[1], time_ids, ADD_TIME_DIM)


@torch.no_grad()
def retrieval_accuracy(kind, frozen, core, data, memory_scenes, language, count=300):
    """On distinct short test captions: how often the most probable memory scene has the caption's combo, and the
    mean prior mass on such scenes."""
    seen, texts, combos = set(), [], []
    for i in data.split("test"):
        c = data.entries[i]["captions"][language]["short"]
        if c not in seen:
            seen.add(c)
            texts.append(c)
            combos.append(combo(data.entries[i]["scene"]))
        if len(texts) == count:
            break
    conds = encode_prompts(kind, frozen, texts)
    prior = core.log_prior(conds[0], added_of(kind, conds)).exp()
    mem = [combo(data.entries[i]["scene"]) for i in memory_scenes]
    top = prior.argmax(-1).tolist()
    right = [[m == c for m in mem] for c in combos]
    top1 = sum(r[k] for r, k in zip(right, top)) / len(texts)
    mass = float((prior * torch.tensor(right, dtype=torch.float32)).sum(-1).mean())
    return top1, mass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("--steps", type=int, default=None, help="default: 3000 (bfloat16 makes a step ~0.12 s (sd) / ~0.25 s (sdxl) here)")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--drop", type=float, default=0.1, help="caption dropout: the unconditional input, flat target")
    parser.add_argument("--per-combo", type=int, default=6,
                        help="memory scenes per (kind, colour) combination (6 keeps all models under 40 MB)")
    parser.add_argument("--scenes", type=int, default=8000, help="training scenes whose captions train the head")
    parser.add_argument("--prior-scale", type=float, default=0.3,
                        help="text-prior scale of the exported denoiser (memory_denoiser.MemoryDenoiser): below 1 the "
                             "unguided model follows the prompt loosely and guidance sharpens it; at 1 guidance 1 and "
                             "7.5 give the same share of right images")
    parser.add_argument("--export-only", action="store_true")
    parser.add_argument("--resume", action="store_true",
                        help="start from work/unet-<kind>.pt's head and towers and train --steps more")
    args = parser.parse_args()
    kind = args.kind
    seed = KINDS[kind]["seed"]
    args.steps = args.steps or KINDS[kind]["steps"]
    setup(seed)
    frozen = load_frozen()
    ckpt_path = os.path.join(WORK, f"unet-{kind}.pt")
    if args.export_only:  # the memory is rebuilt (the head predicts attributes and does not depend on it)
        ckpt = torch.load(ckpt_path)
        restore_text(frozen, ckpt)
        data = Dataset(DATA)
        attrs = Attributes(data)
        memory_scenes, latents = choose_memory(frozen, data, args.per_combo, candidates=16)
        table = torch.stack([attrs.row(data.entries[i]["scene"]) for i in memory_scenes])
        core = make_denoiser(kind, frozen, latents, table, attrs.binary, args.prior_scale)
        core.relevance.load_state_dict(head_state(ckpt["state"]), strict=False)
        core.eval()
        report = {language: dict(zip(("top1", "mass"), retrieval_accuracy(kind, frozen, core, data, memory_scenes,
                                                                          language))) for language in ("en", "zh")}
        log(f"{kind} retrieval on test short captions: {report}")
        ckpt.update(state=core.state_dict(), memory_scenes=memory_scenes, binary=attrs.binary, attributes=attrs.size,
                    prior_scale=args.prior_scale,
                    retrieval=report)
        torch.save(ckpt, ckpt_path)
        write_model(kind, frozen, core.eval(), ckpt)
        return
    start = time.time()
    data = Dataset(DATA)
    attrs = Attributes(data)
    memory_scenes, latents = choose_memory(frozen, data, args.per_combo, candidates=16)
    table = torch.stack([attrs.row(data.entries[i]["scene"]) for i in memory_scenes])
    core = make_denoiser(kind, frozen, latents, table, attrs.binary, args.prior_scale)
    texts, pair_t, bg_t = caption_targets(data, attrs, data.split("train")[:args.scenes])
    # the unconditional input and texts that name no shape: the training distribution of every attribute
    prior_pairs, prior_bg = pair_t.mean(0), bg_t.mean(0)
    texts += NEUTRAL
    pair_t = torch.cat([pair_t, prior_pairs.expand(len(NEUTRAL), -1)])
    bg_t = torch.cat([bg_t, prior_bg.expand(len(NEUTRAL), -1)])
    ids_all = torch.tensor([frozen[0](x) for x in texts])
    ids_all_2 = torch.tensor([frozen[1](x) for x in texts]) if kind == "sdxl" else ids_all
    towers = [frozen[2]] if kind == "sd" else [frozen[2], frozen[3]]
    for tower in towers:  # the contrastive towers do not bind colour words to shape words: train them too
        tower.train()
        for p in tower.parameters():
            p.requires_grad_(True)
    neutral = torch.arange(len(texts) - len(NEUTRAL), len(texts))
    log(f"{kind}: {core.items} memory scenes, {len(texts)} captions encoded in {time.time() - start:.0f} s")
    head = core.relevance
    done = 0
    if args.resume:  # more steps on a finished run (fresh warmup + cosine)
        previous = torch.load(ckpt_path)
        restore_text(frozen, previous)
        head.load_state_dict(head_state(previous["state"]), strict=False)
        done = previous["steps"]
        start -= previous["seconds"]
        log(f"{kind}: resuming after {done} steps")
    opt = torch.optim.AdamW([{"params": head.parameters()},
                             {"params": [p for tower in towers for p in tower.parameters()], "lr": args.lr / 2}],
                            lr=args.lr, weight_decay=0.01)
    warm = max(1, args.steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / args.steps))))
    gen = torch.Generator().manual_seed(seed)
    t0 = time.time()
    for step in range(1, args.steps + 1):
        pick = torch.randint(0, len(texts), (args.batch,), generator=gen)
        pick[: args.batch // 32] = neutral[torch.randint(0, len(neutral), (args.batch // 32,), generator=gen)]
        pt, bt = pair_t[pick], bg_t[pick]
        drop = torch.rand(args.batch, generator=gen) < args.drop
        pt = torch.where(drop[:, None], prior_pairs.expand_as(pt), pt)
        bt = torch.where(drop[:, None], prior_bg.expand_as(bt), bt)
        with autocast():
            c = encode_ids(kind, frozen, ids_all[pick], ids_all_2[pick], drop)
            ctx, pooled = c[0], added_of(kind, c)
            logits, bg_logp = head.features(ctx, pooled[:, :core.pooled_dim] if core.pooled_dim else None)
        logits, bg_logp = logits.float(), bg_logp.float()
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, pt, reduction="none").sum(-1)
                - (bt * bg_logp).sum(-1)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0 or step in (1, 10):
            log(f"step {step} loss {loss.item():.4f} ({(time.time() - t0) / step:.3f} s/step)")
    core.eval()
    for tower in towers:
        tower.eval()
        for p in tower.parameters():
            p.requires_grad_(False)
    report = {}
    for language in ("en", "zh"):
        top1, mass = retrieval_accuracy(kind, frozen, core, data, memory_scenes, language)
        report[language] = {"top1": top1, "mass": mass}
        log(f"{kind} retrieval on test short captions ({language}): top-1 combo {top1:.3f}, prior mass {mass:.3f}")
    seconds = time.time() - start
    ckpt = {"state": core.state_dict(), "steps": done + args.steps, "batch": args.batch, "seconds": seconds,
            "prior_scale": args.prior_scale,
            "seed": seed, "memory_scenes": memory_scenes, "retrieval": report, "binary": attrs.binary, "attributes": attrs.size,
            "params": sum(p.numel() for p in head.parameters()),
            "text_state": frozen[2].state_dict()}
    if kind == "sdxl":
        ckpt["text_state_2"] = frozen[3].state_dict()
    torch.save(ckpt, ckpt_path)
    log(f"saved {os.path.relpath(ckpt_path, WORK)} after {seconds:.0f} s")
    write_model(kind, frozen, core, ckpt)


# ---------------------------------------------------------------------------------------------------------------
# export


def fix_static_dims(path, module, inputs):
    """The tracer leaves some fixed output sizes symbolic (e.g. the hidden size 96 after a dynamic-length trace);
    writes the real sizes into the graph's output shapes for every axis that is not dynamic."""
    import onnx
    with torch.no_grad():
        outs = module(*inputs)
    outs = outs if isinstance(outs, (tuple, list)) else (outs,)
    model = onnx.load(path)
    for out, value in zip(model.graph.output, outs):
        for dim, size in zip(out.type.tensor_type.shape.dim, value.shape):
            if dim.dim_param and not dim.dim_param.replace("_", "").isalpha():
                dim.Clear()
                dim.dim_value = size
            elif dim.dim_param and dim.dim_param[0].isupper():   # a name made up by the exporter, not ours
                dim.Clear()
                dim.dim_value = size
    onnx.checker.check_model(model)
    onnx.save(model, path)


class VaeEncoder(torch.nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.encoder = vae.encoder

    def forward(self, sample):
        return self.encoder(sample)


class VaeDecoder(torch.nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.decoder = vae.decoder

    def forward(self, latent_sample):
        return self.decoder(latent_sample)


class TextEncoder(torch.nn.Module):
    """CLIPTextModel (hidden_states=False: SD 1.5) or with output_hidden_states (SDXL); with_projection:
    CLIPTextModelWithProjection (text_embeds first)."""

    def __init__(self, tower, hidden_states, with_projection):
        super().__init__()
        self.tower = tower
        self.hidden_states = hidden_states
        self.with_projection = with_projection

    def forward(self, input_ids):
        out = self.tower(input_ids)
        first = [out["text_embeds"]] if self.with_projection else []
        rest = [out["last_hidden_state"]] + ([] if self.with_projection else [out["pooled"]])
        return tuple(first + rest + (list(out["hidden_states"]) if self.hidden_states else []))


def text_config(tower, tok, architecture, hidden_states):
    config = {
        "architectures": [architecture], "model_type": "clip_text_model", "vocab_size": tok.vocab_size,
        "hidden_size": tower.width, "intermediate_size": 4 * tower.width, "num_hidden_layers": tower.layers,
        "num_attention_heads": 4, "max_position_embeddings": 77, "hidden_act": "gelu", "layer_norm_eps": 1e-5,
        "bos_token_id": tok.bos_id, "eos_token_id": tok.eos_id, "pad_token_id": tok.pad_id,
        "projection_dim": tower.projection.out_features, "torch_dtype": "float32",
        "tempera": {"note": "Tiny Shapes-world CLIP text tower (exact GELU, not quick_gelu): shapes-clip's "
                            "(train_clip.py), fine-tuned with the denoiser's relevance head (train_unet.py). "
                            "See MODEL_CARD.md."},
    }
    if hidden_states:
        config["output_hidden_states"] = True
    return config


def vae_config(sf):
    return {
        "_class_name": "AutoencoderKL", "_diffusers_version": DIFFUSERS_VERSION, "act_fn": "silu",
        "block_out_channels": [32, 64, 96, 96],
        "down_block_types": ["DownEncoderBlock2D"] * 4, "up_block_types": ["UpDecoderBlock2D"] * 4,
        "in_channels": 3, "out_channels": 3, "latent_channels": 4, "layers_per_block": 1, "norm_num_groups": 8,
        "sample_size": 64, "scaling_factor": sf, "force_upcast": False,
        "tempera": {"note": "Not diffusers' AutoencoderKL network inside: a small fully convolutional VAE "
                            "(vae_model.py CellEncoder/CellDecoder: an 8×8-strided convolution reads each 8×8 pixel "
                            "cell, residual blocks at the latent resolution, a per-cell MLP writes the cell's pixels "
                            "through pixel-shuffle ×8). block_out_channels has 4 entries so that vae_scale_factor = "
                            "2**3 = 8.",
                    "scaling_factor": "1 / std of the latent means over 8000 training images"},
    }


def unet_config(kind, core, frozen):
    head = core.relevance
    context_dim = head.norm.normalized_shape[0]
    config = {
        "_class_name": "UNet2DConditionModel", "_diffusers_version": DIFFUSERS_VERSION, "sample_size": 8,
        "in_channels": 4, "out_channels": 4, "cross_attention_dim": context_dim,
        "attention_head_dim": context_dim // head.heads, "block_out_channels": [head.mlp[0].out_features],
        "layers_per_block": 1, "time_cond_proj_dim": None, "act_fn": "silu",
        "flip_sin_to_cos": True, "freq_shift": 0, "center_input_sample": False,
        "addition_embed_type": None, "addition_time_embed_dim": None,
        "projection_class_embeddings_input_dim": None,
    }
    if kind == "sdxl":
        config.update({"addition_embed_type": "text_time", "addition_time_embed_dim": ADD_TIME_DIM,
                       "projection_class_embeddings_input_dim": core.pooled_dim + 6 * ADD_TIME_DIM})
    config["tempera"] = {
        "architecture": "text-conditioned memory denoiser (memory_denoiser.py): the posterior mean over "
                        f"{core.items} training latents with a learned text prior; not diffusers' UNet",
        "memory_items": core.items, "memory_storage": "int8, one float scale per item",
        "relevance": {"pooling_heads": head.heads, "hidden": head.mlp[0].out_features,
                      "attributes": {"binary": head.binary, "categorical": head.features_count - head.binary},
                      "reads_text_embeds": bool(core.pooled_dim)},
        "timestep_input": "int64 [batch]" if kind == "sd" else "float32 scalar (rank 0), broadcast to the batch",
        "time_ids": "accepted and ignored (every training image is 64×64, uncropped)" if kind == "sdxl" else None,
        "trained_latent_size": [8, 8], "other_latent_sizes": "the memory is resized bilinearly in the graph",
        "prediction_type": "epsilon", "parameters": sum(p.numel() for p in head.parameters()),
    }
    if kind == "sd":
        del config["tempera"]["time_ids"]
    return config


def scheduler_config(kind):
    common = {"beta_end": 0.012, "beta_schedule": "scaled_linear", "beta_start": 0.00085,
              "num_train_timesteps": 1000, "trained_betas": None, "prediction_type": "epsilon",
              "steps_offset": 1, "timestep_spacing": "leading", "clip_sample": False, "set_alpha_to_one": False,
              "skip_prk_steps": True}
    if kind == "sd":
        return {"_class_name": "PNDMScheduler", "_diffusers_version": DIFFUSERS_VERSION, **common}
    return {"_class_name": "EulerDiscreteScheduler", "_diffusers_version": DIFFUSERS_VERSION, **common,
            "interpolation_type": "linear", "use_karras_sigmas": False, "sample_max_value": 1.0,
            "timestep_type": "discrete", "final_sigmas_type": "zero", "rescale_betas_zero_snr": False}


def model_index(kind):
    index = {"_class_name": "StableDiffusionPipeline" if kind == "sd" else "StableDiffusionXLPipeline",
             "_diffusers_version": DIFFUSERS_VERSION,
             "scheduler": ["diffusers", "PNDMScheduler" if kind == "sd" else "EulerDiscreteScheduler"],
             "text_encoder": ["transformers", "CLIPTextModel"],
             "tokenizer": ["transformers", "CLIPTokenizer"],
             "unet": ["diffusers", "UNet2DConditionModel"],
             "vae_decoder": ["diffusers", "AutoencoderKL"],
             "vae_encoder": ["diffusers", "AutoencoderKL"]}
    if kind == "sd":
        index.update({"feature_extractor": [None, None], "safety_checker": [None, None],
                      "requires_safety_checker": False})
    else:
        index.update({"text_encoder_2": ["transformers", "CLIPTextModelWithProjection"],
                      "tokenizer_2": ["transformers", "CLIPTokenizer"],
                      "force_zeros_for_empty_prompt": True, "add_watermarker": False})
    return dict(sorted(index.items()))


def write_model(kind, frozen, core, ckpt):
    tok, tok2, tower_a, tower_b, vae, sf = frozen
    out = os.path.join(MODELS, KINDS[kind]["folder"])
    gold = KINDS[kind]["folder"]
    for sub in ("text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2", "unet", "vae_encoder", "vae_decoder",
                "scheduler"):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
    shutil.rmtree(os.path.join(GOLDEN, gold), ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    save_json(os.path.join(out, "model_index.json"), model_index(kind))
    save_json(os.path.join(out, "scheduler", "scheduler_config.json"), scheduler_config(kind))
    prompts = ["a red circle and a yellow square", "图中有一个绿色星形和一个橙色正方形"]

    # tokenizers and text encoders
    tok.save(os.path.join(out, "tokenizer"))
    encoders = [("text_encoder", tower_a, tok, kind == "sdxl", False)]
    if kind == "sdxl":
        tok2.save(os.path.join(out, "tokenizer_2"))
        encoders.append(("text_encoder_2", tower_b, tok2, True, True))
    for name, tower, tk, hidden, proj in encoders:
        module = TextEncoder(tower, hidden, proj).eval()
        ids = torch.tensor([tk(p) for p in prompts])
        if proj:
            names = ["text_embeds", "last_hidden_state"]
        else:
            names = ["last_hidden_state", "pooler_output"]
        if hidden:
            names += [f"hidden_states.{i}" for i in range(tower.layers + 1)]
        axes = {"input_ids": {0: "batch_size", 1: "sequence_length"}}
        for n in names:
            axes[n] = {0: "batch_size"} if n in ("text_embeds", "pooler_output") else \
                {0: "batch_size", 1: "sequence_length"}
        path = os.path.join(out, name, "model.onnx")
        export(module, path, [ids], ["input_ids"], names, axes)
        fix_static_dims(path, module, [ids])
        save_json(os.path.join(out, name, "config.json"),
                  text_config(tower, tk, "CLIPTextModelWithProjection" if proj else "CLIPTextModel", hidden))
        with torch.no_grad():
            for case, x in (("batch2-77", ids), ("batch1-77", ids[1:])):
                golden(f"{gold}/{name}-{case}", path, {"input_ids": x}, dict(zip(names, module(x))))

    # VAE (identical files in both models)
    images = Dataset(DATA).images()
    test = Dataset(DATA).split("test")
    enc, dec = VaeEncoder(vae).eval(), VaeDecoder(vae).eval()
    x = to_unit_range(images[test[:2]])
    enc_path = os.path.join(out, "vae_encoder", "model.onnx")
    dec_path = os.path.join(out, "vae_decoder", "model.onnx")
    export(enc, enc_path, [x], ["sample"], ["latent_parameters"],
           {"sample": {0: "batch_size", 2: "height", 3: "width"},
            "latent_parameters": {0: "batch_size", 2: "latent_height", 3: "latent_width"}})
    z = torch.randn(2, 4, 8, 8, generator=torch.Generator().manual_seed(3))
    export(dec, dec_path, [z], ["latent_sample"], ["sample"],
           {"latent_sample": {0: "batch_size", 2: "latent_height", 3: "latent_width"},
            "sample": {0: "batch_size", 2: "height", 3: "width"}})
    fix_static_dims(enc_path, enc, [x])
    fix_static_dims(dec_path, dec, [z])
    for sub in ("vae_encoder", "vae_decoder"):
        save_json(os.path.join(out, sub, "config.json"), vae_config(sf))
    with torch.no_grad():
        wide = torch.cat([x[:1], x[1:]], dim=3)  # 64×128
        golden(f"{gold}/vae_encoder-batch2-64x64", enc_path, {"sample": x}, {"latent_parameters": enc(x)}, atol=2e-4)
        golden(f"{gold}/vae_encoder-batch1-64x128", enc_path, {"sample": wide}, {"latent_parameters": enc(wide)},
               atol=2e-4)
        lat = enc(x)[:, :4]
        golden(f"{gold}/vae_decoder-batch2-8x8", dec_path, {"latent_sample": lat}, {"sample": dec(lat)}, atol=2e-4)
        z12 = torch.randn(1, 4, 8, 12, generator=torch.Generator().manual_seed(4))
        golden(f"{gold}/vae_decoder-batch1-8x12", dec_path, {"latent_sample": z12}, {"sample": dec(z12)}, atol=2e-4)

    # UNet
    conds = encode_prompts(kind, frozen, prompts)
    sample = torch.randn(2, 4, 8, 8, generator=torch.Generator().manual_seed(5))
    path = os.path.join(out, "unet", "model.onnx")
    if kind == "sd":
        module = SdUnet(core).eval()
        t = torch.tensor([958, 1], dtype=torch.int64)
        inputs = {"sample": sample, "timestep": t, "encoder_hidden_states": conds[0]}
        axes = {"sample": {0: "batch_size", 2: "height", 3: "width"}, "timestep": {0: "batch_size"},
                "encoder_hidden_states": {0: "batch_size", 1: "sequence_length"},
                "out_sample": {0: "batch_size", 2: "height", 3: "width"}}
        cases = [("batch2-8x8", inputs),
                 ("batch1-8x8", {"sample": sample[:1], "timestep": t[1:], "encoder_hidden_states": conds[0][1:]}),
                 ("batch1-8x12", {"sample": torch.randn(1, 4, 8, 12, generator=torch.Generator().manual_seed(6)),
                                  "timestep": torch.tensor([500]), "encoder_hidden_states": conds[0][:1]})]
    else:
        module = SdxlUnet(core, ADD_TIME_DIM).eval()
        ids = torch.tensor([TIME_IDS] * 2)
        inputs = {"sample": sample, "timestep": torch.tensor(958.0), "encoder_hidden_states": conds[0],
                  "text_embeds": conds[1], "time_ids": ids}
        axes = {"sample": {0: "batch_size", 2: "height", 3: "width"},
                "encoder_hidden_states": {0: "batch_size", 1: "sequence_length"},
                "text_embeds": {0: "batch_size"}, "time_ids": {0: "batch_size"},
                "out_sample": {0: "batch_size", 2: "height", 3: "width"}}
        zeros = unconditional(kind, frozen, 1)
        cases = [("batch2-8x8", inputs),
                 ("batch2-8x8-uncond-cond", {"sample": sample, "timestep": torch.tensor(1.0),
                                             "encoder_hidden_states": torch.cat([zeros[0], conds[0][:1]]),
                                             "text_embeds": torch.cat([zeros[1], conds[1][:1]]), "time_ids": ids}),
                 ("batch1-8x12", {"sample": torch.randn(1, 4, 8, 12, generator=torch.Generator().manual_seed(6)),
                                  "timestep": torch.tensor(500.0), "encoder_hidden_states": conds[0][:1],
                                  "text_embeds": conds[1][:1], "time_ids": torch.tensor([[64.0, 96, 0, 0, 64, 96]])})]
    export(module, path, list(inputs.values()), list(inputs), ["out_sample"], axes, fold=False)
    fix_static_dims(path, module, list(inputs.values()))
    save_json(os.path.join(out, "unet", "config.json"), unet_config(kind, core, frozen))
    with torch.no_grad():
        for case, feeds in cases:
            golden(f"{gold}/unet-{case}", path, feeds, {"out_sample": module(*feeds.values())}, atol=3e-4)
    log(f"wrote {os.path.relpath(out, MODELS)}")


if __name__ == "__main__":
    main()
