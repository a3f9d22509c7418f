// Runs every golden case under tools/sample-models/golden/ on onnxruntime-node and compares the outputs.
// A quick check of a fresh export without Maven; the authoritative check is the Java test SampleModelsGoldenTest.
//
//   cd tools/sample-models/work/node && ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm install onnxruntime-node@1.23.2
//   node tools/sample-models/check_golden.mjs [filter]
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const require = createRequire(path.join(here, "work", "node", "package.json"));
const ort = require("onnxruntime-node");

function readNpy(file) {
  const buf = fs.readFileSync(file);
  const headerLen = buf[6] === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = buf[6] === 1 ? 10 : 12;
  const header = buf.toString("latin1", start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(",").map((s) => s.trim()).filter((s) => s).map(Number);
  const data = buf.subarray(start + headerLen);
  const copy = (Ctor) => new Ctor(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const kinds = { "<f4": ["float32", Float32Array], "<i8": ["int64", BigInt64Array], "<i4": ["int32", Int32Array],
                  "|b1": ["bool", Uint8Array] };
  const [type, Ctor] = kinds[descr] ?? (() => { throw new Error(`${file}: unsupported dtype ${descr}`); })();
  return new ort.Tensor(type, copy(Ctor), shape);
}

const filter = process.argv[2] ?? "";
let failures = 0, cases = 0;
for (const model of fs.readdirSync(path.join(here, "golden")).sort()) {
  for (const name of fs.readdirSync(path.join(here, "golden", model)).sort()) {
    const dir = path.join(here, "golden", model, name);
    if (!`${model}/${name}`.includes(filter)) continue;
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "case.json"), "utf8"));
    const session = await ort.InferenceSession.create(path.join(root, spec.model));
    const feeds = {};
    for (const [k, f] of Object.entries(spec.inputs)) feeds[k] = readNpy(path.join(dir, f));
    const missing = session.inputNames.filter((n) => !(n in feeds));
    const extra = Object.keys(feeds).filter((n) => !session.inputNames.includes(n));
    cases++;
    if (missing.length || extra.length) {
      console.log(`FAIL ${model}/${name}: inputs missing ${missing} extra ${extra}`);
      failures++;
      continue;
    }
    const out = await session.run(feeds);
    let worst = 0, ok = true;
    for (const [k, f] of Object.entries(spec.outputs)) {
      const want = readNpy(path.join(dir, f));
      const got = out[k];
      if (!got || got.dims.join(",") !== want.dims.join(",")) {
        console.log(`FAIL ${model}/${name}: ${k} shape ${got?.dims} != ${want.dims}`);
        ok = false;
        continue;
      }
      for (let i = 0; i < want.data.length; i++) {
        const e = Number(want.data[i]), a = Number(got.data[i]);
        const err = Math.abs(a - e);
        worst = Math.max(worst, err);
        if (!(err <= spec.atol + spec.rtol * Math.abs(e))) {
          console.log(`FAIL ${model}/${name}: ${k}[${i}] expected ${e} actual ${a}`);
          ok = false;
          break;
        }
      }
    }
    if (!ok) failures++;
    console.log(`${ok ? "ok  " : "FAIL"} ${model}/${name} (max abs error ${worst.toExponential(2)})`);
  }
}
console.log(`${cases - failures}/${cases} golden cases pass`);
process.exit(failures ? 1 : 0);
