// Writes the transformers.js conformance goldens for the bundled shapes-lm and shapes-vl models:
//   tempera-text/src/test/resources/conformance/shapes-lm.json
//   tempera-text/src/test/resources/conformance/shapes-vl.json
//   tempera-text/src/test/resources/conformance/pixel_values/<image>.npy
// Every case is rendered with the model's chat template and decoded greedily (do_sample false, 48 new tokens) by
// transformers.js's own generate(). Image cases are decoded a second time with the Python reference's (Pillow)
// pixel_values from pillow_pixels.py, to show whether the resize library changes the tokens. What each field means,
// and where transformers.js departs from the Python reference, is in README.md next to this file.
//
//   cd tools/conformance/generate && ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm install && node tjs_goldens.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RawImage, Tensor, cat } from '@huggingface/transformers';
import { HERE, OUT, ROOT, loadLm, loadVl, recordSteps, top2, versions } from './tjs_common.mjs';

const MAX_NEW_TOKENS = 48;
const IMAGES_DIR = 'images';
const PIXELS_DIR = 'pixel_values';

// ---------------------------------------------------------------------------------------------------------------
// Cases

/** shapes-lm: instructions as in its MODEL_CARD (EXPAND_EN / EXPAND_ZH), chat questions, and odd inputs. */
const LM_CASES = [
    { name: 'en-describe-two-shapes', logits: true,
      messages: [user('Describe a scene with red star, gray triangle.')] },
    { name: 'en-detailed-two-shapes',
      messages: [user('Write a detailed description of a scene with gray square, white circle.')] },
    { name: 'en-imagine-two-shapes', messages: [user('Imagine green circle, red diamond. Describe it.')] },
    { name: 'en-describe-one-shape', messages: [user('Describe a scene with blue square.')] },
    { name: 'zh-describe-two-shapes', logits: true, messages: [user('描述一个有红色的星形、灰色的三角形的场景。')] },
    { name: 'zh-detailed-one-shape', messages: [user('详细描述一个包含粉色的星形的场景。')] },
    { name: 'zh-describe-with-background',
      messages: [user('描述一个有蓝色背景上的一个橙色星形和一个白色三角形的场景。')] },
    { name: 'en-chat-hello', messages: [user('Hello')] },
    { name: 'zh-chat-who-are-you', messages: [user('你是谁？')] },
    { name: 'odd-empty-user-text', logits: true, messages: [user('')] },
    { name: 'odd-whitespace-user-text', messages: [user('  \n ')] },
    { name: 'odd-mixed-languages', messages: [user('Describe a scene with 红色的星形, gray triangle.')] },
    { name: 'odd-unknown-words', messages: [user('Describe a scene with a violet hexagon and a silver moon.')] },
    { name: 'odd-long-prompt', messages: [user(longPrompt())] },
    { name: 'odd-system-and-two-turns', messages: [
        { role: 'system', content: 'You write short descriptions of scenes.' },
        user('Describe a scene with yellow circle.'),
        { role: 'assistant', content: 'a large yellow circle in the middle of a blue background' },
        user('描述一个有绿色的正方形的场景。'),
    ] },
];

/** shapes-vl: images from make_images.sh, the two describe prompts, and the structural variants. */
const EN = 'Describe this image.';
const ZH = '描述这张图片中的场景和细节';
const VL_CASES = [
    { name: 'en-one-shape-64', logits: true, messages: [userImages(['red-circle-64'], EN)] },
    { name: 'zh-one-shape-64', messages: [userImages(['red-circle-64'], ZH)] },
    { name: 'en-two-shapes-64', messages: [userImages(['star-square-64'], EN)] },
    { name: 'zh-two-shapes-64', messages: [userImages(['star-square-64'], ZH)] },
    { name: 'en-triangle-top-64', messages: [userImages(['triangle-64'], EN)] },
    { name: 'en-two-shapes-112-no-resample', logits: true, messages: [userImages(['diamond-circle-112'], EN)] },
    { name: 'zh-two-shapes-112-no-resample', messages: [userImages(['diamond-circle-112'], ZH)] },
    { name: 'en-explicit-system-message', messages: [
        { role: 'system', content: 'You describe pictures of coloured shapes.' },
        userImages(['triangle-64'], EN),
    ] },
    { name: 'multi-turn-image-then-text', messages: [
        userImages(['red-circle-64'], EN),
        { role: 'assistant', content: 'a large red circle on the right side of a blue background' },
        user(ZH),
    ] },
    { name: 'text-only-describe-without-image', logits: true, messages: [user(EN)] },
    { name: 'text-only-expand-instruction', messages: [user('Describe a scene with red star, gray triangle.')] },
    { name: 'two-images-one-message', messages: [userImages(['red-circle-64', 'star-square-64'], EN)] },
];

function user(text) {
    return { role: 'user', content: text };
}

function userImages(images, text) {
    return {
        role: 'user',
        content: [...images.map((name) => ({ type: 'image', image: `${IMAGES_DIR}/${name}.png` })), { type: 'text', text }],
    };
}

/** A long instruction (a few hundred tokens): a paragraph of scene talk, then the usual request. */
function longPrompt() {
    const colours = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'white', 'black', 'gray', 'brown'];
    const kinds = ['circle', 'square', 'triangle', 'star', 'diamond'];
    const sentences = [];
    for (let i = 0; i < 16; i++) {
        sentences.push(`I once saw a ${colours[i % 11]} ${kinds[i % 5]} next to a ${colours[(i * 3 + 4) % 11]} `
            + `${kinds[(i * 2 + 1) % 5]}, and it was ${i % 2 ? 'large' : 'small'}.`);
    }
    return `${sentences.join(' ')} Now describe a scene with red star, gray triangle.`;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const ids = (tensor) => Array.from(tensor.data, Number);

/** The stop reason: the eos id that ended generation, or "length" when max_new_tokens ran out. */
function stopReason(generated, eosIds) {
    const last = generated.at(-1);
    return generated.length > 0 && eosIds.includes(last) ? last : 'length';
}

/** Summarises the recorded decoder steps: each step's greedy id must be the token generate() appended. */
function checkSteps(caseName, steps, generated) {
    if (steps.length !== generated.length) {
        throw new Error(`${caseName}: ${steps.length} decoder steps for ${generated.length} generated tokens`);
    }
    let minMargin = Infinity, minMarginStep = -1;
    steps.forEach((step, i) => {
        const { id, margin } = top2(step.logits);
        if (id !== generated[i]) {
            throw new Error(`${caseName}: step ${i} argmax ${id} but generate() appended ${generated[i]}`);
        }
        if (margin < minMargin) { minMargin = margin; minMarginStep = i; }
    });
    return { min_top2_logit_margin: round6(minMargin), min_margin_step: minMarginStep };
}

const round6 = (x) => Math.round(x * 1e6) / 1e6;

/** Writes a float32 .npy (format 1.0, little endian, C order). */
function writeNpyFloat32(file, data, shape) {
    let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
    const unpadded = 10 + header.length + 1;
    header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
    const prefix = Buffer.alloc(10);
    prefix.write('\x93NUMPY', 0, 'latin1');
    prefix[6] = 1;
    prefix[7] = 0;
    prefix.writeUInt16LE(header.length, 8);
    const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]));
}

/** Reads a little-endian C-order float32 .npy (format 1.x or 2.x) as { data, shape }. */
function readNpyFloat32(file) {
    const buf = fs.readFileSync(file);
    const v1 = buf[6] === 1;
    const headerLength = v1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
    const start = v1 ? 10 : 12;
    const header = buf.toString('latin1', start, start + headerLength);
    if (!header.includes("'descr': '<f4'") || header.includes("'fortran_order': True")) {
        throw new Error(`${file}: expected a C-order little-endian float32 array, header ${header.trim()}`);
    }
    const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    const body = buf.subarray(start + headerLength);
    return { data: new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)), shape };
}

/** The Python reference (Pillow) pixel_values of every image, computed by pillow_pixels.py: image stem → rows. */
function pillowPixels() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tempera-pillow-'));
    try {
        execFileSync('/usr/bin/python3', [path.join(HERE, 'pillow_pixels.py'), dir], { stdio: 'inherit' });
        return new Map(fs.readdirSync(dir).map((f) => [path.basename(f, '.npy'), readNpyFloat32(path.join(dir, f))]));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Greedy decode of a golden case's exact input_ids with other pixel_values. */
async function generateWithPixels(model, inputIds, pixels, grids) {
    const n = inputIds.length;
    const out = await model.generate({
        input_ids: new Tensor('int64', BigInt64Array.from(inputIds, BigInt), [1, n]),
        attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
        pixel_values: new Tensor('float32', pixels, [pixels.length / 1176, 1176]),
        image_grid_thw: new Tensor('int64', BigInt64Array.from(grids.flat(), BigInt), [grids.length, 3]),
        max_new_tokens: MAX_NEW_TOKENS,
        do_sample: false,
    });
    return ids(out).slice(n);
}

/** JSON with two-space indentation, but arrays of numbers kept on one line. */
function stringify(value) {
    return JSON.stringify(value, null, 2).replace(/\[[\d\s,.eE+-]*\]/g, (m) =>
        m.includes('\n') ? m.replace(/\s+/g, ' ').replace(/\[ /, '[').replace(/ \]/, ']') : m,
    ) + '\n';
}

function writeJson(name, value) {
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, name), stringify(value));
    console.log(`wrote ${path.relative(ROOT, path.join(OUT, name))}`);
}

// ---------------------------------------------------------------------------------------------------------------
// shapes-lm

async function lmGoldens(lm) {
    const { tokenizer, model } = lm;
    const eosIds = [model.generation_config.eos_token_id].flat();
    const recorder = recordSteps(model);
    const cases = [];
    for (const c of LM_CASES) {
        const result = await generateLm(lm, recorder, c.messages);
        const entry = {
            name: c.name,
            messages: c.messages,
            prompt_text: result.promptText,
            input_ids: result.inputIds,
            generated_ids: result.generated,
            text: tokenizer.decode(result.generated, { skip_special_tokens: true }),
            stop: stopReason(result.generated, eosIds),
            ...checkSteps(c.name, recorder.steps, result.generated),
        };
        if (c.logits) entry.first_step_logits = Array.from(recorder.steps[0].logits);
        cases.push(entry);
        console.log(`lm ${c.name}: ${result.inputIds.length} → ${result.generated.length} ${entry.stop} | ${entry.text}`);
    }
    return {
        model: 'models/shapes-lm',
        generator: 'tools/conformance/generate/tjs_goldens.mjs',
        ...versions(),
        decoding: { do_sample: false, max_new_tokens: MAX_NEW_TOKENS, eos_token_id: eosIds },
        notes: [
            'prompt_text = tokenizer.apply_chat_template(messages, {add_generation_prompt: true, tokenize: false}); '
                + 'input_ids = tokenizer(prompt_text) (no special tokens added: Qwen2 adds no BOS).',
            'generated_ids are the new tokens only, including the eos token that stopped generation; text is '
                + 'tokenizer.decode(generated_ids, {skip_special_tokens: true}).',
            'attention_mask is all ones; position_ids are 0..n-1 at prefill and the cache length at each decode step.',
            'first_step_logits: the 667 logits of the last prompt position at prefill (the first generated token).',
            'min_top2_logit_margin: the smallest gap between the two largest logits over all generated steps; a '
                + 'Java engine within 1e-4 of these logits cannot flip a greedy choice unless the gap is that small.',
        ],
        cases,
    };
}

async function generateLm({ tokenizer, model }, recorder, messages) {
    const promptText = tokenizer.apply_chat_template(messages, { add_generation_prompt: true, tokenize: false });
    const inputs = tokenizer(promptText);
    recorder.reset();
    const out = await model.generate({ ...inputs, max_new_tokens: MAX_NEW_TOKENS, do_sample: false });
    const all = ids(out);
    const inputIds = ids(inputs.input_ids);
    return { promptText, inputIds, generated: all.slice(inputIds.length) };
}

// ---------------------------------------------------------------------------------------------------------------
// shapes-vl

/** The images of a conversation, in the order the chat template emits their <|image_pad|> tokens. */
function imagesOf(messages) {
    return messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content.filter((p) => p.type === 'image')))
        .map((p) => p.image);
}

/**
 * Processor outputs for a conversation. One image (or none) goes through the stock Qwen2VLProcessor. For several
 * images the stock processor stacks them into one batch, which Qwen2VLImageProcessor then reads as the two
 * temporal frames of ONE image (grid_t = 2 / temporal_patch_size = 1): one image_grid_thw row for two
 * <|image_pad|> tokens, so expansion fails. Then each image is processed alone and the results concatenated, which
 * is what the Python Qwen2VLImageProcessor returns for a list of images.
 */
async function processVl(processor, text, imagePaths) {
    const images = await Promise.all(imagePaths.map((p) => RawImage.read(path.join(OUT, p))));
    if (images.length <= 1) {
        return { inputs: await processor(text, images.length ? images[0] : null), images, stockError: null };
    }
    let stockError;
    try {
        await processor(text, images);
        stockError = null;
    } catch (e) {
        stockError = String(e.message ?? e);
    }
    const parts = [];
    for (const image of images) parts.push(await processor.image_processor(image));
    const pixel_values = cat(parts.map((p) => p.pixel_values), 0);
    const image_grid_thw = cat(parts.map((p) => p.image_grid_thw), 0);
    const merge = processor.image_processor.config.merge_size ** 2;
    let k = 0;
    const expanded = text.replace(/<\|image_pad\|>/g, () => {
        const [t, h, w] = Array.from(image_grid_thw.data.subarray(3 * k, 3 * k + 3), Number);
        k++;
        return '<|image_pad|>'.repeat((t * h * w) / merge);
    });
    const textInputs = processor.tokenizer(expanded);
    return {
        inputs: { ...textInputs, pixel_values, image_grid_thw },
        images,
        stockError,
    };
}

/** Python's rule for the text-only rope delta: max(position) + 1 - seq_len (transformers.js adds seq_len). */
function withPythonTextOnlyDelta(model, run) {
    const original = model._get_text_only_rope_index;
    model._get_text_only_rope_index = function (inputIds, attentionMask) {
        const [positions, deltas] = original.call(this, inputIds, attentionMask);
        const seqLen = BigInt(inputIds.dims[1]);
        const fixed = BigInt64Array.from(deltas.data, (d) => BigInt(d) - 2n * seqLen);
        return [positions, new Tensor('int64', fixed, deltas.dims)];
    };
    return run().finally(() => { model._get_text_only_rope_index = original; });
}

async function generateVl({ processor, model }, recorder, messages) {
    const promptText = processor.apply_chat_template(messages, { add_generation_prompt: true });
    const imagePaths = imagesOf(messages);
    const { inputs, images, stockError } = await processVl(processor, promptText, imagePaths);
    recorder.reset();
    const out = await model.generate({ ...inputs, max_new_tokens: MAX_NEW_TOKENS, do_sample: false });
    const inputIds = ids(inputs.input_ids);
    const generated = ids(out).slice(inputIds.length);
    return { promptText, imagePaths, images, inputs, inputIds, generated, stockError };
}

async function vlGoldens(vl, lm) {
    const { processor, model } = vl;
    const pillow = pillowPixels();
    const eosIds = [model.generation_config.eos_token_id].flat();
    const recorder = recordSteps(model);
    const lmRecorder = recordSteps(lm.model);
    const writtenPixels = new Map();
    const cases = [];
    for (const c of VL_CASES) {
        const r = await generateVl(vl, recorder, c.messages);
        const steps = recorder.steps;
        const prefill = steps[0];
        const seqLen = r.inputIds.length;
        const positions = [0, 1, 2].map((row) => ids(prefill.position_ids).slice(row * seqLen, (row + 1) * seqLen));
        const ropeDelta = Number(prefill.rope_deltas.data[0]);
        const maxPosition = Math.max(...positions.flat());
        const decodePositions = steps.slice(1).map((s, i) => {
            const p = ids(s.position_ids);
            if (p.length !== 3 || p[0] !== p[1] || p[1] !== p[2]) {
                throw new Error(`${c.name}: decode step ${i + 1} position ids ${p} are not three equal values`);
            }
            return p[0];
        });

        const entry = {
            name: c.name,
            messages: c.messages,
            prompt_text: r.promptText,
            input_ids: r.inputIds,
        };
        if (r.imagePaths.length) {
            const grid = ids(r.inputs.image_grid_thw);
            entry.image_grid_thw = Array.from({ length: grid.length / 3 }, (_, i) => grid.slice(3 * i, 3 * i + 3));
            entry.images = writeImagePixels(c.name, r, entry.image_grid_thw, writtenPixels, pillow);
            entry.pixel_values_shape = r.inputs.pixel_values.dims;
            if (r.stockError !== null) entry.stock_processor_error = r.stockError;
        }
        Object.assign(entry, {
            position_ids: positions,
            rope_delta: ropeDelta,
            rope_delta_python_rule: maxPosition + 1 - seqLen,
            decode_position_ids: decodePositions,
            generated_ids: r.generated,
            text: processor.tokenizer.decode(r.generated, { skip_special_tokens: true }),
            stop: stopReason(r.generated, eosIds),
            ...checkSteps(c.name, steps, r.generated),
        });
        if (c.logits) entry.first_step_logits = Array.from(prefill.logits);

        if (r.imagePaths.length) {
            const parts = r.imagePaths.map((p) => pillow.get(path.basename(p, '.png')).data);
            const pixels = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
            parts.reduce((offset, p) => { pixels.set(p, offset); return offset + p.length; }, 0);
            const generated = await generateWithPixels(model, r.inputIds, pixels, entry.image_grid_thw);
            entry.with_pillow_pixel_values = {
                generated_ids: generated,
                text: processor.tokenizer.decode(generated, { skip_special_tokens: true }),
                stop: stopReason(generated, eosIds),
                same_tokens_as_transformers_js: sameIds(generated, r.generated),
            };
        } else {
            // transformers.js's text-only rope delta differs from Python's: decode once more with Python's rule,
            // and with shapes-lm (the same weights with 1-D positions, so the same numbers as Python's rule).
            const py = await withPythonTextOnlyDelta(model, () => generateVl(vl, recorder, c.messages));
            const pyDecode = recorder.steps.slice(1).map((s) => Number(s.position_ids.data[0]));
            const lmRun = await generateLm(lm, lmRecorder, c.messages);
            entry.python_rule = {
                rope_delta: Number(recorder.steps[0].rope_deltas.data[0]),
                decode_position_ids: pyDecode,
                generated_ids: py.generated,
                text: processor.tokenizer.decode(py.generated, { skip_special_tokens: true }),
                stop: stopReason(py.generated, eosIds),
                same_tokens_as_transformers_js: sameIds(py.generated, r.generated),
                same_tokens_as_shapes_lm: sameIds(py.generated, lmRun.generated),
            };
        }
        cases.push(entry);
        const other = entry.python_rule ?? entry.with_pillow_pixel_values;
        console.log(`vl ${c.name}: ${seqLen} → ${r.generated.length} ${entry.stop} delta ${ropeDelta} | ${entry.text}`
            + (other.same_tokens_as_transformers_js ? '' : ` || ${entry.python_rule ? 'python rule' : 'pillow'}: ${other.text}`));
    }
    return {
        model: 'models/shapes-vl',
        generator: 'tools/conformance/generate/tjs_goldens.mjs',
        ...versions(),
        decoding: { do_sample: false, max_new_tokens: MAX_NEW_TOKENS, eos_token_id: eosIds },
        notes: [
            'prompt_text = processor.apply_chat_template(messages, {add_generation_prompt: true}) (one <|image_pad|> '
                + 'per image); input_ids are after expansion to t*h*w/4 <|image_pad|> tokens per image.',
            'messages name images by path relative to this file (images/*.png; images/*.json is the true scene).',
            'pixel_values: exactly what transformers.js fed the vision encoder, one float32 .npy per image '
                + '(rows t*h*w, 1176 columns); a case with several images concatenates them in order. 64x64 images '
                + 'were upsampled to 112x112 by sharp (libvips) bicubic, NOT Pillow: see images[].resampled, '
                + 'images[].max_abs_diff_from_pillow and README.md.',
            'with_pillow_pixel_values: the same input_ids decoded greedily by transformers.js with the Python '
                + 'reference pixel_values (Pillow bicubic, tools/sample-models/decoder_model.py preprocess_image) in '
                + 'place of sharp\'s: the tokens an engine that preprocesses like Pillow should produce end to end.',
            'position_ids: the 3 x seq M-RoPE rows (t, h, w) transformers.js fed at prefill; rope_delta: the delta it '
                + 'kept for decoding; decode_position_ids: the value fed (in all three rows) at each decode step, '
                + 'i.e. cache length + rope_delta.',
            'rope_delta_python_rule = max(position_ids) + 1 - seq_len (HF Python). It equals rope_delta for image '
                + 'prompts. For text-only prompts transformers.js computes max + 1 + seq_len instead; those cases also '
                + 'carry python_rule: the greedy decode with the Python delta, which is what Tempera must reproduce.',
            'generated_ids are the new tokens only, including the eos token that stopped generation.',
            'first_step_logits: the 667 logits of the last prompt position at prefill.',
        ],
        cases,
    };
}

function sameIds(a, b) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Writes each image's pixel_values once (pixel_values/<image>.npy) and checks repeats are byte-identical. */
function writeImagePixels(caseName, r, grids, written, pillow) {
    const all = r.inputs.pixel_values;
    const cols = all.dims[1];
    let row = 0;
    return r.imagePaths.map((imagePath, i) => {
        const [t, h, w] = grids[i];
        const rows = t * h * w;
        const data = Float32Array.from(all.data.subarray(row * cols, (row + rows) * cols));
        row += rows;
        const stem = path.basename(imagePath, '.png');
        const file = `${PIXELS_DIR}/${stem}.npy`;
        const previous = written.get(file);
        if (previous) {
            if (previous.length !== data.length || previous.some((v, j) => v !== data[j])) {
                throw new Error(`${caseName}: pixel_values of ${imagePath} differ from an earlier case`);
            }
        } else {
            writeNpyFloat32(path.join(OUT, file), data, [rows, cols]);
            written.set(file, data);
        }
        const image = r.images[i];
        const resized = [h * 14, w * 14];
        const reference = pillow.get(stem).data;
        if (reference.length !== data.length) {
            throw new Error(`${caseName}: Pillow pixel_values of ${imagePath} have ${reference.length} values, not ${data.length}`);
        }
        const maxDiff = data.reduce((m, v, j) => Math.max(m, Math.abs(v - reference[j])), 0);
        return {
            image: imagePath,
            original_size_hw: [image.height, image.width],
            resized_size_hw: resized,
            resampled: image.height !== resized[0] || image.width !== resized[1],
            pixel_values: file,
            rows,
            max_abs_diff_from_pillow: maxDiff,
        };
    });
}

// ---------------------------------------------------------------------------------------------------------------

const lm = await loadLm();
writeJson('shapes-lm.json', await lmGoldens(lm));
const vl = await loadVl();
writeJson('shapes-vl.json', await vlGoldens(vl, lm));
