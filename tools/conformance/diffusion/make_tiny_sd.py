"""Writes the tiny-sd test fixture: a synthetic Stable Diffusion 1.x model in Optimum's ONNX folder layout.

    /usr/bin/python3 tools/conformance/diffusion/make_tiny_sd.py \
        --diffusers-git /work/.mirror/huggingface+diffusers/repo [--check-dir /tmp/tiny-sd-check]

Writes tempera-image/src/test/resources/tiny-sd/ (timestep int64 [N], Optimum before Nov 2024) and
tempera-image/src/test/resources/tiny-sd-float-timestep/ (the same model, timestep float32 rank 0, as Optimum exports
now). The networks are in tiny_sd_modules.py. The scheduler config is what diffusers' own PNDMScheduler writes with
save_pretrained after loading SD 1.5's Hub scheduler_config.json. The tokenizer files are models/shapes-clip's.

--check-dir also writes, for each graph, inputs and the torch modules' outputs (check_io.json), which
check_onnx.mjs compares with onnxruntime-node's outputs of the exported graphs.
"""
import argparse
import json
import os
import shutil

import numpy as np
import onnx
import torch

import diffusers_loader
import tiny_sd_modules as m

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
RESOURCES = os.path.join(ROOT, "tempera-image", "src", "test", "resources")
SHAPES_CLIP = os.path.join(ROOT, "models", "shapes-clip")
OPSET = 17

# SD 1.5's scheduler/scheduler_config.json on the Hub (diffusers 0.6.0 wrote it; no timestep_spacing key)
SD15_HUB_SCHEDULER = {
    "_class_name": "PNDMScheduler",
    "_diffusers_version": "0.6.0",
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "num_train_timesteps": 1000,
    "set_alpha_to_one": False,
    "skip_prk_steps": True,
    "steps_offset": 1,
    "trained_betas": None,
    "clip_sample": False,
}

# Optimum's dynamic axis names (optimum-onnx model_configs.py: CLIPTextOnnxConfig, UNetOnnxConfig, VaeDecoderOnnxConfig)
TEXT_AXES = {"input_ids": {0: "batch_size", 1: "sequence_length"},
             "last_hidden_state": {0: "batch_size", 1: "sequence_length"},
             "pooler_output": {0: "batch_size"}}
UNET_AXES = {"sample": {0: "batch_size", 2: "height", 3: "width"},
             "encoder_hidden_states": {0: "batch_size", 1: "sequence_length"},
             "out_sample": {0: "batch_size", 2: "height", 3: "width"}}
VAE_DECODER_AXES = {"latent_sample": {0: "batch_size", 2: "height_latent", 3: "width_latent"},
                    "sample": {0: "batch_size", 2: "height", 3: "width"}}
VAE_ENCODER_AXES = {"sample": {0: "batch_size", 2: "height", 3: "width"},
                    "latent_parameters": {0: "batch_size", 2: "height_latent", 3: "width_latent"}}


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def export(module, args, path, inputs, outputs, axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs, dynamic_axes=axes,
                          opset_version=OPSET, do_constant_folding=True)
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    got = ([i.name for i in model.graph.input], [o.name for o in model.graph.output])
    assert got == (inputs, outputs), (path, got)


def scheduler_config(diffusers, version):
    """PNDMScheduler.from_config(SD 1.5 Hub file), saved as save_pretrained writes it (every key spelled out)."""
    saved = json.loads(diffusers.PNDMScheduler.from_config(dict(SD15_HUB_SCHEDULER)).to_json_string())
    saved["_diffusers_version"] = version
    expected = {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear",
                "num_train_timesteps": 1000, "skip_prk_steps": True, "set_alpha_to_one": False, "steps_offset": 1,
                "timestep_spacing": "leading", "prediction_type": "epsilon", "_class_name": "PNDMScheduler"}
    assert {k: saved[k] for k in expected} == expected, saved
    return saved


def model_index(version):
    return {
        "_class_name": "StableDiffusionPipeline",
        "_diffusers_version": version,
        "feature_extractor": [None, None],
        "image_encoder": [None, None],
        "requires_safety_checker": False,
        "safety_checker": [None, None],
        "scheduler": ["diffusers", "PNDMScheduler"],
        "text_encoder": ["transformers", "CLIPTextModel"],
        "tokenizer": ["transformers", "CLIPTokenizer"],
        "unet": ["diffusers", "UNet2DConditionModel"],
        "vae": ["diffusers", "AutoencoderKL"],
    }


def text_encoder_config():
    return {
        "architectures": ["CLIPTextModel"],
        "model_type": "clip_text_model",
        "vocab_size": m.VOCAB_SIZE,
        "hidden_size": m.HIDDEN,
        "intermediate_size": m.MLP_DIM,
        "num_hidden_layers": 1,
        "num_attention_heads": 1,
        "max_position_embeddings": m.MAX_POSITIONS,
        "hidden_act": "gelu",
        "layer_norm_eps": 1e-05,
        "projection_dim": m.HIDDEN,
        "bos_token_id": m.BOS_TOKEN_ID,
        "eos_token_id": m.EOS_TOKEN_ID,
        "pad_token_id": m.EOS_TOKEN_ID,
        "torch_dtype": "float32",
    }


def unet_config(version):
    return {
        "_class_name": "UNet2DConditionModel",
        "_diffusers_version": version,
        "sample_size": 4,  # default height = sample_size * vae_scale_factor = 32 pixels
        "in_channels": m.LATENT_CHANNELS,
        "out_channels": m.LATENT_CHANNELS,
        "block_out_channels": [m.UNET_CHANNELS],
        "cross_attention_dim": m.HIDDEN,
        "flip_sin_to_cos": True,
        "freq_shift": 0,
        "time_cond_proj_dim": None,
        "addition_embed_type": None,
        "act_fn": "silu",
    }


def vae_config(version):
    return {
        "_class_name": "AutoencoderKL",
        "_diffusers_version": version,
        "in_channels": 3,
        "out_channels": 3,
        "latent_channels": m.LATENT_CHANNELS,
        "block_out_channels": [8, 8, 8, 8],  # vae_scale_factor = 2 ** (4 - 1) = 8
        "sample_size": 32,
        "scaling_factor": m.SCALING_FACTOR,
        "force_upcast": True,
        "act_fn": "silu",
    }


def write_model(out, modules, version, sched, float_timestep):
    if os.path.isdir(out):
        for name in ("model_index.json", "scheduler", "tokenizer", "text_encoder", "unet", "vae_decoder",
                     "vae_encoder"):  # only what this script writes; goldens/ belongs to reference_pipeline.py
            path = os.path.join(out, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)
    os.makedirs(out, exist_ok=True)
    write_json(os.path.join(out, "model_index.json"), model_index(version))
    os.makedirs(os.path.join(out, "scheduler"))
    write_json(os.path.join(out, "scheduler", "scheduler_config.json"), sched)
    os.makedirs(os.path.join(out, "tokenizer"))
    for name in ("vocab.json", "merges.txt", "special_tokens_map.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(SHAPES_CLIP, name), os.path.join(out, "tokenizer", name))

    ids = torch.full((1, m.MAX_POSITIONS), m.EOS_TOKEN_ID, dtype=torch.int64)
    ids[0, 0] = m.BOS_TOKEN_ID
    export(modules["text_encoder"], (ids,), os.path.join(out, "text_encoder", "model.onnx"),
           ["input_ids"], ["last_hidden_state", "pooler_output"], TEXT_AXES)
    write_json(os.path.join(out, "text_encoder", "config.json"), text_encoder_config())

    sample = torch.zeros(2, m.LATENT_CHANNELS, 4, 4)
    ehs = torch.zeros(2, m.MAX_POSITIONS, m.HIDDEN)
    if float_timestep:
        unet, t, t_axes = m.UNetScalarTimestep(modules["unet"]), torch.tensor(981.0), {}
    else:
        unet, t, t_axes = m.UNetInt64Timestep(modules["unet"]), torch.tensor([981, 981]), {"timestep": {0: "steps"}}
    export(unet, (sample, t, ehs), os.path.join(out, "unet", "model.onnx"),
           ["sample", "timestep", "encoder_hidden_states"], ["out_sample"], dict(UNET_AXES, **t_axes))
    write_json(os.path.join(out, "unet", "config.json"), unet_config(version))

    export(modules["vae_decoder"], (torch.zeros(1, m.LATENT_CHANNELS, 4, 4),),
           os.path.join(out, "vae_decoder", "model.onnx"), ["latent_sample"], ["sample"], VAE_DECODER_AXES)
    write_json(os.path.join(out, "vae_decoder", "config.json"), vae_config(version))
    export(modules["vae_encoder"], (torch.zeros(1, 3, 32, 32),),
           os.path.join(out, "vae_encoder", "model.onnx"), ["sample"], ["latent_parameters"], VAE_ENCODER_AXES)
    write_json(os.path.join(out, "vae_encoder", "config.json"), vae_config(version))


def tensor_json(t):
    a = t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    dtype = {np.dtype(np.float32): "float32", np.dtype(np.int64): "int64"}[a.dtype]
    return {"dtype": dtype, "shape": list(a.shape), "data": a.reshape(-1).tolist()}


def check_io(modules):
    """Inputs and torch outputs for every graph, for check_onnx.mjs. Shapes differ from the export example inputs
    where that tests a dynamic axis."""
    gen = torch.Generator().manual_seed(12345)
    ids = torch.full((2, m.MAX_POSITIONS), m.EOS_TOKEN_ID, dtype=torch.int64)
    ids[:, 0] = m.BOS_TOKEN_ID
    ids[0, 1:5] = torch.tensor([320, 1014, 600, 999])
    ids_short = ids[:, :9].clone()
    sample = torch.randn(2, 4, 4, 4, generator=gen)
    sample_wide = torch.randn(1, 4, 3, 5, generator=gen)
    image = torch.rand(1, 3, 32, 48, generator=gen) * 2 - 1
    te, unet, dec, enc = (modules[k] for k in ("text_encoder", "unet", "vae_decoder", "vae_encoder"))
    cases = []
    with torch.no_grad():
        hidden, pooled = te(ids)
        cases.append({"graph": "text_encoder", "inputs": {"input_ids": tensor_json(ids)},
                      "outputs": {"last_hidden_state": tensor_json(hidden), "pooler_output": tensor_json(pooled)}})
        h9, p9 = te(ids_short)
        cases.append({"graph": "text_encoder", "inputs": {"input_ids": tensor_json(ids_short)},
                      "outputs": {"last_hidden_state": tensor_json(h9), "pooler_output": tensor_json(p9)}})
        for t in ([981, 981], [981, 1], [500]):
            tt = torch.tensor(t, dtype=torch.int64)
            cases.append({"graph": "unet", "variant": "int64",
                          "inputs": {"sample": tensor_json(sample), "timestep": tensor_json(tt),
                                     "encoder_hidden_states": tensor_json(hidden)},
                          "outputs": {"out_sample": tensor_json(unet(sample, tt.float(), hidden))}})
        for t in (981.0, 0.5):
            tt = torch.tensor(t, dtype=torch.float32)
            cases.append({"graph": "unet", "variant": "float",
                          "inputs": {"sample": tensor_json(sample), "timestep": tensor_json(tt),
                                     "encoder_hidden_states": tensor_json(hidden)},
                          "outputs": {"out_sample": tensor_json(unet(sample, tt.reshape(1), hidden))}})
        cases.append({"graph": "unet", "variant": "int64",
                      "inputs": {"sample": tensor_json(sample_wide), "timestep": tensor_json(torch.tensor([250])),
                                 "encoder_hidden_states": tensor_json(h9[:1])},
                      "outputs": {"out_sample": tensor_json(unet(sample_wide, torch.tensor([250.0]), h9[:1]))}})
        for lat in (sample, sample_wide):
            cases.append({"graph": "vae_decoder", "inputs": {"latent_sample": tensor_json(lat)},
                          "outputs": {"sample": tensor_json(dec(lat))}})
        cases.append({"graph": "vae_encoder", "inputs": {"sample": tensor_json(image)},
                      "outputs": {"latent_parameters": tensor_json(enc(image))}})
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--diffusers-git", required=True, help="a diffusers git dir (bare is fine)")
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--resources", default=RESOURCES)
    ap.add_argument("--check-dir", help="also write check_io.json here, for check_onnx.mjs")
    args = ap.parse_args()
    torch.set_num_threads(1)
    commit = diffusers_loader.resolve_commit(args.diffusers_git, args.commit)
    diffusers, _ = diffusers_loader.load_diffusers(args.diffusers_git, commit)
    version = diffusers_loader.diffusers_version(args.diffusers_git, commit)
    sched = scheduler_config(diffusers, version)

    modules = m.build_modules()
    for name, float_timestep in (("tiny-sd", False), ("tiny-sd-float-timestep", True)):
        out = os.path.join(args.resources, name)
        write_model(out, modules, version, sched, float_timestep)
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
        print(f"{name}: {size} bytes")
    if args.check_dir:
        os.makedirs(args.check_dir, exist_ok=True)
        with open(os.path.join(args.check_dir, "check_io.json"), "w") as f:
            json.dump({"cases": check_io(modules)}, f)
        print("check_io.json written to", args.check_dir)


if __name__ == "__main__":
    main()
