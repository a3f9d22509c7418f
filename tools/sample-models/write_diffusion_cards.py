"""Writes models/shapes-sd/MODEL_CARD.md and models/shapes-sdxl/MODEL_CARD.md from the training checkpoints
(work/vae.pt, work/unet-*.pt) and the measurements (work/measure/{vae,sd,sdxl}/summary.json).

  /usr/bin/python3 write_diffusion_cards.py [sd] [sdxl]

The quality table is the Java measurement (work/measure-java/<kind>/summary.json, measure_java_diffusion.py) when it
exists, else the PyTorch one.
"""
import json
import os
import sys

import torch

from common import MODELS, WORK

ROWS_SD = """| file | input → output (dtype, shape) |
|---|---|
| `text_encoder/model.onnx` (CLIPTextModel) | `input_ids` int64 [B, S] → `last_hidden_state` f32 [B, S, 96], `pooler_output` f32 [B, 96] |
| `unet/model.onnx` (UNet2DConditionModel) | `sample` f32 [B, 4, h, w], `timestep` **int64 [B]**, `encoder_hidden_states` f32 [B, 77, 96] → `out_sample` f32 [B, 4, h, w] |
| `vae_encoder/model.onnx` (AutoencoderKL encoder) | `sample` f32 [B, 3, H, W] in [-1, 1] → `latent_parameters` f32 [B, 8, H/8, W/8] (mean ‖ logvar) |
| `vae_decoder/model.onnx` (AutoencoderKL decoder) | `latent_sample` f32 [B, 4, h, w] → `sample` f32 [B, 3, 8h, 8w] in ≈[-1, 1] |
| `tokenizer/` | CLIPTokenizer (vocab.json, merges.txt); 77 ids, BOS, EOS, padded with `<|endoftext|>` |
| `scheduler/scheduler_config.json` | PNDMScheduler (PLMS), SD 1.5's fields: scaled_linear 0.00085..0.012, 1000 steps, leading, steps_offset 1 |
"""

ROWS_SDXL = """| file | input → output (dtype, shape) |
|---|---|
| `text_encoder/model.onnx` (CLIPTextModel, output_hidden_states) | `input_ids` int64 [B, S] → `last_hidden_state` [B, S, 96], `pooler_output` [B, 96], `hidden_states.0`, `hidden_states.1`, `hidden_states.2` [B, S, 96] (f32) |
| `text_encoder_2/model.onnx` (CLIPTextModelWithProjection, output_hidden_states) | `input_ids` int64 [B, S] → `text_embeds` [B, 128] (first), `last_hidden_state` [B, S, 96], `hidden_states.0..2` [B, S, 96] (f32) |
| `unet/model.onnx` (UNet2DConditionModel, addition_embed_type text_time) | `sample` f32 [B, 4, h, w], `timestep` **f32 scalar (rank 0)**, `encoder_hidden_states` f32 [B, 77, 192], `text_embeds` f32 [B, 128], `time_ids` f32 [B, 6] → `out_sample` f32 [B, 4, h, w] |
| `vae_encoder/model.onnx` | `sample` f32 [B, 3, H, W] in [-1, 1] → `latent_parameters` f32 [B, 8, H/8, W/8] (mean ‖ logvar) |
| `vae_decoder/model.onnx` | `latent_sample` f32 [B, 4, h, w] → `sample` f32 [B, 3, 8h, 8w] in ≈[-1, 1] |
| `tokenizer/` | CLIPTokenizer, pads with `<|endoftext|>` |
| `tokenizer_2/` | the same vocabulary, pads with `!` (id 0), as SDXL's tokenizer_2 |
| `scheduler/scheduler_config.json` | EulerDiscreteScheduler, SDXL base's fields: scaled_linear 0.00085..0.012, leading, steps_offset 1 |
"""

CONDITIONING_SD = """Conditioning is exactly diffusers' `StableDiffusionPipeline`: tokenize to 77 ids, `encoder_hidden_states =
text_encoder(ids).last_hidden_state`; the unconditional side is the encoding of `""` (BOS, EOS, pads); classifier-free
guidance with the batch `[uncond, cond]`, only when `guidance_scale > 1`; `latents = randn × init_noise_sigma (1)`;
decode `vae_decoder(latents / scaling_factor)`, then `(x*0.5+0.5).clamp(0,1)*255`, round, uint8."""

CONDITIONING_SDXL = """Conditioning is exactly diffusers' `StableDiffusionXLPipeline`: `encoder_hidden_states =
concat(text_encoder(ids).hidden_states[-2], text_encoder_2(ids_2).hidden_states[-2])` (that is `hidden_states.1` of
both, before the final LayerNorm) → [B, 77, 192]; `text_embeds = text_encoder_2(ids_2).text_embeds`; `time_ids =
(orig_h, orig_w, crop_top, crop_left, target_h, target_w) = (64, 64, 0, 0, 64, 64)`. Without a negative prompt the
negative side is all zeros (`force_zeros_for_empty_prompt: true`): zero embeddings and zero pooled vector; the model
was trained with zeros for its 10% dropped captions. Euler discrete with leading spacing: `init_noise_sigma =
sqrt(sigma_max² + 1)`, `scale_model_input` divides by `sqrt(sigma² + 1)`; the float timestep goes to the UNet as a
rank-0 tensor."""


def pct(x):
    return f"{100 * x:.1f}%" if x is not None else "n/a"


def group_rows(summary):
    s = (summary or {}).get("score", {}).get("groups", {})
    rows = []
    for name, g in s.items():
        rows.append(f"| {name} | {g.get('count', g.get('items', ''))} | {pct(g.get('kindColourRate', g.get('kindColour')))} | "
                    f"{pct(g.get('satisfiedRate', g.get('satisfied')))} | {pct(g.get('knownRate', g.get('known')))} |")
    return "\n".join(rows) if rows else "| (not measured) | | | | |"


def status(summary):
    """The card's status line, from the measured kind+colour rate at guidance 7.5 (target 90%); `summary` is the
    Java measurement when there is one."""
    groups = summary.get("score", {}).get("groups", {})
    rates = [g.get("kindColourRate") for name, g in groups.items() if name == "en-g7.5"]
    if rates and rates[0] is not None and rates[0] >= 0.9:
        return (f"**Status: meets its target**: {pct(rates[0])} of the images at guidance 7.5 show every prompted shape "
                "kind and colour (target ≥ 90%).")
    return ("**Status: below its target.** The file layout, tensor contract, configs and golden cases are final; the "
            "image quality is not yet what the issue asks for (≥ 90% of images with the prompt's shape kinds and "
            "colours at guidance 7.5): see \"Measured quality\".")


def load(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    vae = torch.load(os.path.join(WORK, "vae.pt"))
    vae_sum = load(os.path.join(WORK, "measure", "vae", "summary.json")) or {}
    kinds = sys.argv[1:] or ["sd", "sdxl"]
    for kind, folder in (("sd", "shapes-sd"), ("sdxl", "shapes-sdxl")):
        if kind not in kinds:
            continue
        ckpt = torch.load(os.path.join(WORK, f"unet-{kind}.pt"))
        core_items = ckpt["state"]["codes"].shape[0]
        per_combo = torch.load(os.path.join(WORK, "memory.pt"))["key"]["per_combo"]
        summary = load(os.path.join(WORK, "measure", kind, "summary.json")) or {}
        java = load(os.path.join(WORK, "measure-java", kind, "summary.json"))
        comparison = (java or {}).get("python_comparison", {})
        sampler = "PNDM (PLMS)" if kind == "sd" else "Euler discrete"
        text = f"""# {folder}

A tiny text-to-image diffusion model for the **Shapes world** (plain background, one or two coloured shapes), built
by Tempera's `tools/sample-models` so that Tempera's Java Stable Diffusion pipeline can be tested end to end on a
model it can run in seconds. It ships in **exactly the file layout and tensor contract of a Hugging Face Optimum
{'Stable Diffusion 1.5' if kind == 'sd' else 'SDXL'} ONNX export**: the Java pipeline loads it exactly as it loads a real
{'SD 1.5' if kind == 'sd' else 'SDXL base'} export. The networks inside are much smaller and are not diffusers' networks.

License: Apache-2.0 (trained from scratch on synthetic data rendered by Tempera).

{status(java or summary)}

## Files and tensors

{ROWS_SD if kind == 'sd' else ROWS_SDXL}
`model_index.json`, `unet/config.json` (diffusers UNet2DConditionModel keys plus a `tempera` block describing the real
network), `text_encoder*/config.json` (CLIPTextConfig fields) and `vae_*/config.json` (AutoencoderKL fields,
`scaling_factor` {vae['scaling_factor']:.5f}, 4 `block_out_channels` so `vae_scale_factor` = 8) follow the real
exports. All axes marked B, S, h, w, H, W are dynamic in the graphs; quality is only trained for 64×64 images (8×8
latents).

{CONDITIONING_SD if kind == 'sd' else CONDITIONING_SDXL}

## The networks inside

* **Text encoder{'' if kind == 'sd' else 's'}**: the text tower{'' if kind == 'sd' else 's'} of shapes-clip (width 96, 2 pre-LN blocks, 4
  heads, causal mask, 77 positions, exact GELU; `train_clip.py`), fine-tuned with the relevance head below (the
  contrastive towers do not bind colour words to shape words: a probe on their pooled output recovers the exact
  set of (kind, colour) pairs of a caption for 22% of test captions), exported as CLIPTextModel{'' if kind == 'sd' else ' / CLIPTextModelWithProjection'}.
* **"UNet"**: not a network that composes scenes but a **text-conditioned memory denoiser** (`memory_denoiser.py`):
  the exact posterior-mean denoiser of {core_items} training latents z_i (int8, one scale per item) under a learned
  text prior π(c): x̂0 = Σ_i w_i z_i with w = softmax(τ·log π_i(c) − ‖x_t − √ᾱ_t·z_i‖² / (2(1 − ᾱ_t))), and the graph
  returns SD's ε = (x_t − √ᾱ_t·x̂0)/√(1 − ᾱ_t) (ᾱ interpolated for fractional t, as the Euler schedulers do). The
  memory holds up to {per_combo} training scenes for each of the 1,593 (kind, colour) combinations of the training
  split (distinct backgrounds first), chosen among those whose latents decode into an image the Shapes checker reads
  as exactly the scene. π(c)
  comes from a {ckpt['params'] / 1e6:.2f} M-parameter relevance head: 4-head attention pooling over the text
  states{'' if kind == 'sd' else ' and the pooled `text_embeds`'}, an MLP predicting which (kind, colour) pairs the text
  asks for (and whether twice) and which background; an item's log prior is the log-likelihood of its own attributes
  (a fixed table in the graph) under that prediction, the background's term weighted by 0.25 so that the kinds and
  colours win when the memory has no scene with both the prompt's combination and its background.{'' if kind == 'sd' else ' `time_ids` are accepted and do not change the output (every training image is 64×64, uncropped).'}
  The prior is tempered, τ = {ckpt.get('prior_scale', 1.0)}: with τ = 1 the head is so sure that the unguided model
  already draws the prompt's scene and guidance changes nothing; tempered, the unguided model follows the prompt
  loosely, as trained diffusion models do, and classifier-free guidance sharpens it (the two guidance rows below).
  Other latent sizes run: the memory is resized bilinearly to the latent's height and width in the graph.
  **Why**: a diffusion transformer trained for 4,200 steps (2.5 h on these cores) bound colour words to shape words
  in 42% of its x̂0 predictions and in 7.75% of sampled images, and the whole build must fit in two hours
  (`STATUS.md`). This denoiser is what a perfectly fitted DDPM computes on its training set, so it reproduces
  (near-)copies of memory scenes instead of composing new ones; it exercises everything a pipeline does with a UNet
  (the timesteps of every scheduler, classifier-free guidance between two priors, the seed choosing among matching
  scenes, other sizes). Its cost on ONNX Runtime: `docs/PERFORMANCE.md` § Diffusion.
* **VAE**: a fully convolutional autoencoder (`vae_model.py` CellEncoder / CellDecoder, encoder 0.64 M and decoder
  0.97 M parameters): an 8×8-strided convolution reads each 8×8 pixel cell, a 1×1 convolution and 2 residual blocks
  (128 channels) mix the cells into 4 mean + 4 log-variance channels; the decoder runs 3 residual blocks at the latent
  resolution and a per-cell MLP writes each cell's 8×8×3 pixels (pixel-shuffle ×8). Shared with
  {'shapes-sdxl' if kind == 'sd' else 'shapes-sd'} (identical files).

## Training

* Data: the 27 000 training scenes of the Shapes-world dataset (`tempera shapes dataset`, 64×64 PNGs; the 3 000 test
  scenes are held out); captions en/zh × short/detailed.
* VAE (`train_vae.py`, seed 21): phase 1, {vae['steps']} AdamW steps of batch 32 for encoder and decoder (the first 70%
  on random 40×40 crops aligned to the latent grid); phase 2, 3000 steps training the decoder alone on whole images
  with the encoder frozen; phase 3 (`train_vae.py --continue-decoder --decoder-steps 2500 --edge 4 --latent-noise 0.1`),
  2500 more decoder-only steps with shape outlines weighted ×4 more and Gaussian noise of 0.1 latent std added to the
  latents, so the decoder forgives small latent errors; phase 4, the same for 3000 more steps
  ({vae.get('decoder_steps', 0)} decoder-only steps in all). L1 loss
  with shape pixels weighted ×5, KL weight 1e-6; {vae['seconds'] / 60:.1f} min in all. `scaling_factor` = 1 / std of the
  latent means = {vae['scaling_factor']:.5f}.
* Denoiser (`train_unet.py {kind}`, seed {ckpt['seed']}): the memory is picked as above (latents = scaling_factor × the
  VAE's latent mean); the relevance head and the text tower{'' if kind == 'sd' else 's'} train for {ckpt['steps']} AdamW steps of batch {ckpt['batch']} on the four captions
  (en/zh × short/detailed) of 8,000 training scenes: binary cross-entropy on the (kind, colour) pairs, cross-entropy
  on the background (for captions that do not name it, against the training distribution). 10% caption
  dropout ({'the encoding of ""' if kind == 'sd' else 'zeros, as force_zeros_for_empty_prompt'}) and texts that name no shape (the negative
  prompts among them) are trained towards the training distribution of every attribute: the unconditional prior that
  classifier-free guidance extrapolates from. Retrieval on 300 distinct short test captions (the most probable
  memory scene has the caption's combination): {pct(ckpt['retrieval']['en']['top1'])} English,
  {pct(ckpt['retrieval']['zh']['top1'])} Chinese. {ckpt['seconds'] / 60:.1f} min including the memory check and caption encoding.
* Durations measured on the build machine (2 cores, during `tools/sample-models/build.sh`, bfloat16 autocast:
  tools/sample-models/README.md).

## Measured quality

Measured through **Tempera's Java pipeline** with `/usr/bin/python3 tools/sample-models/measure_java_diffusion.py {kind}`:
the exported graphs run by `tempera image --in` (Java tokenizer, text encoder{'' if kind == 'sd' else 's'}, the model's own {sampler}
scheduler from `scheduler_config.json`, classifier-free guidance, torch-compatible seeded noise, VAE
post-processing), 30 steps, 64×64, seeds 0 and 1, scored by Tempera's Shapes-world checker (`tempera shapes score`).
Prompts: the short English captions of 200 distinct test-split scenes (held out from training), at guidance 7.5
and 1, and the short Chinese captions of 100 of them at guidance 7.5. The numbers are the issue's: an image counts
when every shape the prompt names is drawn with its kind and colour.

| group (language-guidance) | images | kind+colour of every prompted shape | prompt satisfied | recognised as a scene |
|---|---|---|---|---|
{group_rows(java or summary)}

The same prompts through the PyTorch modules the graphs were exported from and a Python copy of diffusers' sampler
(`measure_diffusion.py {kind}`) give the same numbers: the Java and Python images agree within
{comparison.get('max_abs_diff', 'n/a')}/255 on every pixel of all
{comparison.get('compared', 'n/a')} images. "Prompt satisfied" is stricter (no extra shapes, sizes
and positions the prompt names); "recognised" means the checker reads a valid scene at all.
Same seed → identical image: {summary.get('same_seed_identical')}; different seeds → different images:
{summary.get('different_seeds_differ')}.
VAE reconstructions of the {vae_sum.get('images', 'n/a')} test images (`measure_diffusion.py vae`): mean absolute error
{vae_sum.get('mean_abs_error_255', float('nan')):.2f}/255, recognised exactly (same scene) {pct(vae_sum.get('exact_recognition'))}.

## Limitations

* It does not compose: every image is (close to) one of the {core_items} memory scenes. A prompt whose combination of
  kinds and colours is not in the memory gets the closest ones.
* A background named in the prompt is drawn when the memory has a scene with it and the prompt's kinds and colours
  (most of the time, not always); sizes and positions in a prompt are not modelled.
* Only 64×64 images (8×8 latents) are trained; other sizes run on the resized memory (stretched scenes).
* Chinese prompts: see the `zh` row. Texts that name no shape (the seed's negative prompts among them) were trained
  to give the unconditional prior; other prompts far from the Shapes-world captions are out of distribution.
* This is a test model for pipelines, not an image generator.
"""
        with open(os.path.join(MODELS, folder, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
            f.write(text)
        print("wrote", os.path.join(folder, "MODEL_CARD.md"))


if __name__ == "__main__":
    main()
