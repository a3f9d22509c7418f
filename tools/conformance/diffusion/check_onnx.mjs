// Cross-checks the tiny-sd ONNX graphs against the torch modules they were exported from, with onnxruntime-node
// (Python here has no onnxruntime), and the goldens' token ids against Tokenizers.js (transformers.js' tokenizer).
//
//   /usr/bin/python3 tools/conformance/diffusion/make_tiny_sd.py --diffusers-git <git dir> --check-dir /tmp/tiny-sd-check
//   node tools/conformance/diffusion/check_onnx.mjs /tmp/tiny-sd-check
//
// check_io.json holds inputs and torch outputs per graph. Every output must agree within 1e-5 (absolute). The
// text encoder, VAE and (for the int64 variant) UNet cases run on tiny-sd/; the float-timestep cases on
// tiny-sd-float-timestep/, whose other graphs must be byte-identical to tiny-sd's.
// Environment: ORT_NODE_MODULES (default tools/sample-models/work/node/node_modules) and TJS_NODE_MODULES (default
// tools/conformance/generate/node_modules, for @huggingface/tokenizers; the tokenizer check is skipped, and says
// so, when it is missing).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..", "..");
const resources = path.join(root, "tempera-image", "src", "test", "resources");
const checkDir = process.argv[2] ?? "/tmp/tiny-sd-check";
const ortModules = process.env.ORT_NODE_MODULES ?? path.join(root, "tools", "sample-models", "work", "node", "node_modules");
const tjsModules = process.env.TJS_NODE_MODULES ?? path.join(root, "tools", "conformance", "generate", "node_modules");
export const ort = createRequire(path.join(ortModules, "..", "package.json"))("onnxruntime-node");
const TOLERANCE = 1e-5;
const read = (f) => JSON.parse(fs.readFileSync(f, "utf8"));

let failures = 0;
const fail = (msg) => { failures++; console.log("FAIL", msg); };

export function toTensor(t) {
  if (t.dtype === "int64") return new ort.Tensor("int64", BigInt64Array.from(t.data, (v) => BigInt(v)), t.shape);
  return new ort.Tensor("float32", Float32Array.from(t.data), t.shape);
}

const sessions = new Map();
export async function session(file) {
  if (!sessions.has(file)) sessions.set(file, await ort.InferenceSession.create(file));
  return sessions.get(file);
}

// PNG reading and diffusers' postprocess rounding, shared with check_onnx_sdxl.mjs (which imports this module; the
// checks below run only when this file is the script node was started with).
export function readPng(file) {  // 8-bit RGB, non-interlaced: what PIL writes for the goldens
  const buf = fs.readFileSync(file);
  let pos = 8, width = 0, height = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos), type = buf.toString("latin1", pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 2 || data[12] !== 0) throw new Error(`${file}: not 8-bit RGB non-interlaced`);
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * 3, out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= 3 ? out[y * stride + x - 3] : 0, b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= 3 && y > 0 ? out[(y - 1) * stride + x - 3] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      out[y * stride + x] = (v + pred) & 255;
    }
  }
  return { width, height, data: out };  // HWC
}

export function roundHalfEven(v) {
  const f = Math.floor(v), d = v - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : (f % 2 === 0 ? f : f + 1);
}

export const maxAbsDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

async function main() {
  const { cases } = JSON.parse(fs.readFileSync(path.join(checkDir, "check_io.json"), "utf8"));
  for (const c of cases) {
    const folder = c.variant === "float" ? "tiny-sd-float-timestep" : "tiny-sd";
    const file = path.join(resources, folder, c.graph, "model.onnx");
    const feeds = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, toTensor(v)]));
    const out = await (await session(file)).run(feeds);
    const shapes = Object.entries(c.inputs).map(([k, v]) => `${k}${JSON.stringify(v.shape)}`).join(" ");
    for (const [name, want] of Object.entries(c.outputs)) {
      const got = out[name];
      if (!got) { fail(`${folder}/${c.graph}: no output ${name}`); continue; }
      if (JSON.stringify(Array.from(got.dims)) !== JSON.stringify(want.shape)) {
        fail(`${folder}/${c.graph} ${name}: shape ${JSON.stringify(got.dims)}, torch ${JSON.stringify(want.shape)}`);
        continue;
      }
      let maxDiff = 0;
      want.data.forEach((v, i) => { maxDiff = Math.max(maxDiff, Math.abs(got.data[i] - v)); });
      const line = `${folder}/${c.graph} ${shapes} -> ${name}${JSON.stringify(want.shape)} max |ort - torch| = ${maxDiff.toExponential(2)}`;
      if (!(maxDiff <= TOLERANCE)) fail(line); else console.log("ok  ", line);
    }
  }

  for (const graph of ["text_encoder", "vae_decoder", "vae_encoder"]) {
    const a = fs.readFileSync(path.join(resources, "tiny-sd", graph, "model.onnx"));
    const b = fs.readFileSync(path.join(resources, "tiny-sd-float-timestep", graph, "model.onnx"));
    if (!a.equals(b)) fail(`${graph}/model.onnx differs between tiny-sd and tiny-sd-float-timestep`);
  }

  const goldens = path.join(resources, "tiny-sd", "goldens", "cases.json");
  const tokenizersDir = path.join(tjsModules, "@huggingface", "tokenizers");
  if (!fs.existsSync(tokenizersDir)) {
    console.log("SKIP tokenizer check: no @huggingface/tokenizers under", tjsModules);
  } else if (!fs.existsSync(goldens)) {
    console.log("SKIP tokenizer check: no", goldens, "yet (run reference_pipeline.py)");
  } else {
    // Tokenizers.js (transformers.js' tokenizer, without its onnxruntime-node, which would clash with the one loaded
    // above). tiny-sd/tokenizer has the slow-tokenizer files only, as SD 1.5's repo; shapes-clip has the same vocab and
    // merges plus the tokenizer.json that Tokenizers.js reads.
    const { Tokenizer } = createRequire(path.join(tjsModules, "..", "package.json"))("@huggingface/tokenizers");
    const clipDir = path.join(root, "models", "shapes-clip");
    for (const f of ["vocab.json", "merges.txt", "special_tokens_map.json", "tokenizer_config.json"]) {
      if (!fs.readFileSync(path.join(clipDir, f)).equals(fs.readFileSync(path.join(resources, "tiny-sd", "tokenizer", f)))) {
        fail(`tiny-sd/tokenizer/${f} differs from models/shapes-clip/${f}`);
      }
    }
    const config = read(path.join(clipDir, "tokenizer_config.json"));
    const clip = new Tokenizer(read(path.join(clipDir, "tokenizer.json")), config);
    const pad = clip.token_to_id(config.pad_token);
    const eos = clip.token_to_id(config.eos_token);
    const { tokenizations } = read(goldens);
    for (const tk of tokenizations) {
      // padding="max_length", max_length=77, truncation=True: BOS, at most 75 tokens, EOS, then pad
      let ids = clip.encode(tk.text).ids.map(Number);
      if (ids.length > config.model_max_length) ids = [...ids.slice(0, config.model_max_length - 1), eos];
      while (ids.length < config.model_max_length) ids.push(pad);
      if (JSON.stringify(ids) !== JSON.stringify(tk.input_ids)) {
        fail(`tokenizer ${JSON.stringify(tk.text)}: Tokenizers.js ${JSON.stringify(ids)}`);
      } else console.log(`ok   tokenizer ${JSON.stringify(tk.text)} -> ${tk.input_ids.filter((i) => i !== pad).join(",")},EOS,pad...`);
    }
  }
  // The goldens against the ONNX graphs: the first UNet call of every case (text encoder on the recorded ids, then
  // the UNet on the recorded initial latents; both timestep variants) and the decode of the recorded final latents
  // (VAE decoder, then diffusers' postprocess in float32 with half-to-even rounding) against the PNGs.

  // call_options.json (eta, given latents) is checked the same way: its initial_noise is the given latents when the
  // case passes some.
  if (fs.existsSync(goldens)) {
    const callOptions = path.join(resources, "tiny-sd", "goldens", "call_options.json");
    const doc = JSON.parse(fs.readFileSync(goldens, "utf8"));
    if (fs.existsSync(callOptions)) doc.cases.push(...read(callOptions).cases);
    const sd = (f, g) => session(path.join(resources, f, g, "model.onnx"));
    const f32 = (data, shape) => new ort.Tensor("float32", Float32Array.from(data), shape);
    const i64 = (data, shape) => new ort.Tensor("int64", BigInt64Array.from(data, (v) => BigInt(v)), shape);
    for (const c of doc.cases) {
      const n = c.seeds.length;
      const rows = [...(c.do_classifier_free_guidance ? Array(n).fill(c.negative_ids) : []), ...Array(n).fill(c.prompt_ids)];
      const te = await (await sd("tiny-sd", "text_encoder")).run({ input_ids: i64(rows.flat(), [rows.length, 77]) });
      const ehs = te.last_hidden_state;
      // scale_model_input: identity for PNDM and DDIM; sample / sqrt(sigma_0^2 + 1) for Euler, which is
      // init_noise_sigma with leading spacing; so the UNet input is the initial noise (Euler) or the initial latents
      const x0 = c.scheduler === "pndm" || c.scheduler === "ddim" ? c.initial_latents.data : c.initial_noise.data;
      const input = c.do_classifier_free_guidance ? [...x0, ...x0] : x0;
      const shape = [rows.length, 4, c.height / 8, c.width / 8];
      const t = c.step_1.unet_timestep;
      const want = c.step_1.unet_out_sample.data;
      for (const [folder, timestep] of [["tiny-sd", i64(Array(rows.length).fill(t), [rows.length])],
                                        ["tiny-sd-float-timestep", f32([t], [])]]) {
        const out = await (await sd(folder, "unet")).run({ sample: f32(input, shape), timestep, encoder_hidden_states: ehs });
        const d = maxAbsDiff(out.out_sample.data, want);
        const line = `${folder} ${c.name}: step-1 UNet output vs golden max diff ${d.toExponential(2)}`;
        if (!(d <= 1e-4)) fail(line); else console.log("ok  ", line);
      }
      const scaling = Math.fround(read(path.join(resources, "tiny-sd", "vae_decoder", "config.json")).scaling_factor);
      const lat = c.final_latents.data.map((v) => Math.fround(v / scaling));
      const img = (await (await sd("tiny-sd", "vae_decoder")).run({ latent_sample: f32(lat, c.final_latents.shape) })).sample;
      const [, , H, W] = img.dims;
      c.images.forEach((png, k) => {
        const ref = readPng(path.join(resources, "tiny-sd", "goldens", png));
        let worst = 0, off = 0;
        for (let ch = 0; ch < 3; ch++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
          const v = img.data[((k * 3 + ch) * H + y) * W + x];
          const u = Math.min(1, Math.max(0, Math.fround(Math.fround(v * 0.5) + 0.5)));
          const px = roundHalfEven(Math.fround(u * 255));
          const diff = Math.abs(px - ref.data[(y * W + x) * 3 + ch]);
          worst = Math.max(worst, diff); if (diff) off++;
        }
        const line = `${c.name} image ${k}: ORT decode vs PNG: ${off} of ${3 * H * W} values differ, max ${worst}`;
        if (worst > 1) fail(line); else console.log("ok  ", line);
      });
    }
  }

  console.log(failures ? `${failures} failures` : "all checks passed");
  process.exit(failures ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
