"""Cross-checks the transformers.js goldens against the Python reference: the torch modules the ONNX graphs were
exported from (tools/sample-models/decoder_model.py, checkpoint tools/sample-models/work/decoder.pt), with their
own tokenizer, get_rope_index and KV-cached greedy loop (nothing from transformers.js).

For every case of shapes-lm.json and shapes-vl.json it checks:
  * Python's jinja2, set up as transformers' apply_chat_template sets it up, renders the model's chat template for
    the golden messages to the golden prompt_text;
  * the reference tokenizer encodes prompt_text to the golden input_ids (before <|image_pad|> expansion for VL);
  * shapes-vl: Python's get_rope_index gives the golden position_ids, and Python's delta (max + 1 - seq_len);
  * greedy ids (48 new tokens, eos included) equal the golden generated_ids: with transformers.js's pixel_values
    (the .npy files) for image cases; with the Pillow pixel_values, equal to with_pillow_pixel_values; for text-only
    VL cases, equal to python_rule (Python's delta), which is NOT what transformers.js decoded;
  * first_step_logits agree to 1e-4.
Prints one line per case and exits 1 on any mismatch.

    /usr/bin/python3 tools/conformance/generate/check_python.py

Needs torch, numpy, Pillow and the training checkpoint (git-ignored; rebuild with tools/sample-models/build.sh).
"""
import json
import pathlib
import sys

import jinja2.sandbox
import numpy as np
import torch
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tools" / "sample-models"))
import bpe  # noqa: E402
from decoder_model import expand_image_pads, get_rope_index, preprocess_image  # noqa: E402
from export_decoder import load  # noqa: E402

MODELS = ROOT / "models"
CONFORMANCE = ROOT / "tempera-text" / "src" / "test" / "resources" / "conformance"
WORK = ROOT / "tools" / "sample-models" / "work"
LOGITS_TOLERANCE = 1e-4


class Reference:
    def __init__(self):
        self.model, _ = load(str(WORK / "decoder.pt"))
        self.dec = self.model.decoder
        self.tok = bpe.QwenTokenizer.load(str(WORK / "tokenizers" / "qwen"))
        self.image_pad = self.tok.id("<|image_pad|>")
        self.vision_start = self.tok.id("<|vision_start|>")

    @torch.no_grad()
    def greedy(self, ids, grids, pixels, eos, max_new):
        """Greedy KV-cached decode of one unpadded sequence → (new ids incl. the stopping eos, first-step logits,
        positions [3, n], delta)."""
        n = len(ids)
        positions, delta = get_rope_index(ids, grids, self.image_pad, self.vision_start)
        ids_t = torch.tensor([ids])
        emb = self.dec.embed_tokens(ids_t)
        if grids:
            feats = self.model.vision(torch.from_numpy(pixels), torch.tensor(grids))
            emb[ids_t == self.image_pad] = feats
        mask = torch.ones(1, n, dtype=torch.long)
        pos = torch.from_numpy(positions).view(3, 1, n)
        c = self.dec.config
        past = [(torch.zeros(1, c["num_key_value_heads"], 0, c["head_dim"]),) * 2 for _ in range(c["num_hidden_layers"])]
        out, first = [], None
        for _ in range(max_new):
            logits, past = self.dec(emb, mask, pos, past)
            last = logits[0, -1]
            if first is None:
                first = last.numpy().copy()
            nxt = int(last.argmax())
            out.append(nxt)
            if nxt in eos:
                break
            cache = mask.shape[1]
            mask = torch.cat([mask, torch.ones(1, 1, dtype=torch.long)], dim=1)
            pos = torch.full((3, 1, 1), cache + delta, dtype=torch.long)
            emb = self.dec.embed_tokens(torch.tensor([[nxt]]))
        return out, first, positions, delta


def chat_template(model_name):
    """The model's chat template compiled as transformers compiles it (sandboxed, trim_blocks, lstrip_blocks)."""
    config = json.loads((MODELS / model_name / "tokenizer_config.json").read_text(encoding="utf8"))
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                                       extensions=["jinja2.ext.loopcontrols"])
    return env.from_string(config["chat_template"])


def check(failures, name, what, ok, detail=""):
    if not ok:
        failures.append(f"{name}: {what} {detail}".rstrip())
    return "ok" if ok else "MISMATCH"


def pixels_of(entry, source):
    if source == "tjs":
        parts = [np.load(CONFORMANCE / im["pixel_values"]) for im in entry["images"]]
    else:
        parts = [preprocess_image(Image.open(CONFORMANCE / im["image"]))[0] for im in entry["images"]]
    return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)


def main():
    torch.set_num_threads(1)
    ref = Reference()
    failures = []
    for model_name in ("shapes-lm", "shapes-vl"):
        golden = json.loads((CONFORMANCE / f"{model_name}.json").read_text(encoding="utf8"))
        template = chat_template(model_name)
        eos = set(golden["decoding"]["eos_token_id"])
        max_new = golden["decoding"]["max_new_tokens"]
        for e in golden["cases"]:
            name = f"{model_name}/{e['name']}"
            grids = [tuple(g) for g in e.get("image_grid_thw", [])]
            encoded = expand_image_pads(ref.tok.encode(e["prompt_text"]), ref.image_pad, grids)
            rendered = template.render(messages=e["messages"], add_generation_prompt=True)
            notes = [f"template {check(failures, name, 'chat template', rendered == e['prompt_text'], repr(rendered))}",
                     f"tokens {check(failures, name, 'tokenizer', encoded == e['input_ids'])}"]
            if grids:
                runs = [("tjs pixels", pixels_of(e, "tjs"), e["generated_ids"]),
                        ("pillow pixels", pixels_of(e, "pillow"), e["with_pillow_pixel_values"]["generated_ids"])]
            elif model_name == "shapes-vl":
                runs = [("python rule", None, e["python_rule"]["generated_ids"])]
            else:
                runs = [("text", None, e["generated_ids"])]
            for i, (label, pixels, want) in enumerate(runs):
                got, first, positions, delta = ref.greedy(e["input_ids"], grids, pixels, eos, max_new)
                notes.append(f"{label} {check(failures, name, label, got == want, f'got {got} want {want}')}")
                if i == 0 and model_name == "shapes-vl":
                    same = positions.tolist() == e["position_ids"]
                    notes.append(f"positions {check(failures, name, 'position_ids', same)}")
                    notes.append(f"delta {check(failures, name, 'rope delta', delta == e['rope_delta_python_rule'])}")
                if i == 0 and "first_step_logits" in e:
                    diff = float(np.abs(first - np.asarray(e["first_step_logits"], dtype=np.float32)).max())
                    ok = diff <= LOGITS_TOLERANCE
                    notes.append(f"logits max|diff| {diff:.2e} {check(failures, name, 'logits', ok, f'{diff}')}")
            print(f"{name}: " + ", ".join(notes))
    if failures:
        print("\n".join(["FAILED:"] + failures))
        sys.exit(1)
    print("all cases agree with the Python reference")


if __name__ == "__main__":
    main()
