"""Trains shapes-clip contrastively on the Shapes world and exports it in the transformers.js CLIP layout.

Two text towers learn against one image tower: tower A (width 96) is shapes-clip's text model and the text
encoder of shapes-sd (and shapes-sdxl's text_encoder); tower B (width 128) is shapes-sdxl's text_encoder_2.
Every image is contrasted with the captions of the other images in the batch and with one hard negative: its own
caption with one colour or shape word swapped.

Writes work/clip.pt and models/shapes-clip/.
"""
import argparse
import os
import random
import shutil

import numpy as np
import torch
import torch.nn.functional as F

import bpe
from clip_model import Clip
from common import DATA, GOLDEN, MODELS, WORK, Dataset, autocast, clip_pixels, log, save_json, setup
from consistency import COLOURS_EN, COLOURS_ZH, KINDS_EN, KINDS_ZH
from export import export, golden



def hard_negative(caption, rng):
    """The caption with one colour or shape word replaced by another (or None if it has neither)."""
    options = []
    for words in (COLOURS_EN, COLOURS_ZH, KINDS_EN, KINDS_ZH):
        for w in words:
            if w in caption:
                options.append((w, words))
    if not options:
        return None
    word, group = rng.choice(options)
    return caption.replace(word, rng.choice([w for w in group if w != word]), 1)


def encode_batch(tokenizer, texts):
    ids = [tokenizer(t) for t in texts]
    length = max(i.index(tokenizer.eos_id) for i in ids) + 1  # causal: later positions never change the pooled one
    return torch.tensor([i[:length] for i in ids])


def clip_loss(image_embeds, text_embeds, negatives, scale):
    img = F.normalize(image_embeds, dim=-1)
    txt = F.normalize(text_embeds, dim=-1)
    neg = F.normalize(negatives, dim=-1)
    logits = scale.exp().clamp(max=100) * img @ torch.cat([txt, neg]).t()
    target = torch.arange(img.shape[0])
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits[:, : img.shape[0]].t(), target)) / 2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args()
    setup(11)
    tokenizer = bpe.ClipTokenizer.load(os.path.join(WORK, "tokenizers", "clip"))
    data = Dataset(DATA)
    images = data.images()
    train = data.split("train")
    rng = random.Random(11)
    model = Clip(tokenizer.vocab_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=2e-3, total_steps=args.steps, pct_start=0.1)
    log(f"shapes-clip: {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters, {args.steps} steps")
    for step in range(1, args.steps + 1):
        idx = rng.sample(train, args.batch)
        texts = [rng.choice(data.captions(i)) for i in idx]
        negatives = [n for n in (hard_negative(t, rng) for t in texts[: len(texts) // 2]) if n is not None]
        pixels = clip_pixels(images[idx])
        ids = encode_batch(tokenizer, texts + negatives)
        with autocast():
            image_embeds = model.image(pixels)
            embeds = [model.text(ids)["text_embeds"], model.text_b(ids)["text_embeds"]]
        image_embeds = image_embeds.float()
        n = len(texts)
        loss = 0
        for emb, scale in zip(embeds, (model.logit_scale, model.logit_scale_b)):
            emb = emb.float()
            loss = loss + clip_loss(image_embeds, emb[:n], emb[n:], scale)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        if step % 100 == 0 or step in (1, 10):
            log(f"step {step} loss {loss.item():.4f}")
    torch.save({"state": model.state_dict(), "vocab": tokenizer.vocab_size}, os.path.join(WORK, "clip.pt"))
    model.eval()
    write_model(model, tokenizer, data)


class TextModel(torch.nn.Module):
    def __init__(self, tower):
        super().__init__()
        self.tower = tower

    def forward(self, input_ids):
        out = self.tower(input_ids)
        return out["text_embeds"], out["last_hidden_state"]


class VisionModel(torch.nn.Module):
    def __init__(self, tower):
        super().__init__()
        self.tower = tower

    def forward(self, pixel_values):
        return self.tower(pixel_values)


def write_model(model, tokenizer, data):
    out = os.path.join(MODELS, "shapes-clip")
    shutil.rmtree(os.path.join(out, "onnx"), ignore_errors=True)
    tokenizer.save(out)
    tokenizer.save_fast(out)
    text_ids = torch.tensor([tokenizer(data.captions(i)[0]) for i in data.split("test")[:2]])
    pixels = clip_pixels(data.images()[data.split("test")[:2]])
    text_path = os.path.join(out, "onnx", "text_model.onnx")
    vision_path = os.path.join(out, "onnx", "vision_model.onnx")
    export(TextModel(model.text), text_path, [text_ids], ["input_ids"], ["text_embeds", "last_hidden_state"],
           {"input_ids": {0: "batch_size", 1: "sequence_length"}, "text_embeds": {0: "batch_size"},
            "last_hidden_state": {0: "batch_size", 1: "sequence_length"}})
    export(VisionModel(model.image), vision_path, [pixels], ["pixel_values"], ["image_embeds"],
           {"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"}})
    with torch.no_grad():
        short = torch.tensor([tokenizer(data.captions(data.split("test")[0])[2])[:20]])
        for name, ids in (("batch2-77", text_ids), ("batch1-20", short)):
            embeds, last = TextModel(model.text)(ids)
            golden(f"shapes-clip/text_model-{name}", text_path, {"input_ids": ids},
                   {"text_embeds": embeds, "last_hidden_state": last})
        golden("shapes-clip/vision_model-batch2", vision_path, {"pixel_values": pixels},
               {"image_embeds": VisionModel(model.image)(pixels)})
    text = model.text
    save_json(os.path.join(out, "config.json"), {
        "architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 128,
        "logit_scale_init_value": 2.6592,
        "text_config": {"model_type": "clip_text_model", "vocab_size": tokenizer.vocab_size,
                        "hidden_size": text.width, "num_hidden_layers": text.layers, "num_attention_heads": 4,
                        "intermediate_size": 4 * text.width, "max_position_embeddings": 77,
                        "bos_token_id": tokenizer.bos_id, "eos_token_id": tokenizer.eos_id,
                        "pad_token_id": tokenizer.pad_id, "projection_dim": 128, "hidden_act": "gelu"},
        "vision_config": {"model_type": "clip_vision_model", "image_size": 64, "num_channels": 3,
                          "projection_dim": 128},
        "tempera": {"note": "Tiny Shapes-world CLIP; the networks inside are not CLIP's (see MODEL_CARD.md)."},
    })
    save_json(os.path.join(out, "preprocessor_config.json"), {
        "image_processor_type": "CLIPImageProcessor", "feature_extractor_type": "CLIPFeatureExtractor",
        "do_resize": True, "size": {"shortest_edge": 64}, "resample": 3, "do_center_crop": True,
        "crop_size": {"height": 64, "width": 64}, "do_rescale": True, "rescale_factor": 1 / 255,
        "do_normalize": True, "image_mean": [0.48145466, 0.4578275, 0.40821073],
        "image_std": [0.26862954, 0.26130258, 0.27577711], "do_convert_rgb": True,
    })


if __name__ == "__main__":
    main()
