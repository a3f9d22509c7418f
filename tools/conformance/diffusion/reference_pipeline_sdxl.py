"""Reference outputs for the tiny-sdxl fixture: diffusers' StableDiffusionXLPipeline, run on the tiny torch modules.

    /usr/bin/python3 tools/conformance/diffusion/reference_pipeline_sdxl.py \
        --diffusers-git /work/.mirror/huggingface+diffusers/repo

Run make_tiny_sdxl.py first (this script reads tiny-sdxl/scheduler, both tokenizer folders and the configs it wrote).
Writes tempera-image/src/test/resources/tiny-sdxl/goldens/: cases.json, text_encoder.json, call_options.json (the
cases of `__call__`'s clip_skip= and eta=, kept apart so that cases.json is unchanged by them) and one PNG per image.

What is diffusers' own code and what is written here (README.md lists each choice with its diffusers line):
* diffusers' own, executed from the git dir: EulerDiscreteScheduler, EulerAncestralDiscreteScheduler and
  DDIMScheduler (from_config of the saved config), `randn_tensor`, and of StableDiffusionXLPipeline `encode_prompt`
  (both tokenizers and encoders, `hidden_states[-2]`, or `hidden_states[-(clip_skip + 2)]` for the prompt when
  clip_skip is given, zeros for a missing negative prompt), `_get_add_time_ids` (with its dimension check
  against the tiny UNet's real `add_embedding` width), `prepare_latents`, `prepare_extra_step_kwargs`,
  `do_classifier_free_guidance`; of VaeImageProcessor `denormalize`, `pt_to_numpy`, `numpy_to_pil`.
* written here, line for line after `StableDiffusionXLPipeline.__call__` (l.1124-1255): the `[neg; pos]` batch of
  embeddings, pooled embeddings and time ids, `add_time_ids.repeat(batch * n, 1)`, `set_begin_index(0)`, the loop,
  the CFG line and the decode.
* the tokenizers are tools/sample-models/bpe.py's CLIP tokenizer behind a small transformers-like shim.
* the networks are tiny_sdxl_modules.py's torch modules, the weights make_tiny_sdxl.py exported; the UNet is called
  as the float-scalar graph is (rank-0 float32 timestep).
"""
import argparse
import json
import os
import platform
import sys
import types

import numpy as np
import torch
from PIL import Image

import diffusers_loader
import reference_pipeline as sdref  # f32list, tensor, bpe (and tools/sample-models on sys.path)
import tiny_sdxl_modules as m

MODEL = os.path.join(sdref.ROOT, "tempera-image", "src", "test", "resources", "tiny-sdxl")
PIPELINE = "src/diffusers/pipelines/stable_diffusion_xl/pipeline_stable_diffusion_xl.py"
IMAGE_PROCESSOR = sdref.IMAGE_PROCESSOR
HEIGHT = WIDTH = 32
PROMPT = "a red circle"
NEGATIVE = "blurry"
SCHEDULERS = {"euler": "EulerDiscreteScheduler", "euler_a": "EulerAncestralDiscreteScheduler", "ddim": "DDIMScheduler"}

# name, scheduler, steps, guidance, seeds (one generator per image), prompt, negative prompt,
# original_size, crops_coords_top_left, target_size (None = diffusers' defaults (H, W), (0, 0), (H, W))
CASES = [
    ("euler_8_g5_seed0", "euler", 8, 5.0, [0], PROMPT, None, None, None, None),
    ("euler_8_g5_seed1_negative", "euler", 8, 5.0, [1], PROMPT, NEGATIVE, None, None, None),
    ("euler_a_6_g7.5_seed2", "euler_a", 6, 7.5, [2], PROMPT, None, None, None, None),
    ("euler_8_g1_seed0", "euler", 8, 1.0, [0], PROMPT, None, None, None, None),
    ("euler_8_g5_seed0_orig64_crop4", "euler", 8, 5.0, [0], PROMPT, None, (64, 64), (4, 4), (32, 32)),
    ("euler_8_g5_seeds_0_1", "euler", 8, 5.0, [0, 1], PROMPT, None, None, None, None),
]

# __call__'s clip_skip= and eta= (written to call_options.json): the CASES fields, then clip_skip and eta. The tiny
# encoders have 2 layers, so clip_skip 1 (hidden_states[-3] = hidden_states.0) is the only value that changes anything.
CALL_CASES = [
    ("euler_8_g5_seed0_clip_skip1", "euler", 8, 5.0, [0], PROMPT, None, None, None, None, 1, 0.0),
    ("euler_8_g5_seed1_negative_clip_skip1", "euler", 8, 5.0, [1], PROMPT, NEGATIVE, None, None, None, 1, 0.0),
    ("ddim_10_g5_eta0.5_seeds_0_1", "ddim", 10, 5.0, [0, 1], PROMPT, None, None, None, None, None, 0.5),
]


def load_json(*parts):
    with open(os.path.join(MODEL, *parts), encoding="utf-8") as f:
        return json.load(f)


class TokenizerShim:
    """The slice of transformers' CLIPTokenizer that SDXL's encode_prompt calls, over bpe.ClipTokenizer:
    padding="max_length" (BOS, at most 75 tokens, EOS, pad to 77) and padding="longest" (no truncation)."""

    def __init__(self, folder, expected_pad_id):
        self.tok = sdref.bpe.ClipTokenizer.load(os.path.join(MODEL, folder))
        with open(os.path.join(MODEL, folder, "vocab.json"), encoding="utf-8") as f:
            vocab = json.load(f)
        assert vocab == self.tok.encoder, f"{folder}/vocab.json does not match bpe.py's vocabulary"
        with open(os.path.join(MODEL, folder, "tokenizer_config.json"), encoding="utf-8") as f:
            config = json.load(f)
        self.model_max_length = config["model_max_length"]
        assert self.model_max_length == self.tok.max_length == 77
        assert self.tok.pad_id == vocab[config["pad_token"]] == expected_pad_id, (folder, self.tok.pad_id)

    def ids(self, text):
        return self.tok(text)

    def __call__(self, texts, padding, max_length=None, truncation=False, return_tensors="pt"):
        texts = [texts] if isinstance(texts, str) else texts
        if padding == "max_length":
            assert max_length == self.tok.max_length and truncation, (max_length, truncation)
            rows = [self.tok(t) for t in texts]
        else:
            assert padding == "longest"
            bodies = [[self.tok.bos_id] + self.tok.tokens(t) + [self.tok.eos_id] for t in texts]
            width = max(len(b) for b in bodies)
            rows = [b + [self.tok.pad_id] * (width - len(b)) for b in bodies]
        return types.SimpleNamespace(input_ids=torch.tensor(rows, dtype=torch.int64))

    def batch_decode(self, ids):
        raise AssertionError("a prompt was truncated; the goldens use short prompts")


class ClipOutput(tuple):
    """transformers' ModelOutput as encode_prompt uses it: out[0] and out.hidden_states."""

    def __new__(cls, first, hidden_states):
        out = super().__new__(cls, (first,))
        out.hidden_states = tuple(hidden_states)
        return out


class EncoderShim:
    """text_encoder(ids, output_hidden_states=True): CLIPTextModel (out[0] = last_hidden_state, 3-D) or
    CLIPTextModelWithProjection (out[0] = text_embeds, 2-D), with hidden_states 0..L."""

    def __init__(self, module, config):
        self.module = module
        self.dtype = torch.float32
        self.config = types.SimpleNamespace(**config)
        self.calls = []

    def __call__(self, input_ids, output_hidden_states=False):
        assert output_hidden_states
        self.calls.append(input_ids[0].tolist())
        outs = self.module(input_ids)
        return ClipOutput(outs[0], outs[2:])


class Reference:
    def __init__(self, git_dir, commit):
        self.diffusers, randn_tensor = diffusers_loader.load_diffusers(git_dir, commit)
        self.drawn = []  # what randn_tensor returned, in call order (latents first, then the schedulers' draws)

        def recording_randn_tensor(*args, **kwargs):
            out = randn_tensor(*args, **kwargs)
            self.drawn.append(out.clone())
            return out

        for module in list(sys.modules.values()):  # the schedulers bound diffusers' randn_tensor at import
            if getattr(module, "__name__", "").startswith("diffusers.schedulers.") and \
                    getattr(module, "randn_tensor", None) is randn_tensor:
                module.randn_tensor = recording_randn_tensor

        class _NotAMixin:  # encode_prompt's isinstance checks for textual inversion and LoRA: never true here
            pass

        scope = {"torch": torch, "np": np, "inspect": __import__("inspect"), "Image": Image,
                 "randn_tensor": recording_randn_tensor, "logger": __import__("logging").getLogger("sdxl"),
                 "TextualInversionLoaderMixin": _NotAMixin, "StableDiffusionXLLoraLoaderMixin": _NotAMixin,
                 "USE_PEFT_BACKEND": False}
        fn = lambda path, name: diffusers_loader.function_from(git_dir, commit, path, name, scope)  # noqa: E731
        names = [(PIPELINE, "encode_prompt"), (PIPELINE, "_get_add_time_ids"), (PIPELINE, "prepare_latents"),
                 (PIPELINE, "prepare_extra_step_kwargs"), (PIPELINE, "do_classifier_free_guidance"),
                 (IMAGE_PROCESSOR, "denormalize"), (IMAGE_PROCESSOR, "pt_to_numpy"),
                 (IMAGE_PROCESSOR, "numpy_to_pil")]
        self.sources = {}
        for path, name in names:
            cls = "StableDiffusionXLPipeline" if path == PIPELINE else "VaeImageProcessor"
            setattr(self, name.lstrip("_"), fn(path, f"{cls}.{name}"))
            self.sources[name] = f"{path}:{getattr(self, name.lstrip('_')).diffusers_line}"

        self.tokenizer = TokenizerShim("tokenizer", m.EOS_TOKEN_ID)
        self.tokenizer_2 = TokenizerShim("tokenizer_2", m.PAD_TOKEN_ID_2)
        self.modules = m.build_modules()
        self.unet_config = load_json("unet", "config.json")
        self.vae_config = load_json("vae_decoder", "config.json")
        self.vae_scale_factor = 2 ** (len(self.vae_config["block_out_channels"]) - 1)
        self.model_index = load_json("model_index.json")
        base = self.diffusers.EulerDiscreteScheduler.from_config(load_json("scheduler", "scheduler_config.json"))
        self.base_scheduler_config = base.config

    def scheduler(self, name):
        return getattr(self.diffusers, SCHEDULERS[name]).from_config(self.base_scheduler_config)

    def pipe(self, guidance_scale):
        """The attributes of `self` that the executed StableDiffusionXLPipeline methods read."""
        return types.SimpleNamespace(
            _guidance_scale=guidance_scale, vae_scale_factor=self.vae_scale_factor,
            _execution_device=torch.device("cpu"),
            config=types.SimpleNamespace(
                force_zeros_for_empty_prompt=self.model_index["force_zeros_for_empty_prompt"]),
            tokenizer=self.tokenizer, tokenizer_2=self.tokenizer_2,
            text_encoder=EncoderShim(self.modules["text_encoder"], load_json("text_encoder", "config.json")),
            text_encoder_2=EncoderShim(self.modules["text_encoder_2"], load_json("text_encoder_2", "config.json")),
            unet=types.SimpleNamespace(config=types.SimpleNamespace(**self.unet_config),
                                       add_embedding=types.SimpleNamespace(
                                           linear_1=self.modules["unet"].add_linear_1)))

    def unet(self, latent_model_input, t, prompt_embeds, text_embeds, time_ids):
        timestep = t.to(torch.float32).reshape(())
        return m.UNetXLScalarTimestep(self.modules["unet"])(latent_model_input, timestep, prompt_embeds, text_embeds,
                                                            time_ids)

    @torch.no_grad()
    def run(self, name, scheduler_name, steps, guidance_scale, seeds, prompt, negative_prompt, original_size,
            crops_coords_top_left, target_size, clip_skip=None, eta=0.0):
        """One __call__. `clip_skip` goes to encode_prompt (it changes the prompt's layer only; the negative prompt
        keeps hidden_states[-2]); `eta` to prepare_extra_step_kwargs."""
        n = len(seeds)
        generators = [torch.Generator().manual_seed(s) for s in seeds]
        generator = generators if n > 1 else generators[0]
        pipe = self.pipe(guidance_scale)
        cfg = self.do_classifier_free_guidance(pipe)
        height, width = HEIGHT, WIDTH
        original_size = original_size or (height, width)                  # l.1033
        target_size = target_size or (height, width)                      # l.1034
        crops_coords_top_left = crops_coords_top_left or (0, 0)           # __call__ default
        batch_size = 1

        prompt_embeds, negative_prompt_embeds, pooled_prompt_embeds, negative_pooled_prompt_embeds = \
            self.encode_prompt(pipe, prompt=prompt, prompt_2=None, device=torch.device("cpu"),
                               num_images_per_prompt=n, do_classifier_free_guidance=cfg,
                               negative_prompt=negative_prompt, negative_prompt_2=None, clip_skip=clip_skip)
        # encode_prompt runs encoder 1 then encoder 2 on the prompt, then (if it encodes one) on the negative
        te_calls, te2_calls = pipe.text_encoder.calls, pipe.text_encoder_2.calls
        prompt_ids, prompt_ids_2 = te_calls[0], te2_calls[0]
        negative_ids = te_calls[1] if len(te_calls) > 1 else None
        negative_ids_2 = te2_calls[1] if len(te2_calls) > 1 else None
        zero_negative = cfg and negative_ids is None

        scheduler = pipe.scheduler = self.scheduler(scheduler_name)
        scheduler.set_timesteps(steps, device="cpu")
        timesteps = scheduler.timesteps
        self.drawn.clear()
        latents = self.prepare_latents(pipe, batch_size * n, self.unet_config["in_channels"], height, width,
                                       prompt_embeds.dtype, torch.device("cpu"), generator)
        initial_noise = self.drawn[0]
        extra_step_kwargs = self.prepare_extra_step_kwargs(pipe, generator, eta)

        add_text_embeds = pooled_prompt_embeds
        text_encoder_projection_dim = pipe.text_encoder_2.config.projection_dim
        add_time_ids = self.get_add_time_ids(pipe, tuple(original_size), tuple(crops_coords_top_left),
                                             tuple(target_size), dtype=prompt_embeds.dtype,
                                             text_encoder_projection_dim=text_encoder_projection_dim)
        negative_add_time_ids = add_time_ids  # no negative_original_size / negative_target_size (l.1137-1146)
        if cfg:
            prompt_embeds = torch.cat([negative_prompt_embeds, prompt_embeds], dim=0)
            add_text_embeds = torch.cat([negative_pooled_prompt_embeds, add_text_embeds], dim=0)
            add_time_ids = torch.cat([negative_add_time_ids, add_time_ids], dim=0)
        add_time_ids = add_time_ids.repeat(batch_size * n, 1)

        case = {"name": name, "scheduler": scheduler_name, "scheduler_class": type(scheduler).__name__,
                "num_inference_steps": steps, "guidance_scale": guidance_scale,
                "do_classifier_free_guidance": cfg, "prompt": prompt, "prompt_2": None,
                "negative_prompt": negative_prompt, "negative_prompt_2": None,
                "negative_embeds": None if not cfg else ("zeros" if zero_negative else "encoded"),
                "original_size": list(original_size), "crops_coords_top_left": list(crops_coords_top_left),
                "target_size": list(target_size),
                "seeds": seeds, "generator": "list" if n > 1 else "single", "height": height, "width": width,
                "prompt_ids": prompt_ids, "prompt_ids_2": prompt_ids_2,
                "negative_ids": negative_ids, "negative_ids_2": negative_ids_2,
                "timesteps": [float(t) for t in timesteps.numpy().astype(np.float64)],
                "init_noise_sigma": sdref.f32list(torch.tensor(float(scheduler.init_noise_sigma)))[0],
                "initial_noise": sdref.tensor(initial_noise), "initial_latents": sdref.tensor(latents)}
        if hasattr(scheduler, "set_begin_index"):
            scheduler.set_begin_index(0)                                  # l.1194-1195
        for i, t in enumerate(timesteps):
            latent_model_input = torch.cat([latents] * 2) if cfg else latents
            latent_model_input = scheduler.scale_model_input(latent_model_input, t)
            unet_out = self.unet(latent_model_input, t, prompt_embeds, add_text_embeds, add_time_ids)
            noise_pred = unet_out
            if cfg:
                noise_pred_uncond, noise_pred_text = noise_pred.chunk(2)
                noise_pred = noise_pred_uncond + guidance_scale * (noise_pred_text - noise_pred_uncond)
            latents = scheduler.step(noise_pred, t, latents, **extra_step_kwargs, return_dict=False)[0]
            if i == 0:
                case["step_1"] = {"unet_timestep": float(t), "unet_text_embeds": sdref.tensor(add_text_embeds),
                                  "unet_time_ids": sdref.tensor(add_time_ids),
                                  "unet_out_sample": sdref.tensor(unet_out), "noise_pred": sdref.tensor(noise_pred),
                                  "latents": sdref.tensor(latents)}
        case["unet_calls"] = len(timesteps)
        case["scheduler_noise_draws"] = len(self.drawn) - 1
        case["final_latents"] = sdref.tensor(latents)
        if clip_skip is not None or eta != 0.0:
            case["clip_skip"] = clip_skip
            case["eta"] = eta
            case["eta_passed_to_step"] = "eta" in extra_step_kwargs

        image = self.modules["vae_decoder"](latents / self.vae_config["scaling_factor"])
        pixels = [np.asarray(p) for p in self.numpy_to_pil(self.pt_to_numpy(self.denormalize(image)))]
        case["decoded_range"] = [sdref.f32list(image.min())[0], sdref.f32list(image.max())[0]]
        return case, pixels


def text_encoder_golden(ref):
    """For PROMPT: both tokenizations; rows 0..7 (BOS, three words, EOS, three pads) of each encoder's
    hidden_states.1 (what SDXL concatenates) and encoder 2's text_embeds (the pooled vector)."""
    ids = torch.tensor([ref.tokenizer.ids(PROMPT)], dtype=torch.int64)
    ids_2 = torch.tensor([ref.tokenizer_2.ids(PROMPT)], dtype=torch.int64)
    with torch.no_grad():
        out = ref.modules["text_encoder"](ids)
        out_2 = ref.modules["text_encoder_2"](ids_2)
    return {"text": PROMPT, "input_ids": ids[0].tolist(), "input_ids_2": ids_2[0].tolist(), "rows": 8,
            "text_encoder_hidden_states.1_rows": sdref.tensor(out[2 + m.NUM_LAYERS - 1][:, :8]),
            "text_encoder_2_hidden_states.1_rows": sdref.tensor(out_2[2 + m.NUM_LAYERS - 1][:, :8]),
            "text_encoder_2_text_embeds": sdref.tensor(out_2[0])}


def call_options(ref, out, pixels_by_case):
    """The CALL_CASES; image 0 of the DDIM seed list must not depend on image 1 (checked against a run of seed 0
    alone, which is not written)."""
    call_cases = []
    for (*spec, clip_skip, eta) in CALL_CASES:
        case, pixels = ref.run(*spec, clip_skip=clip_skip, eta=eta)
        case["images"] = []
        for k, px in enumerate(pixels):
            png = f"{case['name']}_{k}.png"
            Image.fromarray(px).save(os.path.join(out, png), format="PNG")
            case["images"].append(png)
        pixels_by_case[case["name"]] = pixels
        if len(spec[4]) > 1:
            for k, seed in enumerate(spec[4]):
                alone = spec.copy()
                alone[4] = [seed]
                _, single = ref.run(*alone, clip_skip=clip_skip, eta=eta)
                assert np.array_equal(single[0], pixels[k]), f"{case['name']} image {k} != seed {seed} alone"
        print(f"{case['name']}: clip_skip {clip_skip}, eta {eta} passed to step: {case['eta_passed_to_step']}, "
              f"noise draws in the loop: {case['scheduler_noise_draws']}")
        call_cases.append(case)
    return call_cases


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--diffusers-git", required=True, help="a diffusers git dir (bare is fine)")
    ap.add_argument("--commit", default="HEAD")
    args = ap.parse_args()
    torch.set_num_threads(1)
    commit = diffusers_loader.resolve_commit(args.diffusers_git, args.commit)
    ref = Reference(args.diffusers_git, commit)
    out = os.path.join(MODEL, "goldens")
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        os.remove(os.path.join(out, f))

    cases, pixels_by_case = [], {}
    for spec in CASES:
        case, pixels = ref.run(*spec)
        case["images"] = []
        for k, px in enumerate(pixels):
            png = f"{case['name']}_{k}.png"
            Image.fromarray(px).save(os.path.join(out, png), format="PNG")
            case["images"].append(png)
        pixels_by_case[case["name"]] = pixels
        cases.append(case)

    # A list of generators: image k must be the image that seed k alone gives (diffusers randn_tensor).
    keys = ("scheduler", "num_inference_steps", "guidance_scale", "prompt", "negative_prompt", "original_size",
            "crops_coords_top_left", "target_size")
    for c in cases:
        if c["generator"] != "list":
            continue
        c["same_image_as"] = []
        for k, seed in enumerate(c["seeds"]):
            single = next((s for s in cases if s["generator"] == "single" and s["seeds"] == [seed]
                           and all(s[key] == c[key] for key in keys)), None)
            same = single is not None and np.array_equal(pixels_by_case[single["name"]][0],
                                                         pixels_by_case[c["name"]][k])
            c["same_image_as"].append(single["name"] if same else None)
            print(f"{c['name']} image {k}: {'== ' + single['name'] if same else 'no single-seed counterpart'}")
            assert single is None or same, "a seed list must give each seed's single image"

    texts = {}
    for c in cases:
        texts.setdefault(c["prompt"], (c["prompt_ids"], c["prompt_ids_2"]))
        if c["negative_ids"] is not None:
            texts.setdefault(c["negative_prompt"], (c["negative_ids"], c["negative_ids_2"]))
    provenance = {
        "generator": "tools/conformance/diffusion/reference_pipeline_sdxl.py",
        "model": "tiny-sdxl (tools/conformance/diffusion/make_tiny_sdxl.py)",
        "diffusers_commit": commit,
        "diffusers_sources": ref.sources,
        "torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(),
        "machine": platform.machine(),
        "torch_cpu": [l.strip() for l in torch.__config__.show().splitlines() if "CPU capability" in l],
        "tensor_layout": "flat row-major float32 values with their shape (NCHW for latents)",
    }
    doc = dict(provenance, tokenizations=[{"text": t, "input_ids": a, "input_ids_2": b}
                                          for t, (a, b) in texts.items()], cases=cases)
    with open(os.path.join(out, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    with open(os.path.join(out, "text_encoder.json"), "w", encoding="utf-8") as f:
        json.dump(dict(provenance, **text_encoder_golden(ref)), f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    call_cases = call_options(ref, out, pixels_by_case)
    with open(os.path.join(out, "call_options.json"), "w", encoding="utf-8") as f:
        json.dump(dict(provenance, cases=call_cases), f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    for c in cases + call_cases:
        print(f"{c['name']}: timesteps {c['timesteps'][:3]}..., final latents |max| "
              f"{max(abs(v) for v in c['final_latents']['data']):.3f}, decoded range {c['decoded_range']}")
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(MODEL) for f in fs)
    print(f"goldens written; tiny-sdxl is {total} bytes")


if __name__ == "__main__":
    main()
