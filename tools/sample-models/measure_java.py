"""Measures shapes-vl and shapes-lm through Tempera's Java engine (`./tempera generate --in ... --out ...`), on the
same items as measure_decoder.py, and scores them the same way (`./tempera shapes score --in items.jsonl --json`).

measure_decoder.py runs the torch modules the graphs were exported from; this runs the exported ONNX graphs with the
Java image processor, chat template, tokenizer and sampler. Same held-out (test split) scenes, same prompts
(prompts.py), same language alternation and prompt rotation, same groups, same 64-token limit:

  1. shapes-vl: the first --images test scenes; scene n is asked in English when n is even, in Chinese when odd,
     with prompts.DESCRIBE_EN / DESCRIBE_ZH in turn; greedy and temperature 1.2 / top-p 0.9 (seeded) → groups
     vl-en-greedy, vl-zh-greedy, vl-en-t1.2, vl-zh-t1.2, scored against the true scene.
  2. shapes-lm: EXPAND instructions around the short captions of the first --captions test scenes (English when
     even, Chinese when odd) → lm-greedy, lm-t1.2: does the text state a complete valid scene; and whether its
     shapes' (colour, kind) pairs are the short caption's ("consistent", as measure_decoder.py computes it).
  3. The chat questions of prompts.CHAT through shapes-vl, greedy: answered exactly as trained?

Seeds: Python seeds one torch generator per batch of 50 (1000 + batch for shapes-vl, 2000 + batch for shapes-lm);
the Java runs use `--seed 1000` / `--seed 2000`, so line k samples with seed 1000 + k / 2000 + k. The random streams
differ, so sampled (t1.2) texts differ from Python's item by item; greedy texts should not.

Writes to work/measure-java/: the prompts and outputs of each run (*.prompts.jsonl, *.outputs.jsonl), items.jsonl
(the fields measure_decoder.py writes), scored.jsonl, and result.json, which it also prints: the scores, the
consistent rates, whether the items are measure_decoder.py's (work/measure/items.jsonl, when present: same
groups, scenes, prompts, order), how many texts are identical to Python's, and Python's scores from
work/measure/result.json next to the Java ones.

Standard library only:

    /usr/bin/python3 tools/sample-models/measure_java.py [--images 400] [--captions 300]
    # the sampled runs again with other seeds, to see how much t1.2 numbers move from seed to seed:
    /usr/bin/python3 tools/sample-models/measure_java.py --modes t1.2 --no-chat --vl-seed 3000 --lm-seed 4000 \
        --out tools/sample-models/work/measure-java-seed3000
"""
import argparse
import json
import os
import subprocess
import sys
import time

from consistency import kind_colour_pairs
from jsonl import read_jsonl, write_jsonl
import prompts  # stdlib-only: the instruction texts shared with training and measure_decoder.py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
WORK = os.environ.get("TEMPERA_MODELS_WORK", os.path.join(HERE, "work"))
DATA = os.path.join(WORK, "data")
OUT = os.path.join(WORK, "measure-java")  # --out
TEMPERA = os.path.join(ROOT, "tempera")

MAX_NEW = 64  # measure_decoder.Generator.generate's max_new
MODES = {"greedy": ["--temperature", "0"], "t1.2": ["--temperature", "1.2", "--top-p", "0.9"]}


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def vl_asks(entries, test, count):
    """measure_decoder.py's shapes-vl selection: (index, lang, prompt), sorted by (lang, prompt)."""
    asks = []
    for n, i in enumerate(test[:count]):
        lang = "en" if n % 2 == 0 else "zh"
        plist = prompts.DESCRIBE_EN if lang == "en" else prompts.DESCRIBE_ZH
        asks.append((i, lang, plist[(n // 2) % len(plist)]))
    asks.sort(key=lambda a: (a[1], a[2]))
    return asks


def lm_asks(entries, test, count):
    """measure_decoder.py's shapes-lm selection: (index, lang, short caption, prompt)."""
    lm = []
    for n, i in enumerate(test[:count]):
        c = entries[i]["captions"]
        if n % 2 == 0:
            short = c["en"]["short"]
            lm.append((i, "en", short, prompts.EXPAND_EN[(n // 2) % len(prompts.EXPAND_EN)].format(short)))
        else:
            short = c["zh"]["short"]
            lm.append((i, "zh", short, prompts.EXPAND_ZH[(n // 2) % len(prompts.EXPAND_ZH)].format(short)))
    return lm


def generate(out, model, name, rows, flags):
    """Writes rows as NAME.prompts.jsonl, runs `./tempera generate --in --out` on them, returns (outputs, stats)."""
    src = os.path.join(out, name + ".prompts.jsonl")
    dst = os.path.join(out, name + ".outputs.jsonl")
    write_jsonl(src, rows)
    cmd = [TEMPERA, "generate", "--model", os.path.join("models", model), "--in", os.path.relpath(src, ROOT),
           "--out", os.path.relpath(dst, ROOT), "--force", "--max-tokens", str(MAX_NEW)] + flags
    log(" ".join(cmd[1:]))
    start = time.time()
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.time() - start
    if proc.returncode != 0:
        sys.exit(f"measure_java: {' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    outputs = read_jsonl(dst)
    if len(outputs) != len(rows):
        sys.exit(f"measure_java: {dst} holds {len(outputs)} lines for {len(rows)} prompts")
    tokens = sum(o["tokens"] for o in outputs)
    log(f"{name}: {len(outputs)} lines, {tokens} tokens in {seconds:.1f} s (JVM start and model load included)")
    return outputs, {"run": name, "command": "./tempera " + " ".join(cmd[1:]), "lines": len(outputs),
                     "tokens": tokens, "seconds": round(seconds, 1),
                     "tokens_per_second": round(tokens / seconds, 1),
                     "stopped_at_eos": sum(o["finish_reason"] == "stop" for o in outputs) / len(outputs)}


def python_reference(items):
    """Python's items (work/measure/items.jsonl) by (group, index), and its scores (work/measure/result.json)."""
    ref_items = os.path.join(WORK, "measure", "items.jsonl")
    ref_result = os.path.join(WORK, "measure", "result.json")
    out = {}
    if os.path.exists(ref_items):
        ref = read_jsonl(ref_items)
        # the selection is copied from measure_decoder.py: the items must be Python's, in Python's order
        out["same_items_as_python"] = ([(r["group"], r["index"], r["prompt"]) for r in ref]
                                       == [(r["group"], r["index"], r["prompt"]) for r in items])
        by_key = {(r["group"], r["index"]): r["text"] for r in ref}
        same = {}
        for it in items:
            key = (it["group"], it["index"])
            if key in by_key:
                s = same.setdefault(it["group"], [0, 0])
                s[0] += it["text"] == by_key[key]
                s[1] += 1
        out["identical_texts"] = {g: {"identical": s[0], "of": s[1], "rate": s[0] / s[1]} for g, s in same.items()}
    if os.path.exists(ref_result):
        with open(ref_result, encoding="utf-8") as f:
            ref = json.load(f)
        out["python_result"] = {"consistent": ref.get("consistent"), "chat_exact": ref.get("chat_exact"),
                                "groups": ref.get("score", {}).get("groups")}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=400)
    parser.add_argument("--captions", type=int, default=300)
    parser.add_argument("--data", default=DATA, help="the Shapes-world dataset (scenes.jsonl, images/)")
    parser.add_argument("--out", default=OUT, help="where prompts, outputs, items and result.json go")
    parser.add_argument("--modes", default="greedy,t1.2", help="decoding modes to run: greedy, t1.2 or both")
    parser.add_argument("--vl-seed", type=int, default=1000, help="--seed of the sampled shapes-vl run")
    parser.add_argument("--lm-seed", type=int, default=2000, help="--seed of the sampled shapes-lm run")
    parser.add_argument("--no-chat", action="store_true", help="skip the chat questions")
    args = parser.parse_args()
    for m in args.modes.split(","):
        if m not in MODES:
            parser.error(f"--modes: unknown mode '{m}'; known: {', '.join(MODES)}")
    modes = [(m, MODES[m]) for m in args.modes.split(",")]
    out = os.path.abspath(args.out)
    start = time.time()
    os.makedirs(out, exist_ok=True)
    entries = read_jsonl(os.path.join(args.data, "scenes.jsonl"))
    test = [i for i, e in enumerate(entries) if e["split"] == "test"]
    runs, items = [], []

    # 1. shapes-vl
    asks = vl_asks(entries, test, args.images)
    for mode, flags in modes:
        rows = [{"prompt": prompt, "images": [os.path.abspath(os.path.join(args.data, entries[i]["image"]))],
                 "group": f"vl-{lang}-{mode}", "scene": entries[i]["scene"], "index": i}
                for i, lang, prompt in asks]
        seed = ["--seed", str(args.vl_seed)] if mode != "greedy" else []
        outputs, stats = generate(out, "shapes-vl", f"vl-{mode}", rows, flags + seed)
        runs.append(stats)
        items += [{"group": o["group"], "text": o["text"], "scene": o["scene"], "index": o["index"],
                   "prompt": o["prompt"]} for o in outputs]

    # 2. shapes-lm
    lm = lm_asks(entries, test, args.captions)
    consistent = {}
    for mode, flags in modes:
        rows = [{"prompt": prompt, "group": f"lm-{mode}", "index": i, "short": short} for i, lang, short, prompt in lm]
        seed = ["--seed", str(args.lm_seed)] if mode != "greedy" else []
        outputs, stats = generate(out, "shapes-lm", f"lm-{mode}", rows, flags + seed)
        runs.append(stats)
        hits = 0
        for o in outputs:
            ok = kind_colour_pairs(o["text"]) == kind_colour_pairs(o["short"])
            hits += ok
            items.append({"group": o["group"], "text": o["text"], "index": o["index"], "prompt": o["prompt"],
                          "consistent": ok})
        consistent[f"lm-{mode}"] = hits / len(outputs)

    # 3. chat questions, greedy, through shapes-vl (text only)
    chat_exact = None
    if not args.no_chat:
        rows = [{"prompt": q, "expected": a} for q, a in prompts.CHAT]
        outputs, stats = generate(out, "shapes-vl", "chat", rows, ["--temperature", "0"])
        runs.append(stats)
        chat_exact = sum(o["text"] == o["expected"] for o in outputs) / len(outputs)

    path = os.path.join(out, "items.jsonl")
    write_jsonl(path, items)
    result = {"engine": "tempera generate (Java, ONNX Runtime)", "date": time.strftime("%Y-%m-%d"),
              "images": args.images, "captions": args.captions, "modes": args.modes, "vl_seed": args.vl_seed,
              "lm_seed": args.lm_seed, "seconds": round(time.time() - start),
              "runs": runs, "consistent": consistent, "chat_exact": chat_exact}
    score_cmd = [TEMPERA, "shapes", "score", "--in", os.path.relpath(path, ROOT), "--json",
                 "--out", os.path.relpath(os.path.join(out, "scored.jsonl"), ROOT)]
    proc = subprocess.run(score_cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"measure_java: {' '.join(score_cmd)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    result["score_command"] = "./tempera " + " ".join(score_cmd[1:])
    result["score"] = json.loads(proc.stdout)
    result["python"] = python_reference(items)
    with open(os.path.join(out, "result.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
