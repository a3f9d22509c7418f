#!/usr/bin/python3
"""Renders every chat-template case in cases.json with Python Jinja2, configured the way transformers configures it.

This is the oracle (a) for Tempera's ChatTemplate tests. The environment mirrors transformers'
`utils/chat_template_utils.py` (`_compile_jinja_template` and `render_jinja_template`):
ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols]), `tojson` that calls
json.dumps without HTML escaping, `raise_exception` raising TemplateError, and `strftime_now`. The render call passes
messages, tools, documents (None unless a case gives them), add_generation_prompt, the tokenizer's special-token map,
then the case's variables, which override special tokens as in `{**special_tokens_map, **kwargs}`.

One deliberate difference: `strftime_now` formats the fixed time in cases.json ("now") instead of datetime.now(), so
that the expected strings do not change from day to day; the Java tests use a fixed clock at the same time.

Needs Debian's python3-jinja2 (3.1.x):  apt-get install -y python3-jinja2
Run from anywhere:  /usr/bin/python3 tools/conformance/chat/render_expected.py
Writes tempera-runtime/src/test/resources/chat/expected-python.json
"""
import json
import pathlib
import sys
from datetime import datetime

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
RESOURCES = ROOT / "tempera-runtime/src/test/resources/chat"
SPECIAL_TOKEN_ATTRIBUTES = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"]


def environment(now):
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        # transformers overrides Jinja's tojson, which would HTML-escape and sort keys
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return now.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def token_content(value):
    if isinstance(value, dict):
        return value.get("content")
    return value


def special_tokens_map(tokenizer_config):
    """What PreTrainedTokenizerBase.special_tokens_map holds: the named tokens that are set, as strings."""
    out = {}
    for attr in SPECIAL_TOKEN_ATTRIBUTES:
        value = token_content(tokenizer_config.get(attr))
        if value:
            out[attr] = str(value)
    extra = [token_content(t) for t in tokenizer_config.get("additional_special_tokens") or []]
    if extra:
        out["additional_special_tokens"] = extra
    return out


def load_template(folder, name, tools):
    """transformers' precedence: chat_template.jinja, then chat_template.json, then tokenizer_config.json.

    From a list of named templates transformers takes the one named, else "tool_use" when tools are passed, else
    "default" (get_chat_template)."""
    jinja_file = folder / "chat_template.jinja"
    json_file = folder / "chat_template.json"
    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    if jinja_file.exists():
        return jinja_file.read_text(encoding="utf-8"), config
    if json_file.exists():
        return json.loads(json_file.read_text(encoding="utf-8"))["chat_template"], config
    template = config["chat_template"]
    if isinstance(template, list):
        named = {t["name"]: t["template"] for t in template}
        if name is None:
            name = "tool_use" if tools is not None and "tool_use" in named else "default"
        return named[name], config
    return template, config


def render(env, template, messages, add_generation_prompt, tokens, variables):
    variables = dict(variables)
    tools = variables.pop("tools", None)
    documents = variables.pop("documents", None)
    try:
        text = env.from_string(template).render(
            messages=messages, tools=tools, documents=documents, add_generation_prompt=add_generation_prompt,
            **{**tokens, **variables})
        return {"text": text}
    except jinja2.exceptions.TemplateError as e:
        return {"error": str(e)}


def main():
    spec = json.loads((RESOURCES / "cases.json").read_text(encoding="utf-8"))
    env = environment(datetime.fromisoformat(spec["now"]))
    out = {"generator": "tools/conformance/chat/render_expected.py", "jinja2": jinja2.__version__,
           "python": sys.version.split()[0], "cases": {}, "snippets": {}}
    for t in spec["templates"]:
        base = ROOT if t["root"] == "repository" else RESOURCES.parent
        for case in spec["cases"]:
            variables = case.get("variables", {})
            template, config = load_template(base / t["folder"], t.get("name"), variables.get("tools"))
            tokens = special_tokens_map(config)
            out["cases"][t["id"] + "/" + case["id"]] = render(
                env, template, case["messages"], case["add_generation_prompt"], tokens, variables)
    for snippet in spec["snippets"]:
        out["snippets"][snippet["id"]] = render(env, snippet["template"], spec["snippet_messages"], False, {}, {})
    target = RESOURCES / "expected-python.json"
    target.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", target.relative_to(ROOT), len(out["cases"]), "cases,", len(out["snippets"]), "snippets")


if __name__ == "__main__":
    main()
