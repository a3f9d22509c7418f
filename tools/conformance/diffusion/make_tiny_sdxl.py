"""Writes the tiny-sdxl test fixture: a synthetic Stable Diffusion XL model in Optimum's ONNX folder layout.

    /usr/bin/python3 tools/conformance/diffusion/make_tiny_sdxl.py \
        --diffusers-git /work/.mirror/huggingface+diffusers/repo [--check-dir /tmp/tiny-sdxl-check]

Writes tempera-image/src/test/resources/tiny-sdxl/ (the UNet's timestep is a float32 scalar, as Optimum exports
it since Nov 2024). The networks are in tiny_sdxl_modules.py. The scheduler config is what diffusers' own
EulerDiscreteScheduler writes with save_pretrained after loading SDXL base 1.0's Hub scheduler_config.json. Both
tokenizer folders hold models/shapes-clip's vocabulary and merges; tokenizer_2 pads with "!" (id 0) as SDXL's
second tokenizer does. The export helpers and shared configs come from make_tiny_sd.py.

--check-dir also writes check_io_sdxl.json: inputs and the torch modules' outputs per graph, which
check_onnx_sdxl.mjs compares with onnxruntime-node's outputs of the exported graphs.
"""
import argparse
import json
import os
import shutil

import onnx
import torch

import diffusers_loader
import make_tiny_sd as sdmake
import tiny_sdxl_modules as m

OUT_NAME = "tiny-sdxl"
WRITTEN = ("model_index.json", "scheduler", "tokenizer", "tokenizer_2", "text_encoder", "text_encoder_2", "unet",
           "vae_decoder", "vae_encoder")  # goldens/ belongs to reference_pipeline_sdxl.py

# stabilityai/stable-diffusion-xl-base-1.0 scheduler/scheduler_config.json (written by diffusers 0.19.0.dev0)
SDXL_HUB_SCHEDULER = {
    "_class_name": "EulerDiscreteScheduler",
    "_diffusers_version": "0.19.0.dev0",
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "clip_sample": False,
    "interpolation_type": "linear",
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "sample_max_value": 1.0,
    "set_alpha_to_one": False,
    "skip_prk_steps": True,
    "steps_offset": 1,
    "timestep_spacing": "leading",
    "trained_betas": None,
    "use_karras_sigmas": False,
}

# Optimum's dynamic axis names (optimum-onnx model_configs.py: CLIPTextOnnxConfig, CLIPTextWithProjectionOnnxConfig
# with output_hidden_states, UNetOnnxConfig for SDXL); the VAE axes are make_tiny_sd's.
SEQ_AXES = {0: "batch_size", 1: "sequence_length"}
HIDDEN_AXES = {name: SEQ_AXES for name in m.hidden_state_names()}
TEXT_OUTPUTS = ["last_hidden_state", "pooler_output"] + m.hidden_state_names()
TEXT_2_OUTPUTS = ["text_embeds", "last_hidden_state"] + m.hidden_state_names()
TEXT_AXES = dict({"input_ids": SEQ_AXES, "last_hidden_state": SEQ_AXES, "pooler_output": {0: "batch_size"}},
                 **HIDDEN_AXES)
TEXT_2_AXES = dict({"input_ids": SEQ_AXES, "text_embeds": {0: "batch_size"}, "last_hidden_state": SEQ_AXES},
                   **HIDDEN_AXES)
UNET_INPUTS = ["sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids"]
UNET_AXES = dict(sdmake.UNET_AXES, text_embeds={0: "batch_size"}, time_ids={0: "batch_size"})


def export(module, args, path, inputs, outputs, axes):
    """make_tiny_sd.export, then the exporter's long intermediate names (/text_model/layers.0/mix_proj/MatMul_output_0,
    ...) replaced by short ones (n0, v0, ...): they are half of each small file and no loader reads them. Graph inputs,
    outputs and initializers keep their names."""
    sdmake.export(module, args, path, inputs, outputs, axes)
    model = onnx.load(path)
    graph = model.graph
    keep = {v.name for v in graph.input} | {v.name for v in graph.output} | {i.name for i in graph.initializer}
    renamed = {}
    for k, node in enumerate(graph.node):
        node.name = f"n{k}"
        for j, name in enumerate(node.output):
            if name not in keep:
                renamed[name] = node.output[j] = f"v{len(renamed)}"
    for node in graph.node:
        for j, name in enumerate(node.input):
            node.input[j] = renamed.get(name, name)
    del graph.value_info[:]
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, path)


def scheduler_config(diffusers, version):
    """EulerDiscreteScheduler.from_config(SDXL Hub file), saved as save_pretrained writes it (every key spelled out)."""
    saved = json.loads(diffusers.EulerDiscreteScheduler.from_config(dict(SDXL_HUB_SCHEDULER)).to_json_string())
    saved["_diffusers_version"] = version
    expected = {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear",
                "num_train_timesteps": 1000, "steps_offset": 1, "timestep_spacing": "leading",
                "interpolation_type": "linear", "use_karras_sigmas": False, "prediction_type": "epsilon",
                "_class_name": "EulerDiscreteScheduler"}
    assert {k: saved[k] for k in expected} == expected, saved
    return saved


def model_index(version):
    """What StableDiffusionXLPipeline.save_config writes (register_modules + force_zeros_for_empty_prompt)."""
    return {
        "_class_name": "StableDiffusionXLPipeline",
        "_diffusers_version": version,
        "feature_extractor": [None, None],
        "force_zeros_for_empty_prompt": True,
        "image_encoder": [None, None],
        "scheduler": ["diffusers", "EulerDiscreteScheduler"],
        "text_encoder": ["transformers", "CLIPTextModel"],
        "text_encoder_2": ["transformers", "CLIPTextModelWithProjection"],
        "tokenizer": ["transformers", "CLIPTokenizer"],
        "tokenizer_2": ["transformers", "CLIPTokenizer"],
        "unet": ["diffusers", "UNet2DConditionModel"],
        "vae": ["diffusers", "AutoencoderKL"],
    }


def text_encoder_config(architecture, width):
    config = sdmake.text_encoder_config()
    config.update({"architectures": [architecture], "hidden_size": width, "intermediate_size": width,
                   "num_hidden_layers": m.NUM_LAYERS, "projection_dim": m.HIDDEN_2,
                   "output_hidden_states": True})  # Optimum sets this for SDXL's encoders before export
    if architecture == "CLIPTextModelWithProjection":
        config["pad_token_id"] = m.PAD_TOKEN_ID_2
    return config


def unet_config(version):
    config = sdmake.unet_config(version)
    config.update({"block_out_channels": [m.UNET_CHANNELS], "cross_attention_dim": m.CROSS_ATTENTION_DIM,
                   "addition_embed_type": "text_time", "addition_time_embed_dim": m.ADDITION_TIME_EMBED_DIM,
                   "projection_class_embeddings_input_dim": m.ADD_EMBED_IN})
    return config


def vae_config(version):
    config = sdmake.vae_config(version)
    config["scaling_factor"] = m.SCALING_FACTOR
    return config


def write_tokenizer(out, name, pad_token):
    """shapes-clip's vocab and merges; special_tokens_map.json and tokenizer_config.json with the given pad token."""
    folder = os.path.join(out, name)
    os.makedirs(folder)
    for f in ("vocab.json", "merges.txt"):
        shutil.copyfile(os.path.join(sdmake.SHAPES_CLIP, f), os.path.join(folder, f))
    for f in ("special_tokens_map.json", "tokenizer_config.json"):
        with open(os.path.join(sdmake.SHAPES_CLIP, f), encoding="utf-8") as fh:
            doc = json.load(fh)
        doc["pad_token"] = pad_token
        sdmake.write_json(os.path.join(folder, f), doc)


def write_model(out, modules, version, sched):
    for name in WRITTEN:
        path = os.path.join(out, name)
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)
    os.makedirs(out, exist_ok=True)
    sdmake.write_json(os.path.join(out, "model_index.json"), model_index(version))
    os.makedirs(os.path.join(out, "scheduler"))
    sdmake.write_json(os.path.join(out, "scheduler", "scheduler_config.json"), sched)
    write_tokenizer(out, "tokenizer", "<|endoftext|>")
    write_tokenizer(out, "tokenizer_2", "!")

    ids = torch.full((1, m.MAX_POSITIONS), m.EOS_TOKEN_ID, dtype=torch.int64)
    ids[0, 0] = m.BOS_TOKEN_ID
    export(modules["text_encoder"], (ids,), os.path.join(out, "text_encoder", "model.onnx"),
                  ["input_ids"], TEXT_OUTPUTS, TEXT_AXES)
    sdmake.write_json(os.path.join(out, "text_encoder", "config.json"),
                      text_encoder_config("CLIPTextModel", m.HIDDEN_1))
    export(modules["text_encoder_2"], (ids,), os.path.join(out, "text_encoder_2", "model.onnx"),
                  ["input_ids"], TEXT_2_OUTPUTS, TEXT_2_AXES)
    sdmake.write_json(os.path.join(out, "text_encoder_2", "config.json"),
                      text_encoder_config("CLIPTextModelWithProjection", m.HIDDEN_2))

    args = (torch.zeros(2, m.LATENT_CHANNELS, 4, 4), torch.tensor(981.0),
            torch.zeros(2, m.MAX_POSITIONS, m.CROSS_ATTENTION_DIM), torch.zeros(2, m.HIDDEN_2),
            torch.tensor([[32.0, 32.0, 0.0, 0.0, 32.0, 32.0]] * 2))
    export(m.UNetXLScalarTimestep(modules["unet"]), args, os.path.join(out, "unet", "model.onnx"),
                  UNET_INPUTS, ["out_sample"], UNET_AXES)
    sdmake.write_json(os.path.join(out, "unet", "config.json"), unet_config(version))

    export(modules["vae_decoder"], (torch.zeros(1, m.LATENT_CHANNELS, 4, 4),),
                  os.path.join(out, "vae_decoder", "model.onnx"), ["latent_sample"], ["sample"],
                  sdmake.VAE_DECODER_AXES)
    sdmake.write_json(os.path.join(out, "vae_decoder", "config.json"), vae_config(version))
    export(modules["vae_encoder"], (torch.zeros(1, 3, 32, 32),),
                  os.path.join(out, "vae_encoder", "model.onnx"), ["sample"], ["latent_parameters"],
                  sdmake.VAE_ENCODER_AXES)
    sdmake.write_json(os.path.join(out, "vae_encoder", "config.json"), vae_config(version))


def check_io(modules):
    """Inputs and torch outputs for every graph, for check_onnx_sdxl.mjs; some shapes differ from the export example
    inputs to test the dynamic axes."""
    tj = sdmake.tensor_json
    gen = torch.Generator().manual_seed(54321)
    ids = torch.full((2, m.MAX_POSITIONS), m.EOS_TOKEN_ID, dtype=torch.int64)
    ids[:, 0] = m.BOS_TOKEN_ID
    ids[0, 1:5] = torch.tensor([320, 1014, 600, 999])
    ids[1, 3:] = m.PAD_TOKEN_ID_2  # tokenizer_2's layout: BOS, a token, EOS, then "!" pads
    ids[1, 1] = 1711
    ids_short = ids[:, :9].clone()
    sample = torch.randn(2, 4, 4, 4, generator=gen)
    sample_wide = torch.randn(1, 4, 3, 5, generator=gen)
    ehs = torch.randn(2, m.MAX_POSITIONS, m.CROSS_ATTENTION_DIM, generator=gen)
    text_embeds = torch.randn(2, m.HIDDEN_2, generator=gen)
    time_ids = torch.tensor([[32.0, 32.0, 0.0, 0.0, 32.0, 32.0], [64.0, 64.0, 4.0, 4.0, 32.0, 32.0]])
    image = torch.rand(1, 3, 32, 48, generator=gen) * 2 - 1
    cases = []
    with torch.no_grad():
        for graph, names in (("text_encoder", TEXT_OUTPUTS), ("text_encoder_2", TEXT_2_OUTPUTS)):
            for x in (ids, ids_short):
                outs = modules[graph](x)
                cases.append({"graph": graph, "inputs": {"input_ids": tj(x)},
                              "outputs": {n: tj(o) for n, o in zip(names, outs)}})
        unet = m.UNetXLScalarTimestep(modules["unet"])
        for t, x, e, te, ti in ((981.0, sample, ehs, text_embeds, time_ids), (0.5, sample, ehs, text_embeds, time_ids),
                                (250.0, sample_wide, ehs[:1, :9], text_embeds[1:], time_ids[1:])):
            tt = torch.tensor(t)
            cases.append({"graph": "unet",
                          "inputs": {"sample": tj(x), "timestep": tj(tt), "encoder_hidden_states": tj(e),
                                     "text_embeds": tj(te), "time_ids": tj(ti)},
                          "outputs": {"out_sample": tj(unet(x, tt, e, te, ti))}})
        for lat in (sample, sample_wide):
            cases.append({"graph": "vae_decoder", "inputs": {"latent_sample": tj(lat)},
                          "outputs": {"sample": tj(modules["vae_decoder"](lat))}})
        cases.append({"graph": "vae_encoder", "inputs": {"sample": tj(image)},
                      "outputs": {"latent_parameters": tj(modules["vae_encoder"](image))}})
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--diffusers-git", required=True, help="a diffusers git dir (bare is fine)")
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--resources", default=sdmake.RESOURCES)
    ap.add_argument("--check-dir", help="also write check_io_sdxl.json here, for check_onnx_sdxl.mjs")
    args = ap.parse_args()
    torch.set_num_threads(1)
    commit = diffusers_loader.resolve_commit(args.diffusers_git, args.commit)
    diffusers, _ = diffusers_loader.load_diffusers(args.diffusers_git, commit)
    version = diffusers_loader.diffusers_version(args.diffusers_git, commit)

    modules = m.build_modules()
    out = os.path.join(args.resources, OUT_NAME)
    write_model(out, modules, version, scheduler_config(diffusers, version))
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs
               if os.sep + "goldens" not in d)
    print(f"{OUT_NAME} (without goldens): {size} bytes")
    if args.check_dir:
        os.makedirs(args.check_dir, exist_ok=True)
        with open(os.path.join(args.check_dir, "check_io_sdxl.json"), "w") as f:
            json.dump({"cases": check_io(modules)}, f)
        print("check_io_sdxl.json written to", args.check_dir)


if __name__ == "__main__":
    main()
