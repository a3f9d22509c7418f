// Cross-checks the tiny-sdxl fixture with onnxruntime-node: the ONNX graphs against the torch modules they were
// exported from, the goldens' token ids against Tokenizers.js, and the goldens against the graphs.
//
//   /usr/bin/python3 tools/conformance/diffusion/make_tiny_sdxl.py --diffusers-git <git dir> --check-dir /tmp/tiny-sdxl-check
//   /usr/bin/python3 tools/conformance/diffusion/reference_pipeline_sdxl.py --diffusers-git <git dir>
//   node tools/conformance/diffusion/check_onnx_sdxl.mjs /tmp/tiny-sdxl-check
//
// Graph inputs and outputs must carry Optimum's SDXL names in Optimum's order; every torch output must agree within
// 1e-5 (absolute). The PNG reader, the rounding and ORT itself come from check_onnx.mjs (same environment variables:
// ORT_NODE_MODULES, TJS_NODE_MODULES).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { ort, toTensor, session, readPng, roundHalfEven, maxAbsDiff } from "./check_onnx.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..", "..");
const model = path.join(root, "tempera-image", "src", "test", "resources", "tiny-sdxl");
const checkDir = process.argv[2] ?? "/tmp/tiny-sdxl-check";
const tjsModules = process.env.TJS_NODE_MODULES ?? path.join(root, "tools", "conformance", "generate", "node_modules");
const read = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const graphFile = (g) => path.join(model, g, "model.onnx");

let failures = 0;
const fail = (msg) => { failures++; console.log("FAIL", msg); };
const check = (ok, line) => (ok ? console.log("ok  ", line) : fail(line));

// 1. The contract: names and order, as Optimum exports SDXL (text encoders with output_hidden_states, L = 2).
const hidden = ["hidden_states.0", "hidden_states.1", "hidden_states.2"];
const contract = {
  text_encoder: [["input_ids"], ["last_hidden_state", "pooler_output", ...hidden]],
  text_encoder_2: [["input_ids"], ["text_embeds", "last_hidden_state", ...hidden]],
  unet: [["sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids"], ["out_sample"]],
  vae_decoder: [["latent_sample"], ["sample"]],
  vae_encoder: [["sample"], ["latent_parameters"]],
};
for (const [g, [inputs, outputs]] of Object.entries(contract)) {
  const s = await session(graphFile(g));
  const got = JSON.stringify([s.inputNames, s.outputNames]);
  check(got === JSON.stringify([inputs, outputs]), `tiny-sdxl/${g}: inputs ${JSON.stringify(s.inputNames)} outputs ${JSON.stringify(s.outputNames)}`);
}

// 2. ORT vs torch on check_io_sdxl.json.
const { cases } = read(path.join(checkDir, "check_io_sdxl.json"));
let worst = 0;
for (const c of cases) {
  const feeds = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, toTensor(v)]));
  const out = await (await session(graphFile(c.graph))).run(feeds);
  const shapes = Object.entries(c.inputs).map(([k, v]) => `${k}${JSON.stringify(v.shape)}`).join(" ");
  for (const [name, want] of Object.entries(c.outputs)) {
    const got = out[name];
    if (!got) { fail(`${c.graph}: no output ${name}`); continue; }
    if (JSON.stringify(Array.from(got.dims)) !== JSON.stringify(want.shape)) {
      fail(`${c.graph} ${name}: shape ${JSON.stringify(got.dims)}, torch ${JSON.stringify(want.shape)}`);
      continue;
    }
    const d = maxAbsDiff(Array.from(got.data), want.data);
    worst = Math.max(worst, d);
    check(d <= 1e-5, `${c.graph} ${shapes} -> ${name}${JSON.stringify(want.shape)} max |ort - torch| = ${d.toExponential(2)}`);
  }
}
console.log(`     largest ORT-vs-torch difference: ${worst.toExponential(2)}`);

// 3. Token ids: Tokenizers.js with shapes-clip's tokenizer.json, padded with each folder's pad token.
const goldens = read(path.join(model, "goldens", "cases.json"));
const tokenizersDir = path.join(tjsModules, "@huggingface", "tokenizers");
if (!fs.existsSync(tokenizersDir)) {
  console.log("SKIP tokenizer check: no @huggingface/tokenizers under", tjsModules);
} else {
  const { Tokenizer } = createRequire(path.join(tjsModules, "..", "package.json"))("@huggingface/tokenizers");
  const clipDir = path.join(root, "models", "shapes-clip");
  for (const folder of ["tokenizer", "tokenizer_2"]) {
    for (const f of ["vocab.json", "merges.txt"]) {
      if (!fs.readFileSync(path.join(clipDir, f)).equals(fs.readFileSync(path.join(model, folder, f)))) {
        fail(`tiny-sdxl/${folder}/${f} differs from models/shapes-clip/${f}`);
      }
    }
  }
  const clipConfig = read(path.join(clipDir, "tokenizer_config.json"));
  const clip = new Tokenizer(read(path.join(clipDir, "tokenizer.json")), clipConfig);
  const eos = clip.token_to_id(clipConfig.eos_token);
  for (const [folder, key] of [["tokenizer", "input_ids"], ["tokenizer_2", "input_ids_2"]]) {
    const config = read(path.join(model, folder, "tokenizer_config.json"));
    const pad = clip.token_to_id(config.pad_token);
    for (const tk of goldens.tokenizations) {
      let ids = clip.encode(tk.text).ids.map(Number);
      if (ids.length > config.model_max_length) ids = [...ids.slice(0, config.model_max_length - 1), eos];
      while (ids.length < config.model_max_length) ids.push(pad);
      check(JSON.stringify(ids) === JSON.stringify(tk[key]),
        `${folder} (pad ${JSON.stringify(config.pad_token)} = ${pad}) ${JSON.stringify(tk.text)} -> ${ids.slice(0, 8).join(",")},...`);
    }
  }
}

// 4. The goldens against the graphs: both text encoders on the recorded ids, hidden_states.1 of each concatenated
// (zeros for the negative half when negative_embeds is "zeros"), the UNet's first call on the recorded initial noise
// (Euler's scale_model_input divides by init_noise_sigma at step 1), and the decode of the final latents vs the PNGs.
const f32 = (data, shape) => new ort.Tensor("float32", Float32Array.from(data), shape);
const i64 = (data, shape) => new ort.Tensor("int64", BigInt64Array.from(data, (v) => BigInt(v)), shape);
// hidden_states[-(clip_skip + 2)] of two-layer encoders: hidden_states.1 by default, .0 with clip_skip 1 (the prompt
// only; the negative prompt always takes hidden_states.1)
async function encode(ids, ids2, layer = "hidden_states.1") {
  const a = await (await session(graphFile("text_encoder"))).run({ input_ids: i64(ids, [1, 77]) });
  const b = await (await session(graphFile("text_encoder_2"))).run({ input_ids: i64(ids2, [1, 77]) });
  const h1 = a[layer].data, h2 = b[layer].data, w1 = 16, w2 = 24;
  const ehs = new Float32Array(77 * (w1 + w2));
  for (let t = 0; t < 77; t++) {
    ehs.set(h1.subarray(t * w1, (t + 1) * w1), t * (w1 + w2));
    ehs.set(h2.subarray(t * w2, (t + 1) * w2), t * (w1 + w2) + w1);
  }
  return { ehs: Array.from(ehs), pooled: Array.from(b.text_embeds.data) };
}
const scaling = Math.fround(read(path.join(model, "vae_decoder", "config.json")).scaling_factor);
const callOptions = path.join(model, "goldens", "call_options.json");
const allCases = [...goldens.cases, ...(fs.existsSync(callOptions) ? read(callOptions).cases : [])];
for (const c of allCases) {
  const n = c.seeds.length;
  const pos = await encode(c.prompt_ids, c.prompt_ids_2, `hidden_states.${1 - (c.clip_skip ?? 0)}`);
  let rows = Array(n).fill(pos);
  if (c.do_classifier_free_guidance) {
    const neg = c.negative_embeds === "zeros"
      ? { ehs: Array(77 * 40).fill(0), pooled: Array(24).fill(0) }
      : await encode(c.negative_ids, c.negative_ids_2);
    rows = [...Array(n).fill(neg), ...rows];
  }
  const timeIds = [...c.original_size, ...c.crops_coords_top_left, ...c.target_size];
  const wantIds = rows.flatMap(() => timeIds);
  check(JSON.stringify(c.step_1.unet_time_ids.data) === JSON.stringify(wantIds),
    `${c.name}: time_ids = ${rows.length} x (${timeIds.join(", ")})`);
  const pooled = rows.flatMap((r) => r.pooled);
  const dp = maxAbsDiff(pooled, c.step_1.unet_text_embeds.data);
  check(dp <= 1e-5, `${c.name}: text_embeds of the UNet batch vs golden max diff ${dp.toExponential(2)}`);
  const x0 = c.initial_noise.data;
  const input = c.do_classifier_free_guidance ? [...x0, ...x0] : x0;
  const out = await (await session(graphFile("unet"))).run({
    sample: f32(input, [rows.length, 4, c.height / 8, c.width / 8]),
    timestep: f32([c.step_1.unet_timestep], []),
    encoder_hidden_states: f32(rows.flatMap((r) => r.ehs), [rows.length, 77, 40]),
    text_embeds: f32(pooled, [rows.length, 24]),
    time_ids: f32(c.step_1.unet_time_ids.data, [rows.length, 6]),
  });
  const d = maxAbsDiff(Array.from(out.out_sample.data), c.step_1.unet_out_sample.data);
  check(d <= 1e-4, `${c.name}: step-1 UNet output vs golden max diff ${d.toExponential(2)}`);

  const lat = c.final_latents.data.map((v) => Math.fround(v / scaling));
  const img = (await (await session(graphFile("vae_decoder"))).run({ latent_sample: f32(lat, c.final_latents.shape) })).sample;
  const [, , H, W] = img.dims;
  c.images.forEach((png, k) => {
    const ref = readPng(path.join(model, "goldens", png));
    let worstPx = 0, off = 0;
    for (let ch = 0; ch < 3; ch++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const v = img.data[((k * 3 + ch) * H + y) * W + x];
      const u = Math.min(1, Math.max(0, Math.fround(Math.fround(v * 0.5) + 0.5)));
      const diff = Math.abs(roundHalfEven(Math.fround(u * 255)) - ref.data[(y * W + x) * 3 + ch]);
      worstPx = Math.max(worstPx, diff); if (diff) off++;
    }
    check(worstPx <= 1, `${c.name} image ${k}: ORT decode vs PNG: ${off} of ${3 * H * W} values differ, max ${worstPx}`);
  });
}

console.log(failures ? `${failures} failures` : "all checks passed");
process.exit(failures ? 1 : 0);
