#!/usr/bin/python3
"""Writes the llama-style model folder's tokenizer_config.json from templates/*.jinja.

The two templates are ours (see the test resources' README); they live as .jinja files so they can be read and
edited, and are packed here into a list of named templates, the tokenizer_config.json form transformers accepts
(`[{"name": ..., "template": ...}]`). The special tokens use the `{"__type": "AddedToken", "content": ...}` object
form on purpose, so both the object and the plain-string form are exercised.

Run from anywhere:  /usr/bin/python3 tools/conformance/chat/build_fixtures.py
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
OUT = ROOT / "tempera-runtime/src/test/resources/chat/models/llama-style/tokenizer_config.json"


def template(name):
    text = (HERE / "templates" / name).read_text(encoding="utf-8")
    # The files end with the newline editors add; the template proper does not include it.
    return text[:-1] if text.endswith("\n") else text


def added_token(content):
    return {"__type": "AddedToken", "content": content, "lstrip": False, "normalized": False,
            "rstrip": False, "single_word": False, "special": True}


config = {
    "tokenizer_class": "PreTrainedTokenizerFast",
    "bos_token": added_token("<|begin_of_text|>"),
    "eos_token": added_token("<|eot_id|>"),
    "pad_token": "<|finetune_right_pad_id|>",
    "unk_token": None,
    "model_max_length": 131072,
    "chat_template": [
        {"name": "default", "template": template("llama-style.jinja")},
        {"name": "tool_use", "template": template("tool-use.jinja")},
    ],
}
OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
print("wrote", OUT.relative_to(ROOT))
