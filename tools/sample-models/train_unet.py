"""Trains the denoiser of shapes-sd or shapes-sdxl and writes the whole model folder in optimum's ONNX layout.

  /usr/bin/python3 train_unet.py sd     # → work/unet-sd.pt,   models/shapes-sd/
  /usr/bin/python3 train_unet.py sdxl   # → work/unet-sdxl.pt, models/shapes-sdxl/
  /usr/bin/python3 train_unet.py sdxl --export-only

Needs work/clip.pt (train_clip.py: the frozen text towers) and work/vae.pt (train_vae.py).

Training is diffusers' DDPM objective: scaled_linear betas (0.00085..0.012, 1000 steps), t uniform in [0, 999],
epsilon prediction, MSE weighted by min(SNR, 5)/SNR (Min-SNR-γ, diffusers' --snr_gamma 5), latents =
scaling_factor × the VAE's latent mean. The first 12000 training scenes are used; each gets one of its four captions (en/zh × short/detailed),
chosen once by a seeded generator and encoded once by the frozen text towers (the towers are as expensive as the
denoiser, so the states are cached in float16). 10% of the captions are dropped for classifier-free guidance:
SD replaces them by the encoding of "" (what StableDiffusionPipeline feeds as the unconditional side), SDXL by
zeros (force_zeros_for_empty_prompt).

Conditioning, as diffusers does it:
* sd:   encoder_hidden_states = text_encoder(ids).last_hidden_state                       [B, 77, 96]
* sdxl: encoder_hidden_states = concat(text_encoder(ids).hidden_states[-2],
                                       text_encoder_2(ids_2).hidden_states[-2])             [B, 77, 192]
        text_embeds = text_encoder_2(ids_2).text_embeds                                      [B, 128]
        time_ids = (64, 64, 0, 0, 64, 64)                                                    [B, 6]
"""
import argparse
import math
import os
import random
import shutil
import time

import numpy as np
import torch

import bpe
from clip_model import TextTower
from common import DATA, GOLDEN, MODELS, WORK, Dataset, log, save_json, setup, to_unit_range
from export import export, golden
from schedulers import alphas_cumprod
from unet_model import Denoiser, SdUnet, SdxlUnet
from vae_model import CellVae, Vae

ADD_TIME_DIM = 32          # SDXL: addition_time_embed_dim (256 in the real one)
TIME_IDS = (64.0, 64.0, 0.0, 0.0, 64.0, 64.0)
DIFFUSERS_VERSION = "0.30.0"

KINDS = {
    "sd": {"folder": "shapes-sd", "seed": 31},
    "sdxl": {"folder": "shapes-sdxl", "seed": 41},
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


def restore_text(frozen, ckpt):
    """A checkpoint trained with --train-text carries its fine-tuned text tower: put it in place of shapes-clip's."""
    if "text_state" in ckpt:
        frozen[2].load_state_dict(ckpt["text_state"])


def make_denoiser(kind, frozen, x0=True):
    """x0=True: the network predicts x̂0 and returns ε computed from it (unet_model.Denoiser)."""
    tower_a, tower_b = frozen[2], frozen[3]
    ac = alphas_cumprod() if x0 else None
    if kind == "sd":
        return Denoiser(tower_a.width, alphas_cumprod=ac)
    return Denoiser(tower_a.width + tower_b.width, added_dim=tower_b.projection.out_features + 6 * ADD_TIME_DIM,
                    alphas_cumprod=ac)


def unet_forward(kind, core, sample, t, conds, raw=False):
    """The exported graph's computation, on a batch: t is a float tensor [B] (or a scalar). raw=True returns the
    network's own output (x̂0 with the x0-parameterisation) instead of ε."""
    t = torch.as_tensor(t, dtype=torch.float32).reshape(-1).expand(sample.shape[0])
    fn = core.network if raw else core
    if kind == "sd":
        return fn(sample, t.long().float(), conds[0])  # the SD graph takes an int64 timestep
    time_ids = torch.tensor([TIME_IDS]).expand(sample.shape[0], -1)
    from unet_model import sdxl_added
    return fn(sample, t, conds[0], sdxl_added(conds[1], time_ids, ADD_TIME_DIM))


# ---------------------------------------------------------------------------------------------------------------
# training


@torch.no_grad()
def cache(kind, frozen, data, train, rng):
    vae, sf = frozen[4], frozen[5]
    images = data.images()
    lat = torch.cat([vae.encoder(to_unit_range(images[train[k:k + 500]]))[:, :4] for k in range(0, len(train), 500)])
    lat = lat * sf
    texts = [data.captions(i)[rng.randrange(4)] for i in train]
    unique = sorted(set(texts))
    where = {t: n for n, t in enumerate(unique)}
    parts = []
    for k in range(0, len(unique), 256):
        enc = encode_prompts(kind, frozen, unique[k:k + 256])
        parts.append(tuple(x.half() for x in enc))
    conds = tuple(torch.cat([p[j] for p in parts]) for j in range(len(parts[0])))
    index = torch.tensor([where[t] for t in texts])
    return lat, conds, index, len(unique)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1.5e-3)
    parser.add_argument("--drop", type=float, default=0.1)
    parser.add_argument("--snr-gamma", type=float, default=5.0)
    parser.add_argument("--scenes", type=int, default=12000,
                        help="train on the first N training scenes (their captions are encoded once; 0: all)")
    parser.add_argument("--train-text", action="store_true",
                        help="sd only: fine-tune the text encoder with the denoiser (a copy of shapes-clip's tower; "
                             "the frozen contrastive tower does not bind colour words to shape words)")
    parser.add_argument("--export-only", action="store_true")
    parser.add_argument("--resume", action="store_true",
                        help="start from work/unet-<kind>.pt and train --steps more (fresh warmup + cosine)")
    args = parser.parse_args()
    kind = args.kind
    seed = KINDS[kind]["seed"]
    setup(seed)
    frozen = load_frozen()
    ckpt_path = os.path.join(WORK, f"unet-{kind}.pt")
    if args.train_text and kind != "sd":
        parser.error("--train-text is implemented for sd only")
    if args.export_only:
        ckpt = torch.load(ckpt_path)
        restore_text(frozen, ckpt)
        core = make_denoiser(kind, frozen)
        core.load_state_dict(ckpt["state"])
        write_model(kind, frozen, core.eval(), ckpt)
        return
    data = Dataset(DATA)
    train = data.split("train")
    if args.scenes:
        train = train[:args.scenes]
    rng = random.Random(seed)
    start = time.time()
    lat, conds, index, unique = cache(kind, frozen, data, train, rng)
    log(f"{kind}: cached {lat.shape[0]} latents (std {lat.std():.3f}) and {unique} distinct captions "
        f"in {time.time() - start:.0f} s")
    uncond = tuple(x[:1] for x in unconditional(kind, frozen, 1))
    core = make_denoiser(kind, frozen)
    done = 0
    tower = frozen[2]
    text_trained = args.train_text
    if args.train_text:  # token ids instead of cached states; the tower trains with the denoiser
        tok = frozen[0]
        pick_caption = random.Random(seed)  # the same caption per scene as cache() drew
        texts = [data.captions(i)[pick_caption.randrange(4)] for i in train]
        ids_all = torch.tensor([tok(t) for t in texts])
        ids_uncond = torch.tensor([tok("")])
        for p in tower.parameters():
            p.requires_grad_(True)
        tower.train()
    if args.resume:
        previous = torch.load(ckpt_path)
        restore_text(frozen, previous)
        text_trained = text_trained or "text_state" in previous
        core.load_state_dict(previous["state"])
        done = previous["steps"]
        start -= previous["seconds"]
        log(f"{kind}: resuming after {done} steps")
    params = sum(p.numel() for p in core.parameters())
    log(f"{kind}: denoiser {params / 1e6:.3f} M parameters, {args.steps} steps of batch {args.batch}")
    groups = [{"params": list(core.parameters())}]
    if args.train_text:
        groups.append({"params": list(tower.parameters()), "lr": args.lr * 0.3})
    opt = torch.optim.AdamW(groups, lr=args.lr, weight_decay=0.01)
    warm = max(1, args.steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / args.steps))))
    ac = alphas_cumprod()
    snr = ac / (1 - ac)
    gen = torch.Generator().manual_seed(seed)
    t0 = time.time()
    for step in range(1, args.steps + 1):
        pick = torch.randint(0, lat.shape[0], (args.batch,), generator=gen)
        x0 = lat[pick]
        if args.train_text:
            ids = ids_all[pick]
            c = (tower(ids)["last_hidden_state"],)
            uncond = (tower(ids_uncond)["last_hidden_state"],)
        else:
            c = tuple(x[index[pick]].float() for x in conds)
        drop = torch.rand(args.batch, generator=gen) < args.drop
        c = tuple(torch.where(drop.view(-1, *([1] * (x.dim() - 1))), u.expand_as(x), x) for x, u in zip(c, uncond))
        t = torch.randint(0, 1000, (args.batch,), generator=gen)
        noise = torch.randn(x0.shape, generator=gen)
        a = ac[t].view(-1, 1, 1, 1)
        xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
        if core.x0:  # x0 loss weighted by SNR clamped to [0.25, γ] (Min-SNR-γ, with a floor so that the noisiest
            # steps, where the text alone decides the scene, still count)
            pred = unet_forward(kind, core, xt, t.float(), c, raw=True)
            w = snr[t].clamp(min=0.25, max=args.snr_gamma)
            loss = (w * (pred - x0).pow(2).mean((1, 2, 3))).mean()
        else:
            eps = unet_forward(kind, core, xt, t.float(), c)
            w = (snr[t].clamp(max=args.snr_gamma) / snr[t]) if args.snr_gamma > 0 else torch.ones(args.batch)
            loss = (w * (eps - noise).pow(2).mean((1, 2, 3))).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(core.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 100 == 0 or step in (1, 10):
            log(f"step {step} loss {loss.item():.4f} ({(time.time() - t0) / step:.3f} s/step)")
        if step % 300 == 0 and step < args.steps:
            partial = {"state": core.state_dict(), "steps": done + step, "batch": args.batch,
                       "seconds": time.time() - start, "params": sum(p.numel() for p in core.parameters()),
                       "seed": seed, "partial": True}
            if text_trained:  # a partial checkpoint must resume with the tower it was trained with
                partial["text_state"] = tower.state_dict()
            torch.save(partial, ckpt_path)
    seconds = time.time() - start
    ckpt = {"state": core.state_dict(), "steps": done + args.steps, "batch": args.batch, "seconds": seconds,
            "params": params, "seed": seed}
    if text_trained:
        tower.eval()
        ckpt["text_state"] = tower.state_dict()
    torch.save(ckpt, ckpt_path)
    log(f"saved {os.path.relpath(ckpt_path, WORK)} after {seconds:.0f} s")
    write_model(kind, frozen, core.eval(), ckpt)


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
        "tempera": {"note": "Tiny Shapes-world CLIP text tower (exact GELU, not quick_gelu); frozen, trained by "
                            "train_clip.py. See MODEL_CARD.md."},
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
    config = {
        "_class_name": "UNet2DConditionModel", "_diffusers_version": DIFFUSERS_VERSION, "sample_size": 8,
        "in_channels": 4, "out_channels": 4, "cross_attention_dim": core.kv.in_channels,
        "attention_head_dim": core.width // core.heads, "block_out_channels": [core.width],
        "layers_per_block": len(core.blocks), "time_cond_proj_dim": None, "act_fn": "silu",
        "flip_sin_to_cos": True, "freq_shift": 0, "center_input_sample": False,
        "addition_embed_type": None, "addition_time_embed_dim": None,
        "projection_class_embeddings_input_dim": None,
    }
    if kind == "sdxl":
        config.update({"addition_embed_type": "text_time", "addition_time_embed_dim": ADD_TIME_DIM,
                       "projection_class_embeddings_input_dim": core.added[0].in_features})
    config["tempera"] = {
        "architecture": "diffusion transformer (PixArt-α-like adaLN-single blocks) over 2×2 latent patches",
        "patch_size": core.patch, "width": core.width, "layers": len(core.blocks), "heads": core.heads,
        "mlp_width": core.blocks[0].fc1.out_channels, "time_embedding": "sinusoidal [cos, sin] of 128 → MLP",
        "position_code": "2-D sinusoidal from the latent height and width (computed in the graph)",
        "timestep_input": "int64 [batch]" if kind == "sd" else "float32 scalar (rank 0), broadcast to the batch",
        "trained_latent_size": [8, 8], "prediction_type": "epsilon",
        "parameters": sum(p.numel() for p in core.parameters()),
    }
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
    export(module, path, list(inputs.values()), list(inputs), ["out_sample"], axes)
    fix_static_dims(path, module, list(inputs.values()))
    save_json(os.path.join(out, "unet", "config.json"), unet_config(kind, core, frozen))
    with torch.no_grad():
        for case, feeds in cases:
            golden(f"{gold}/unet-{case}", path, feeds, {"out_sample": module(*feeds.values())}, atol=3e-4)
    log(f"wrote {os.path.relpath(out, MODELS)}")


if __name__ == "__main__":
    main()
