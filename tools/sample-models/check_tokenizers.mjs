// Checks that transformers.js tokenizes like bpe.py (the reference the models were trained with) and renders the
// Qwen2-VL chat template as expected. Needs work/tjs with @huggingface/transformers (see build.sh, stage check).
//   /usr/bin/python3 tools/sample-models/tokenizer_cases.py && node tools/sample-models/check_tokenizers.mjs
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const work = process.env.TEMPERA_MODELS_WORK ?? path.join(here, "work");
const require = createRequire(path.join(work, "tjs", "package.json"));
const { AutoTokenizer, env } = await import(require.resolve("@huggingface/transformers"));
env.allowRemoteModels = false;
env.localModelPath = path.resolve(here, "..", "..") + "/";

const cases = JSON.parse(fs.readFileSync(path.join(work, "tokenizer_cases.json"), "utf8"));
const clip = await AutoTokenizer.from_pretrained("models/shapes-clip");
const qwen = await AutoTokenizer.from_pretrained("models/shapes-vl");
let bad = 0;
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
cases.texts.forEach((text, i) => {
  const q = qwen.encode(text, { add_special_tokens: false });
  if (!same(q, cases.qwen[i])) { bad++; console.log("qwen differs:", JSON.stringify(text), q, cases.qwen[i]); }
  if (i < cases.clip.length) {
    const c = clip.encode(text, { add_special_tokens: false });
    if (!same(c, cases.clip[i])) { bad++; console.log("clip differs:", JSON.stringify(text), c, cases.clip[i]); }
  }
});
const rendered = qwen.apply_chat_template(
  [{ role: "user", content: [{ type: "image" }, { type: "text", text: "Describe this image." }] }],
  { tokenize: false, add_generation_prompt: true });
const expected = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n" +
  "<|vision_start|><|image_pad|><|vision_end|>Describe this image.<|im_end|>\n<|im_start|>assistant\n";
if (rendered !== expected) { bad++; console.log("chat template renders", JSON.stringify(rendered)); }
console.log(bad ? `${bad} tokenizer mismatches` : `tokenizers: ${cases.texts.length} texts identical in transformers.js; chat template ok`);
process.exit(bad ? 1 : 0);
