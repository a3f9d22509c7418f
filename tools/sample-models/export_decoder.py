"""Exports the trained decoder (work/decoder.pt) as shapes-vl and shapes-lm, with golden cases.

models/shapes-vl/ (onnx-community / transformers.js Qwen2-VL layout):
  onnx/vision_encoder.onnx        pixel_values f32 [N, 1176], grid_thw i64 [I, 3] → image_features f32 [N/4, H]
  onnx/embed_tokens.onnx          input_ids i64 [B, S] → inputs_embeds f32 [B, S, H]
  onnx/decoder_model_merged.onnx  inputs_embeds, attention_mask i64 [B, P+S], position_ids i64 [3, B, S],
                                  past_key_values.{i}.key/.value [B, KV, P, D] → logits, present.{i}.key/.value
models/shapes-lm/ (Optimum's current decoder-only layout):
  model.onnx                      input_ids, attention_mask, position_ids i64 [B, S], past → logits, present

    /usr/bin/python3 tools/sample-models/export_decoder.py [--checkpoint work/decoder.pt]
"""
import argparse
import os
import shutil

import numpy as np
import torch
from PIL import Image

import bpe
import prompts
from common import DATA, MODELS, WORK, Dataset, log, save_json, setup
from decoder_model import (ShapesVL, chat_prompt, expand_image_pads, get_rope_index, preprocess_image,
                           text_position_ids)
from export import export, golden
from train_decoder import PHASES

VL = os.path.join(MODELS, "shapes-vl")
LM = os.path.join(MODELS, "shapes-lm")
TRACE_PAST = 3  # traced with a non-empty past; the graphs take past length 0 as well (golden prefill cases)


class VisionGraph(torch.nn.Module):
    def __init__(self, vision):
        super().__init__()
        self.vision = vision

    def forward(self, pixel_values, grid_thw):
        return self.vision(pixel_values, grid_thw)


class EmbedGraph(torch.nn.Module):
    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, input_ids):
        return self.decoder.embed_tokens(input_ids)


class DecoderGraph(torch.nn.Module):
    """decoder_model_merged: inputs_embeds, attention_mask, position_ids [3, B, S], past... → logits, present..."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, inputs_embeds, attention_mask, position_ids, *past):
        pairs = [(past[2 * i], past[2 * i + 1]) for i in range(len(past) // 2)]
        logits, presents = self.decoder(inputs_embeds, attention_mask, position_ids, pairs)
        return (logits,) + tuple(t for kv in presents for t in kv)


class LMGraph(torch.nn.Module):
    """model.onnx: input_ids, attention_mask, position_ids [B, S] (1-D RoPE = three equal M-RoPE rows), past..."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, input_ids, attention_mask, position_ids, *past):
        pairs = [(past[2 * i], past[2 * i + 1]) for i in range(len(past) // 2)]
        embeds = self.decoder.embed_tokens(input_ids)
        pos = position_ids.unsqueeze(0).expand(3, -1, -1)
        logits, presents = self.decoder(embeds, attention_mask, pos, pairs)
        return (logits,) + tuple(t for kv in presents for t in kv)


def kv_names(layers):
    past = [f"past_key_values.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]
    present = [f"present.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]
    return past, present


def kv_axes(layers):
    past, present = kv_names(layers)
    axes = {n: {0: "batch_size", 2: "past_sequence_length"} for n in past}
    axes.update({n: {0: "batch_size", 2: "past_sequence_length + sequence_length"} for n in present})
    return axes


def empty_past(decoder, batch, length=0):
    c = decoder.config
    return [torch.zeros(batch, c["num_key_value_heads"], length, c["head_dim"]) for _ in
            range(2 * c["num_hidden_layers"])]


def token_ids(tok):
    names = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>",
             "<|image_pad|>", "<|video_pad|>"]
    return {n: tok.id(n) for n in names}


def left_pad(rows, pad):
    n = max(len(r) for r in rows)
    ids = torch.tensor([[pad] * (n - len(r)) + r for r in rows])
    mask = torch.tensor([[0] * (n - len(r)) + [1] * len(r) for r in rows])
    return ids, mask


def text_config(decoder, tok, ids, max_positions=2048):
    c = decoder.config
    return {
        "vocab_size": c["vocab_size"], "hidden_size": c["hidden_size"], "intermediate_size": c["intermediate_size"],
        "num_hidden_layers": c["num_hidden_layers"], "num_attention_heads": c["num_attention_heads"],
        "num_key_value_heads": c["num_key_value_heads"], "hidden_act": "silu", "rms_norm_eps": c["rms_norm_eps"],
        "rope_theta": c["rope_theta"], "max_position_embeddings": max_positions, "initializer_range": 0.02,
        "attention_dropout": 0.0, "use_cache": True, "use_sliding_window": False, "sliding_window": max_positions,
        "max_window_layers": c["num_hidden_layers"], "tie_word_embeddings": True,
        "bos_token_id": ids["<|endoftext|>"], "eos_token_id": ids["<|im_end|>"], "torch_dtype": "float32",
        "transformers_version": "4.45.0",
    }


def generation_config(ids):
    return {"bos_token_id": ids["<|endoftext|>"], "eos_token_id": [ids["<|im_end|>"], ids["<|endoftext|>"]],
            "pad_token_id": ids["<|endoftext|>"], "do_sample": False, "temperature": 1.0, "top_k": 50,
            "top_p": 1.0, "max_new_tokens": 64, "transformers_version": "4.45.0"}


def copy_tokenizer(out):
    src = os.path.join(WORK, "tokenizers", "qwen")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(src, name), os.path.join(out, name))


def tempera_block(model, ckpt, which):
    c = model.decoder.config
    block = {
        "note": ("Tiny Shapes-world model in the exact file layout and tensor contract of a real export; the "
                 "network inside is ours (see MODEL_CARD.md)."),
        "decoder": {"layers": c["num_hidden_layers"], "hidden": c["hidden_size"], "heads": c["num_attention_heads"],
                    "kv_heads": c["num_key_value_heads"], "head_dim": c["head_dim"],
                    "intermediate": c["intermediate_size"], "norm": "RMSNorm", "mlp": "SwiGLU",
                    "qkv_bias": True, "rope": "M-RoPE (rotate_half), mrope_section " + str(c["mrope_section"]),
                    "tied_embeddings": True},
        "training": {
            "recipe": "tools/sample-models/train_decoder.py PHASES: " + "; ".join(
                f"phase {n}: {cfg}" for n, cfg in sorted(PHASES.items())),
            "last_phase": {k: ckpt.get(k) for k in ("steps", "batch", "lr", "seconds", "threads")}},
    }
    if which == "vl":
        v = model.vision.config
        block["vision_encoder"] = {
            "patch_embed": "Linear(1176 → %d), GELU, Linear(→ %d)" % (2 * v["embed_dim"], v["embed_dim"]),
            "positions": "learned row/column embeddings computed from grid_thw in the graph",
            "blocks": "%d pre-LN transformer blocks, %d heads, attention only within one image (from grid_thw)"
                      % (v["depth"], v["num_heads"]),
            "merger": "Qwen2-VL PatchMerger: LayerNorm, 4 consecutive patches (one 2×2 block) concatenated, "
                      "Linear-GELU-Linear → %d" % v["hidden_size"]}
    else:
        block["shared_with"] = "shapes-vl (the same decoder weights; positions are 1-D here)"
    return block


def write_vl(model, tok, data, ckpt):
    ids = token_ids(tok)
    dec = model.decoder
    c = dec.config
    layers = c["num_hidden_layers"]
    shutil.rmtree(os.path.join(VL, "onnx"), ignore_errors=True)
    os.makedirs(os.path.join(VL, "onnx"))
    test = data.split("test")
    images = data.images()

    # vision encoder: one 64×64 scene (→ 112×112, grid 1×8×8) and, for two images, a 64×128 strip of two scenes
    # (→ 84×168, grid 1×6×12), so the layout really depends on grid_thw.
    pv1, g1 = preprocess_image(images[test[0]])
    strip = np.concatenate([images[test[1]], images[test[2]]], axis=1)
    pv2, g2 = preprocess_image(strip)
    pixel_one, grid_one = torch.from_numpy(pv1), torch.tensor([g1])
    pixel_two, grid_two = torch.from_numpy(np.concatenate([pv1, pv2])), torch.tensor([g1, g2])
    vision_path = os.path.join(VL, "onnx", "vision_encoder.onnx")
    export(VisionGraph(model.vision), vision_path, [pixel_two, grid_two], ["pixel_values", "grid_thw"],
           ["image_features"], {"pixel_values": {0: "num_patches"}, "grid_thw": {0: "num_images"},
                                "image_features": {0: "num_image_tokens"}})
    with torch.no_grad():
        for name, pv, grid in (("one-image", pixel_one, grid_one), ("two-images", pixel_two, grid_two)):
            golden(f"shapes-vl/vision_encoder-{name}", vision_path, {"pixel_values": pv, "grid_thw": grid},
                   {"image_features": model.vision(pv, grid)},
                   note="grid_thw " + str(grid.tolist()) + "; preprocessing as decoder_model.preprocess_image")

    # embed_tokens
    prompt_en = chat_prompt(prompts.DESCRIBE_EN[0], image=True)
    prompt_zh = chat_prompt(prompts.DESCRIBE_ZH[0], image=True)
    row_en = expand_image_pads(tok.encode(prompt_en), ids["<|image_pad|>"], [g1])
    row_zh = expand_image_pads(tok.encode(prompt_zh), ids["<|image_pad|>"], [g1])
    input_ids = torch.tensor([row_en])
    embed_path = os.path.join(VL, "onnx", "embed_tokens.onnx")
    export(EmbedGraph(dec), embed_path, [input_ids], ["input_ids"], ["inputs_embeds"],
           {"input_ids": {0: "batch_size", 1: "sequence_length"}, "inputs_embeds": {0: "batch_size",
                                                                                   1: "sequence_length"}})
    with torch.no_grad():
        golden("shapes-vl/embed_tokens", embed_path, {"input_ids": input_ids},
               {"inputs_embeds": dec.embed_tokens(input_ids)}, note="the templated English prompt, 16 image tokens")

    # decoder_model_merged
    past_names, present_names = kv_names(layers)
    dec_path = os.path.join(VL, "onnx", "decoder_model_merged.onnx")
    graph = DecoderGraph(dec)
    trace_past = [torch.randn(p.shape[0], p.shape[1], TRACE_PAST, p.shape[3]) * 0.1 for p in empty_past(dec, 1)]
    s = input_ids.shape[1]
    trace_pos = torch.arange(TRACE_PAST, TRACE_PAST + s).view(1, 1, s).expand(3, 1, s).contiguous()
    axes = {"inputs_embeds": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "past_sequence_length + sequence_length"},
            "position_ids": {1: "batch_size", 2: "sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    axes.update(kv_axes(layers))
    export(graph, dec_path, [dec.embed_tokens(input_ids).detach(), torch.ones(1, TRACE_PAST + s, dtype=torch.long),
                             trace_pos] + trace_past,
           ["inputs_embeds", "attention_mask", "position_ids"] + past_names, ["logits"] + present_names, axes)

    def vl_embeds(rows, mask, features):
        emb = dec.embed_tokens(rows)
        where = rows == ids["<|image_pad|>"]
        emb[where] = features
        return emb

    with torch.no_grad():
        feats = model.vision(pixel_one, grid_one)
        # batch 1 prefill + decode step
        pos, delta = get_rope_index(row_en, [g1], ids["<|image_pad|>"], ids["<|vision_start|>"])
        emb = vl_embeds(input_ids, None, feats)
        mask = torch.ones(1, s, dtype=torch.long)
        position_ids = torch.from_numpy(pos).unsqueeze(1)
        out = graph(emb, mask, position_ids, *empty_past(dec, 1))
        feeds = {"inputs_embeds": emb, "attention_mask": mask, "position_ids": position_ids}
        feeds.update(dict(zip(past_names, empty_past(dec, 1))))
        golden("shapes-vl/decoder-prefill", dec_path, feeds, dict(zip(["logits"] + present_names, out)),
               note=f"'{prompts.DESCRIBE_EN[0]}' with one image (16 tokens), M-RoPE positions, rope_delta {delta}")
        nxt = out[0][:, -1].argmax(-1, keepdim=True)
        emb1 = dec.embed_tokens(nxt)
        mask1 = torch.ones(1, s + 1, dtype=torch.long)
        pos1 = torch.full((3, 1, 1), s + delta, dtype=torch.long)
        out1 = graph(emb1, mask1, pos1, *out[1:])
        feeds = {"inputs_embeds": emb1, "attention_mask": mask1, "position_ids": pos1}
        feeds.update(dict(zip(past_names, out[1:])))
        golden("shapes-vl/decoder-decode", dec_path, feeds, dict(zip(["logits"] + present_names, out1)),
               note=f"one step after decoder-prefill: token {int(nxt)}, positions cache_len + rope_delta = "
                    f"{s + delta} in all three rows")
        # batch 2 prefill, English and Chinese prompt, left padding
        rows, mask2 = left_pad([row_en, row_zh], ids["<|endoftext|>"])
        feats2 = model.vision(torch.cat([pixel_one, torch.from_numpy(preprocess_image(images[test[3]])[0])]),
                              torch.tensor([g1, g1]))
        emb2 = vl_embeds(rows, mask2, feats2)
        pos2 = torch.stack([torch.from_numpy(get_rope_index(r.tolist(), [g1], ids["<|image_pad|>"],
                                                            ids["<|vision_start|>"], m.tolist())[0])
                            for r, m in zip(rows, mask2)], dim=1)
        out2 = graph(emb2, mask2, pos2, *empty_past(dec, 2))
        feeds = {"inputs_embeds": emb2, "attention_mask": mask2, "position_ids": pos2}
        feeds.update(dict(zip(past_names, empty_past(dec, 2))))
        golden("shapes-vl/decoder-prefill-batch2", dec_path, feeds, dict(zip(["logits"] + present_names, out2)),
               note="English + Chinese describe prompts, two images, left padding (padded positions 1)")

    tc = text_config(dec, tok, ids)
    save_json(os.path.join(VL, "config.json"), dict(
        {"architectures": ["Qwen2VLForConditionalGeneration"], "model_type": "qwen2_vl"}, **tc,
        rope_scaling={"type": "mrope", "mrope_section": c["mrope_section"]},
        image_token_id=ids["<|image_pad|>"], video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"], vision_end_token_id=ids["<|vision_end|>"],
        vision_token_id=ids["<|vision_pad|>"],
        vision_config={"depth": model.vision.config["depth"], "embed_dim": model.vision.config["embed_dim"],
                       "hidden_size": c["hidden_size"], "hidden_act": "gelu", "mlp_ratio": 4,
                       "num_heads": model.vision.config["num_heads"], "in_chans": 3, "in_channels": 3,
                       "patch_size": 14, "spatial_patch_size": 14, "spatial_merge_size": 2,
                       "temporal_patch_size": 2},
        tempera=tempera_block(model, ckpt, "vl")))
    save_json(os.path.join(VL, "generation_config.json"), generation_config(ids))
    save_json(os.path.join(VL, "preprocessor_config.json"), {
        "image_processor_type": "Qwen2VLImageProcessor", "processor_class": "Qwen2VLProcessor",
        "do_convert_rgb": True, "do_resize": True, "resample": 3, "do_rescale": True, "rescale_factor": 1 / 255,
        "do_normalize": True, "image_mean": [0.48145466, 0.4578275, 0.40821073],
        "image_std": [0.26862954, 0.26130258, 0.27577711], "min_pixels": 12544, "max_pixels": 16384,
        "size": {"shortest_edge": 12544, "longest_edge": 16384}, "patch_size": 14, "temporal_patch_size": 2,
        "merge_size": 2})
    copy_tokenizer(VL)


def write_lm(model, tok, data, ckpt):
    ids = token_ids(tok)
    dec = model.decoder
    c = dec.config
    layers = c["num_hidden_layers"]
    os.makedirs(LM, exist_ok=True)
    for old in ("model.onnx", "onnx"):
        p = os.path.join(LM, old)
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)
    test = data.split("test")
    caps_a, caps_b = data.captions(test[0]), data.captions(test[1])
    row_a = tok.encode(chat_prompt(prompts.EXPAND_EN[0].format(caps_a[0])))
    row_b = tok.encode(chat_prompt(prompts.EXPAND_ZH[0].format(caps_b[2])))
    past_names, present_names = kv_names(layers)
    path = os.path.join(LM, "model.onnx")
    graph = LMGraph(dec)
    rows, mask = left_pad([row_a, row_b], ids["<|endoftext|>"])
    s = rows.shape[1]
    trace_past = [torch.randn(p.shape[0], p.shape[1], TRACE_PAST, p.shape[3]) * 0.1 for p in empty_past(dec, 2)]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "past_sequence_length + sequence_length"},
            "position_ids": {0: "batch_size", 1: "sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    axes.update(kv_axes(layers))
    export(graph, path, [rows, torch.ones(2, TRACE_PAST + s, dtype=torch.long),
                         torch.arange(TRACE_PAST, TRACE_PAST + s).view(1, s).expand(2, s).contiguous()] + trace_past,
           ["input_ids", "attention_mask", "position_ids"] + past_names, ["logits"] + present_names, axes)
    with torch.no_grad():
        pos = text_position_ids(mask)
        out = graph(rows, mask, pos, *empty_past(dec, 2))
        feeds = {"input_ids": rows, "attention_mask": mask, "position_ids": pos}
        feeds.update(dict(zip(past_names, empty_past(dec, 2))))
        golden("shapes-lm/model-prefill-batch2", path, feeds, dict(zip(["logits"] + present_names, out)),
               note="English + Chinese expand prompts, left padding; position_ids cumsum(mask)-1, padded 1")
        nxt = out[0][:, -1].argmax(-1, keepdim=True)
        mask1 = torch.cat([mask, torch.ones(2, 1, dtype=torch.long)], dim=1)
        pos1 = text_position_ids(mask1)[:, -1:]
        out1 = graph(nxt, mask1, pos1, *out[1:])
        feeds = {"input_ids": nxt, "attention_mask": mask1, "position_ids": pos1}
        feeds.update(dict(zip(past_names, out[1:])))
        golden("shapes-lm/model-decode-batch2", path, feeds, dict(zip(["logits"] + present_names, out1)),
               note="one step after model-prefill-batch2 (greedy tokens), past = its presents")
        single = torch.tensor([row_a])
        pos_s = torch.arange(single.shape[1]).view(1, -1)
        out_s = graph(single, torch.ones_like(single), pos_s, *empty_past(dec, 1))
        feeds = {"input_ids": single, "attention_mask": torch.ones_like(single), "position_ids": pos_s}
        feeds.update(dict(zip(past_names, empty_past(dec, 1))))
        golden("shapes-lm/model-prefill", path, feeds, dict(zip(["logits"] + present_names, out_s)),
               note="batch 1, no padding")
    tc = text_config(dec, tok, ids)
    save_json(os.path.join(LM, "config.json"), dict(
        {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2"}, **tc, rope_scaling=None,
        tempera=tempera_block(model, ckpt, "lm")))
    save_json(os.path.join(LM, "generation_config.json"), generation_config(ids))
    copy_tokenizer(LM)


def load(checkpoint):
    ckpt = torch.load(checkpoint)
    model = ShapesVL(ckpt["vocab"])
    model.load_state_dict(ckpt["state"])
    model.eval()
    return model, ckpt


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", default=os.path.join(WORK, "decoder.pt"))
    args = parser.parse_args(argv)
    setup(29)
    tok = bpe.QwenTokenizer.load(os.path.join(WORK, "tokenizers", "qwen"))
    data = Dataset(DATA)
    model, ckpt = load(args.checkpoint)
    write_vl(model, tok, data, ckpt)
    write_lm(model, tok, data, ckpt)
    log("wrote", VL, "and", LM)


if __name__ == "__main__":
    main()
