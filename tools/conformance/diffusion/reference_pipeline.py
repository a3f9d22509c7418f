"""Reference outputs for the tiny-sd fixture: diffusers' StableDiffusionPipeline, run on the tiny torch modules.

    /usr/bin/python3 tools/conformance/diffusion/reference_pipeline.py \
        --diffusers-git /work/.mirror/huggingface+diffusers/repo

Run make_tiny_sd.py first (this script reads tiny-sd/scheduler, tiny-sd/tokenizer and the configs it wrote). Writes
tempera-image/src/test/resources/tiny-sd/goldens/: cases.json, text_encoder.json, call_options.json (the cases of
`__call__`'s eta= and latents=, kept apart so that cases.json is unchanged by them), images_per_prompt.json (the cases
of num_images_per_prompt=2 with one generator, kept apart so that call_options.json is unchanged by them), the two
latent arrays those cases pass (latents_2x4x4x4.npy, latents_4x4x4.npy) and one PNG per image.

What is diffusers' own code and what is written here (README.md lists each choice with its diffusers line):
* diffusers' own, executed from the git dir: PNDMScheduler, EulerDiscreteScheduler, EulerAncestralDiscreteScheduler,
  DDIMScheduler (from_config of the saved scheduler config, as `pipe.scheduler = X.from_config(pipe.scheduler.config)`),
  `randn_tensor`, and of StableDiffusionPipeline `prepare_latents`, `prepare_extra_step_kwargs` and
  `do_classifier_free_guidance`; of VaeImageProcessor `denormalize`, `pt_to_numpy` and `numpy_to_pil`.
* written here, line for line after `StableDiffusionPipeline.encode_prompt` and `__call__`: prompt encoding with
  `[""]` as the unconditional prompt, the `[uncond..., cond...]` batch, the denoising loop and the CFG line.
* the tokenizer is tools/sample-models/bpe.py's CLIP tokenizer (checked against transformers.js by check_onnx.mjs).
* the networks are tiny_sd_modules.py's torch modules, the same weights make_tiny_sd.py exported. The UNet is called
  as the int64 graph is: int64 timestep of shape [batch], cast to float32 inside.
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
import tiny_sd_modules as m

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
MODEL = os.path.join(ROOT, "tempera-image", "src", "test", "resources", "tiny-sd")
sys.path.insert(0, os.path.join(ROOT, "tools", "sample-models"))
import bpe  # noqa: E402  (tools/sample-models/bpe.py: the CLIP tokenizer the shapes models were trained with)

PIPELINE = "src/diffusers/pipelines/stable_diffusion/pipeline_stable_diffusion.py"
IMAGE_PROCESSOR = "src/diffusers/image_processor.py"
HEIGHT = WIDTH = 32
PROMPT = "a red circle"
PROMPT_ZH = "一个美丽的日落海滩"
NEGATIVE = "a blue square, blurry"

SCHEDULERS = {"pndm": "PNDMScheduler", "euler": "EulerDiscreteScheduler", "euler_a": "EulerAncestralDiscreteScheduler",
              "ddim": "DDIMScheduler"}

# name, scheduler, steps, guidance, seeds (one generator per image), prompt, negative prompt
CASES = [
    ("pndm_10_g7.5_seed0", "pndm", 10, 7.5, [0], PROMPT, None),
    ("pndm_10_g7.5_seed1", "pndm", 10, 7.5, [1], PROMPT, None),
    ("pndm_10_g1_seed0", "pndm", 10, 1.0, [0], PROMPT, None),
    ("euler_8_g5_seed3_negative", "euler", 8, 5.0, [3], PROMPT, NEGATIVE),
    ("euler_a_6_g7.5_seed2", "euler_a", 6, 7.5, [2], PROMPT, None),
    ("pndm_10_g7.5_seed0_zh", "pndm", 10, 7.5, [0], PROMPT_ZH, None),
    ("pndm_10_g7.5_seeds_0_1", "pndm", 10, 7.5, [0, 1], PROMPT, None),
    ("euler_a_6_g7.5_seeds_2_0", "euler_a", 6, 7.5, [2, 0], PROMPT, None),
]

# The latents passed as `latents=`: drawn once from their own generator (seed 100, not one of the cases' seeds), so
# that they differ from what any case's generators would draw. Image 0's slice is the single-image array.
LATENTS_SEED = 100
LATENTS_FILES = {"latents_2x4x4x4.npy": (2, 4, 4, 4), "latents_4x4x4.npy": (4, 4, 4)}

# __call__'s eta= and latents= (written to call_options.json): the CASES fields, then eta and the latents file (or None)
CALL_CASES = [
    ("ddim_10_g7.5_eta0.5_seed0", "ddim", 10, 7.5, [0], PROMPT, None, 0.5, None),
    ("ddim_10_g7.5_eta0.5_seeds_0_1", "ddim", 10, 7.5, [0, 1], PROMPT, None, 0.5, None),
    ("euler_a_6_g7.5_seed2_eta0.5", "euler_a", 6, 7.5, [2], PROMPT, None, 0.5, None),
    ("euler_a_6_g7.5_seeds_2_0_latents", "euler_a", 6, 7.5, [2, 0], PROMPT, None, 0.0, "latents_2x4x4x4.npy"),
    ("pndm_10_g7.5_seed0_latents", "pndm", 10, 7.5, [0], PROMPT, None, 0.0, "latents_4x4x4.npy"),
]

# num_images_per_prompt=N with ONE generator (written to images_per_prompt.json): the CASES fields, then N. The seed
# is one generator for the whole batch: randn_tensor draws [N, 4, 4, 4] in one call, and Euler a one [N, ...] per step.
IMAGES_PER_PROMPT_CASES = [
    ("pndm_10_g7.5_seed0_x2", "pndm", 10, 7.5, [0], PROMPT, None, 2),
    ("euler_a_6_g7.5_seed2_x2", "euler_a", 6, 7.5, [2], PROMPT, None, 2),
]


def f32list(t):
    """float32 values as the shortest decimals that read back to the same float32."""
    a = t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    return [float(str(v)) for v in a.astype(np.float32).reshape(-1)]


def tensor(t):
    return {"shape": list(t.shape), "data": f32list(t)}


def load_json(*parts):
    with open(os.path.join(MODEL, *parts), encoding="utf-8") as f:
        return json.load(f)


def load_tokenizer():
    tok = bpe.ClipTokenizer.load(os.path.join(MODEL, "tokenizer"))
    vocab = load_json("tokenizer", "vocab.json")
    assert vocab == tok.encoder, "tokenizer/vocab.json does not match bpe.py's vocabulary built from merges.txt"
    config = load_json("tokenizer", "tokenizer_config.json")
    assert config["model_max_length"] == tok.max_length == 77
    assert tok.pad_id == vocab[config["pad_token"]] == m.EOS_TOKEN_ID
    return tok


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

        scope = {"torch": torch, "np": np, "inspect": __import__("inspect"), "Image": Image,
                 "randn_tensor": recording_randn_tensor}
        fn = lambda path, name: diffusers_loader.function_from(git_dir, commit, path, name, scope)  # noqa: E731
        self.prepare_latents = fn(PIPELINE, "StableDiffusionPipeline.prepare_latents")
        self.prepare_extra_step_kwargs = fn(PIPELINE, "StableDiffusionPipeline.prepare_extra_step_kwargs")
        self.do_classifier_free_guidance = fn(PIPELINE, "StableDiffusionPipeline.do_classifier_free_guidance")
        self.denormalize = fn(IMAGE_PROCESSOR, "VaeImageProcessor.denormalize")
        self.pt_to_numpy = fn(IMAGE_PROCESSOR, "VaeImageProcessor.pt_to_numpy")
        self.numpy_to_pil = fn(IMAGE_PROCESSOR, "VaeImageProcessor.numpy_to_pil")
        self.sources = {name: f"{path}:{getattr(self, name).diffusers_line}" for name, path in (
            ("prepare_latents", PIPELINE), ("prepare_extra_step_kwargs", PIPELINE),
            ("do_classifier_free_guidance", PIPELINE), ("denormalize", IMAGE_PROCESSOR),
            ("pt_to_numpy", IMAGE_PROCESSOR), ("numpy_to_pil", IMAGE_PROCESSOR))}

        self.tokenizer = load_tokenizer()
        self.modules = m.build_modules()
        self.unet_config = load_json("unet", "config.json")
        self.vae_config = load_json("vae_decoder", "config.json")
        self.vae_scale_factor = 2 ** (len(self.vae_config["block_out_channels"]) - 1)
        base = self.diffusers.PNDMScheduler.from_config(load_json("scheduler", "scheduler_config.json"))
        self.base_scheduler_config = base.config

    def scheduler(self, name):
        return getattr(self.diffusers, SCHEDULERS[name]).from_config(self.base_scheduler_config)

    def encode(self, text, n):
        """encode_prompt for one prompt: ids padded to 77, text_encoder(ids)[0], repeated n times."""
        ids = torch.tensor([self.tokenizer(text)], dtype=torch.int64)
        embeds = self.modules["text_encoder"](ids)[0]
        _, seq, _ = embeds.shape
        return ids[0].tolist(), embeds.repeat(1, n, 1).view(n, seq, -1)

    def unet(self, latent_model_input, t, prompt_embeds):
        t64 = t.to(torch.int64)
        assert float(t64) == float(t), f"timestep {float(t)} is not an integer: the int64 graph would truncate it"
        batch = latent_model_input.shape[0]
        return m.UNetInt64Timestep(self.modules["unet"])(latent_model_input, t64.reshape(1).expand(batch),
                                                         prompt_embeds)

    @torch.no_grad()
    def run(self, name, scheduler_name, steps, guidance_scale, seeds, prompt, negative_prompt, eta=0.0,
            latents=None, images_per_prompt=1):
        """One __call__. `eta` goes to prepare_extra_step_kwargs, which passes it on only to a scheduler whose step
        takes it (DDIM); `latents` [n, 4, 4, 4] replace the drawn noise (prepare_latents' latents= argument);
        `images_per_prompt` is num_images_per_prompt, with the one seed's single generator."""
        assert images_per_prompt == 1 or len(seeds) == 1, "num_images_per_prompt > 1 takes one generator here"
        n = len(seeds) * images_per_prompt  # batch_size (1 prompt) * num_images_per_prompt, or one image per seed
        # one CPU generator per seed; a single generator when there is one seed (randn_tensor treats a list of
        # length 1 as a single generator, so both give the same numbers)
        generators = [torch.Generator().manual_seed(s) for s in seeds]
        generator = generators if len(seeds) > 1 else generators[0]
        shim = types.SimpleNamespace(_guidance_scale=guidance_scale, vae_scale_factor=self.vae_scale_factor,
                                     unet=types.SimpleNamespace(config=types.SimpleNamespace(
                                         time_cond_proj_dim=self.unet_config["time_cond_proj_dim"])))
        cfg = self.do_classifier_free_guidance(shim)

        prompt_ids, prompt_embeds = self.encode(prompt, n)
        negative_ids, uncond_text = None, None
        if cfg:
            uncond_text = "" if negative_prompt is None else negative_prompt
            negative_ids, negative_embeds = self.encode(uncond_text, n)
            prompt_embeds = torch.cat([negative_embeds, prompt_embeds])

        shim.scheduler = scheduler = self.scheduler(scheduler_name)
        scheduler.set_timesteps(steps, device="cpu")
        timesteps = scheduler.timesteps
        self.drawn.clear()
        given = latents
        latents = self.prepare_latents(shim, n, self.unet_config["in_channels"], HEIGHT, WIDTH,
                                       prompt_embeds.dtype, torch.device("cpu"), generator, given)
        assert len(self.drawn) == (0 if given is not None else 1)
        initial_noise = given if given is not None else self.drawn[0]
        draws_before_loop = len(self.drawn)
        extra_step_kwargs = self.prepare_extra_step_kwargs(shim, generator, eta)

        case = {"name": name, "scheduler": scheduler_name, "scheduler_class": type(scheduler).__name__,
                "num_inference_steps": steps, "guidance_scale": guidance_scale,
                "do_classifier_free_guidance": cfg, "prompt": prompt, "negative_prompt": negative_prompt,
                "uncond_text": uncond_text, "seeds": seeds, "generator": "list" if len(seeds) > 1 else "single",
                "height": HEIGHT, "width": WIDTH, "prompt_ids": prompt_ids, "negative_ids": negative_ids,
                "timesteps": [float(t) for t in timesteps.numpy().astype(np.float64)],
                "init_noise_sigma": f32list(torch.tensor(float(scheduler.init_noise_sigma)))[0],
                "initial_noise": tensor(initial_noise), "initial_latents": tensor(latents)}
        for i, t in enumerate(timesteps):
            latent_model_input = torch.cat([latents] * 2) if cfg else latents
            latent_model_input = scheduler.scale_model_input(latent_model_input, t)
            unet_out = self.unet(latent_model_input, t, prompt_embeds)
            noise_pred = unet_out
            if cfg:
                noise_pred_uncond, noise_pred_text = noise_pred.chunk(2)
                noise_pred = noise_pred_uncond + guidance_scale * (noise_pred_text - noise_pred_uncond)
            latents = scheduler.step(noise_pred, t, latents, **extra_step_kwargs, return_dict=False)[0]
            if i == 0:
                case["step_1"] = {"unet_timestep": int(t), "unet_out_sample": tensor(unet_out),
                                  "noise_pred": tensor(noise_pred), "latents": tensor(latents)}
        case["unet_calls"] = len(timesteps)
        case["scheduler_noise_draws"] = len(self.drawn) - draws_before_loop
        case["final_latents"] = tensor(latents)
        if images_per_prompt != 1:
            case["num_images_per_prompt"] = images_per_prompt
        if eta != 0.0 or given is not None:
            case["eta"] = eta
            case["eta_passed_to_step"] = "eta" in extra_step_kwargs
            case["given_latents"] = given is not None

        image = self.modules["vae_decoder"](latents / self.vae_config["scaling_factor"])
        pixels = [np.asarray(p) for p in self.numpy_to_pil(self.pt_to_numpy(self.denormalize(image)))]
        case["decoded_range"] = [f32list(image.min())[0], f32list(image.max())[0]]
        return case, pixels


def text_encoder_golden(ref):
    """last_hidden_state rows 0..7 (BOS, the three words, EOS, three pads) and pooler_output for PROMPT."""
    ids = torch.tensor([ref.tokenizer(PROMPT)], dtype=torch.int64)
    with torch.no_grad():
        hidden, pooled = ref.modules["text_encoder"](ids)
    return {"text": PROMPT, "input_ids": ids[0].tolist(), "rows": 8,
            "last_hidden_state_rows": tensor(hidden[:, :8]), "pooler_output": tensor(pooled)}


def call_options(ref, out, cases, pixels_by_case):
    """The CALL_CASES, each compared with the case it must equal: a seed list's image k with the single-seed case of
    the same call, and a non-DDIM case with eta > 0 with the same call at eta 0 (diffusers drops eta there)."""
    base = torch.randn(LATENTS_FILES["latents_2x4x4x4.npy"], generator=torch.Generator().manual_seed(LATENTS_SEED))
    arrays = {"latents_2x4x4x4.npy": base, "latents_4x4x4.npy": base[0].clone()}
    for file, shape in LATENTS_FILES.items():
        assert tuple(arrays[file].shape) == shape
        np.save(os.path.join(out, file), arrays[file].numpy().astype(np.float32))
    call_cases = []
    for (*spec, eta, latents_file) in CALL_CASES:
        n = len(spec[4])
        latents = None
        if latents_file is not None:
            latents = arrays[latents_file].reshape(n, 4, HEIGHT // 8, WIDTH // 8)  # a [4, h, w] file is one image
        case, pixels = ref.run(*spec, eta=eta, latents=latents)
        case["latents_file"] = latents_file
        case["images"] = []
        for k, px in enumerate(pixels):
            png = f"{case['name']}_{k}.png"
            Image.fromarray(px).save(os.path.join(out, png), format="PNG")
            case["images"].append(png)
        pixels_by_case[case["name"]] = pixels
        call_cases.append(case)

    keys = ("scheduler", "num_inference_steps", "guidance_scale", "prompt", "negative_prompt")
    for c in call_cases:
        if c["generator"] == "list" and not c["given_latents"]:
            c["same_image_as"] = []
            for k, seed in enumerate(c["seeds"]):
                single = next((s for s in call_cases if s["generator"] == "single" and s["seeds"] == [seed]
                               and s["eta"] == c["eta"] and not s["given_latents"]
                               and all(s[key] == c[key] for key in keys)), None)
                same = single is not None and np.array_equal(pixels_by_case[single["name"]][0],
                                                             pixels_by_case[c["name"]][k])
                assert single is None or same, f"{c['name']} image {k} differs from {single['name']}"
                c["same_image_as"].append(single["name"] if same else None)
        if c["eta"] != 0 and not c["eta_passed_to_step"]:
            plain = next(s for s in cases if s["seeds"] == c["seeds"] and all(s[key] == c[key] for key in keys))
            same = all(np.array_equal(a, b) for a, b in zip(pixels_by_case[plain["name"]], pixels_by_case[c["name"]]))
            assert same, f"{c['name']}: diffusers dropped eta, so it must equal {plain['name']}"
            c["same_image_as"] = [plain["name"]]
        print(f"{c['name']}: eta {c['eta']} passed to step: {c['eta_passed_to_step']}, given latents: "
              f"{c['latents_file']}, noise draws in the loop: {c['scheduler_noise_draws']}, "
              f"same image as {c.get('same_image_as')}")
    return call_cases


def images_per_prompt(ref, out, cases, pixels_by_case):
    """The IMAGES_PER_PROMPT_CASES, each compared with the single-seed case of the same call: with PNDM (no per-step
    noise) image 0 is that image, since torch.randn([2, ...]) starts with the numbers randn([1, ...]) draws; with
    Euler a the per-step draws interleave the two images, so image 0 must differ. Image 1 has no such twin."""
    ipp_cases = []
    keys = ("scheduler", "num_inference_steps", "guidance_scale", "prompt", "negative_prompt", "seeds")
    for (*spec, count) in IMAGES_PER_PROMPT_CASES:
        case, pixels = ref.run(*spec, images_per_prompt=count)
        assert case["generator"] == "single" and len(pixels) == count
        case["images"] = []
        for k, px in enumerate(pixels):
            png = f"{case['name']}_{k}.png"
            Image.fromarray(px).save(os.path.join(out, png), format="PNG")
            case["images"].append(png)
        single = next(s for s in cases if s["generator"] == "single" and all(s[key] == case[key] for key in keys))
        same = np.array_equal(pixels_by_case[single["name"]][0], pixels[0])
        assert same == (case["scheduler_noise_draws"] == 0), f"{case['name']} image 0 vs {single['name']}: {same}"
        case["image_0_same_as_single_seed"] = {"case": single["name"], "same": bool(same)}
        print(f"{case['name']}: noise draws in the loop {case['scheduler_noise_draws']}, image 0 "
              f"{'==' if same else '!='} {single['name']}")
        ipp_cases.append(case)
    return ipp_cases


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

    # A list of generators: image k must be the image that seed k alone gives (diffusers randn_tensor, l.220-227).
    by_name = {c["name"]: c for c in cases}
    for c in cases:
        if c["generator"] != "list":
            continue
        c["same_image_as"] = []
        for k, seed in enumerate(c["seeds"]):
            single = next((s for s in cases if s["generator"] == "single" and s["seeds"] == [seed]
                           and all(s[key] == c[key] for key in ("scheduler", "num_inference_steps",
                                                               "guidance_scale", "prompt", "negative_prompt"))),
                          None)
            if single is None:
                c["same_image_as"].append(None)
                continue
            same = np.array_equal(pixels_by_case[single["name"]][0], pixels_by_case[c["name"]][k])
            c["same_image_as"].append(single["name"] if same else None)
            print(f"{c['name']} image {k} {'==' if same else '!='} {single['name']}")

    texts = {}
    for c in cases:
        texts.setdefault(c["prompt"], c["prompt_ids"])
        if c["uncond_text"] is not None:
            texts.setdefault(c["uncond_text"], c["negative_ids"])
    provenance = {
        "generator": "tools/conformance/diffusion/reference_pipeline.py",
        "model": "tiny-sd (tools/conformance/diffusion/make_tiny_sd.py)",
        "diffusers_commit": commit,
        "diffusers_sources": ref.sources,
        "torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(),
        "machine": platform.machine(),
        "torch_cpu": [l.strip() for l in torch.__config__.show().splitlines() if "CPU capability" in l],
        "tensor_layout": "flat row-major float32 values with their shape (NCHW for latents)",
    }
    doc = dict(provenance, tokenizations=[{"text": t, "input_ids": ids} for t, ids in texts.items()], cases=cases)
    with open(os.path.join(out, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    with open(os.path.join(out, "text_encoder.json"), "w", encoding="utf-8") as f:
        json.dump(dict(provenance, **text_encoder_golden(ref)), f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    call_cases = call_options(ref, out, cases, pixels_by_case)
    with open(os.path.join(out, "call_options.json"), "w", encoding="utf-8") as f:
        json.dump(dict(provenance, latents_seed=LATENTS_SEED, cases=call_cases), f, ensure_ascii=False,
                  separators=(",", ":"))
        f.write("\n")
    ipp_cases = images_per_prompt(ref, out, cases, pixels_by_case)
    with open(os.path.join(out, "images_per_prompt.json"), "w", encoding="utf-8") as f:
        json.dump(dict(provenance, cases=ipp_cases), f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    for c in cases + call_cases + ipp_cases:
        print(f"{c['name']}: timesteps {c['timesteps'][:3]}..., final latents |max| "
              f"{max(abs(v) for v in c['final_latents']['data']):.3f}, decoded range {c['decoded_range']}")
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(MODEL) for f in fs)
    print(f"goldens written; tiny-sd is {total} bytes")


if __name__ == "__main__":
    main()
