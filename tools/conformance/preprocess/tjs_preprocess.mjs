// Runs transformers.js's Qwen2-VL image processor on the same images as qwen2vl_reference.py and
//  1. prints, per case, how far its pixel_values are from the Python reference (grid, max / mean abs difference);
//  2. writes, for the cases that need no resize (so sharp never resamples), its pixel_values as a second golden to
//     tempera-runtime/src/test/resources/qwen2vl/goldens/tjs/<case>.npy.gz and its grid and input_ids to
//     goldens/tjs/manifest.json.
//
//   node tools/conformance/preprocess/tjs_preprocess.mjs [OUT_DIR]
//
// OUT_DIR (default /tmp/tjs-preprocess) receives every case's pixel_values as .npy and summary.json.
// TJS_NODE_MODULES points at a node_modules holding @huggingface/transformers (default: the sample-models one,
// tools/sample-models/work/tjs/node_modules). No network: env.allowRemoteModels = false.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..', '..');
const RES = path.join(ROOT, 'tempera-runtime', 'src', 'test', 'resources', 'qwen2vl');
const GOLDENS = path.join(RES, 'goldens');
const MODEL = path.join(ROOT, 'models', 'shapes-vl');
const NODE_MODULES = process.env.TJS_NODE_MODULES ?? path.join(ROOT, 'tools', 'sample-models', 'work', 'tjs', 'node_modules');
const TJS_DIR = path.join(NODE_MODULES, '@huggingface', 'transformers');

const { env, AutoProcessor, AutoImageProcessor, RawImage } = await import(
    pathToFileURL(path.join(TJS_DIR, 'dist', 'transformers.node.mjs')).href
);
env.allowRemoteModels = false;
env.allowLocalModels = true;

const PROMPT = '<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>Describe the image.<|im_end|>\n<|im_start|>assistant\n';

/** A float32 C-order .npy file. */
function npyBytes(data, shape) {
    let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
    const pad = 64 - ((10 + header.length + 1) % 64);
    header += ' '.repeat(pad % 64) + '\n';
    const head = Buffer.alloc(10);
    head.write('\x93NUMPY', 0, 'latin1');
    head[6] = 1;
    head[7] = 0;
    head.writeUInt16LE(header.length, 8);
    const body = Buffer.from(new Float32Array(data).buffer);
    return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
}

/** Reads a float32 .npy (optionally gzipped): { data: Float32Array, shape }. */
function readNpy(file) {
    let buf = fs.readFileSync(file);
    if (file.endsWith('.gz')) buf = zlib.gunzipSync(buf);
    const len = buf.readUInt16LE(8);
    const header = buf.toString('latin1', 10, 10 + len);
    if (!header.includes("'<f4'")) throw new Error(`${file}: expected float32, header ${header}`);
    const shape = header.match(/\(([^)]*)\)/)[1].split(',').filter((s) => s.trim()).map(Number);
    const start = 10 + len;
    const copy = buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + buf.length);
    return { data: new Float32Array(copy), shape };
}

/** make_images.large_photo in 32-bit integer arithmetic. */
function largePhoto(width, height) {
    const out = new Uint8ClampedArray(width * height * 3);
    const clip = (v) => Math.max(0, Math.min(255, v));
    const fdiv = (a, b) => Math.floor(a / b);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            let h = (Math.imul(x, 73856093) ^ Math.imul(y, 19349663)) >>> 0;
            h = Math.imul((h ^ (h >>> 13)) >>> 0, 1274126177) >>> 0;
            const noise = ((h >>> 24) % 17) - 8;
            const noise2 = (((h >>> 16) & 0xff) % 9) - 4;
            const d2 = (x - 900) ** 2 + (y - 420) ** 2;
            const disc = (d2 < 260 * 260 ? 70 : 0) + (d2 < 200 * 200 ? 40 : 0);
            const checker = y > 700 ? ((fdiv(x, 97) + fdiv(y, 89)) % 2 === 0 ? 25 : -25) : 0;
            const i = (y * width + x) * 3;
            out[i] = clip(30 + fdiv(x * 180, width - 1) + disc + noise);
            out[i + 1] = clip(20 + fdiv(y * 200, height - 1) + checker + noise2);
            out[i + 2] = clip(200 - fdiv(x * 120, width - 1) - fdiv(y * 60, height - 1) + fdiv(disc, 2) + noise);
        }
    }
    return new RawImage(out, width, height, 3);
}

const tempDirs = [];

/** shapes-vl's preprocessor_config.json with another pixel budget, in a temporary model folder. */
function budgetDir(minPixels, maxPixels) {
    const config = JSON.parse(fs.readFileSync(path.join(MODEL, 'preprocessor_config.json'), 'utf8'));
    config.min_pixels = minPixels;
    config.max_pixels = maxPixels;
    config.size = { shortest_edge: minPixels, longest_edge: maxPixels };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2vl-budget-'));
    tempDirs.push(dir);
    fs.writeFileSync(path.join(dir, 'preprocessor_config.json'), JSON.stringify(config));
    return dir;
}

function compare(a, b) {
    let max = 0;
    let sum = 0;
    for (let i = 0; i < a.length; i++) {
        const d = Math.abs(a[i] - b[i]);
        if (d > max) max = d;
        sum += d;
    }
    return { max_abs_diff: max, mean_abs_diff: sum / a.length };
}

const outDir = process.argv[2] ?? path.join(os.tmpdir(), 'tjs-preprocess');
fs.mkdirSync(outDir, { recursive: true });
const manifest = JSON.parse(fs.readFileSync(path.join(GOLDENS, 'manifest.json'), 'utf8'));
const version = JSON.parse(fs.readFileSync(path.join(TJS_DIR, 'package.json'), 'utf8')).version;
const shapesProcessor = await AutoProcessor.from_pretrained(MODEL);
const imagePadId = shapesProcessor.tokenizer.convert_tokens_to_ids('<|image_pad|>');
const tjsManifest = { generator: 'tools/conformance/preprocess/tjs_preprocess.mjs', transformers_js: version,
    node: process.version, prompt: PROMPT, image_pad_id: imagePadId, cases: [] };
const summary = [];
fs.mkdirSync(path.join(GOLDENS, 'tjs'), { recursive: true });

for (const c of manifest.cases) {
    const image = c.procedural ? largePhoto(c.width, c.height) : await RawImage.read(path.join(RES, c.image));
    let pixelValues;
    let grid;
    let inputIds = null;
    if (c.budget === 'shapes-vl') {
        const out = await shapesProcessor(PROMPT, image);
        pixelValues = out.pixel_values;
        grid = Array.from(out.image_grid_thw.data, Number);
        inputIds = Array.from(out.input_ids.data, Number);
    } else {
        const processor = await AutoImageProcessor.from_pretrained(budgetDir(c.min_pixels, c.max_pixels));
        const out = await processor(image);
        pixelValues = out.pixel_values;
        grid = Array.from(out.image_grid_thw.data, Number);
    }
    const data = pixelValues.data;
    fs.writeFileSync(path.join(outDir, `${c.name}.npy`), npyBytes(data, pixelValues.dims));
    const entry = { name: c.name, input: `${c.width}x${c.height} ${c.mode}`, python_grid: c.grid_thw, tjs_grid: grid,
        resized_by_python: c.resized[0] !== c.height || c.resized[1] !== c.width };
    if (JSON.stringify(grid) === JSON.stringify(c.grid_thw)) {
        if (c.pixel_values) {
            Object.assign(entry, compare(data, readNpy(path.join(GOLDENS, c.pixel_values)).data));
        } else {
            // only every row_stride-th row of the large case is stored
            const rows = readNpy(path.join(GOLDENS, c.pixel_values_rows));
            const dim = pixelValues.dims[1];
            const picked = new Float32Array(rows.data.length);
            for (let r = 0; r < rows.shape[0]; r++) {
                picked.set(data.subarray(r * c.row_stride * dim, (r * c.row_stride + 1) * dim), r * dim);
            }
            Object.assign(entry, compare(picked, rows.data), { compared_rows: rows.shape[0] });
        }
    } else {
        entry.note = 'grids differ: transformers.js smart_resize rounds halves up (Math.round), Python to even';
    }
    summary.push(entry);
    const noResize = !entry.resized_by_python && JSON.stringify(grid) === JSON.stringify(c.grid_thw);
    if (noResize && c.pixel_values) {
        const file = `tjs/${c.name}.npy.gz`;
        const npy = npyBytes(data, pixelValues.dims);
        fs.writeFileSync(path.join(GOLDENS, file), zlib.gzipSync(npy, { level: 9 }));
        tjsManifest.cases.push({ name: c.name, image: c.image, budget: c.budget, grid_thw: grid,
            pixel_values: file, input_ids: inputIds });
    }
}
fs.writeFileSync(path.join(GOLDENS, 'tjs', 'manifest.json'), JSON.stringify(tjsManifest, null, 1) + '\n');
for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 1) + '\n');
for (const s of summary) {
    console.log(`${s.name.padStart(20)}  ${s.input.padEnd(15)} python ${JSON.stringify(s.python_grid)} tjs ${JSON.stringify(s.tjs_grid)}`
        + (s.max_abs_diff !== undefined ? `  max|d| ${s.max_abs_diff.toExponential(3)} mean|d| ${s.mean_abs_diff.toExponential(3)}` : `  ${s.note}`)
        + (s.resized_by_python ? '  (resized)' : '  (no resize)'));
}
