// Shared set-up for tjs_goldens.mjs and tjs_bench.mjs: where things are, transformers.js configured for local
// models only, model loaders, and a recorder that sees every decoder step of model.generate().
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
    env,
    AutoModelForCausalLM,
    AutoProcessor,
    AutoTokenizer,
    Qwen2VLForConditionalGeneration,
} from '@huggingface/transformers';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..', '..');
export const MODELS = path.join(ROOT, 'models');
export const OUT = path.join(ROOT, 'tempera-text', 'src', 'test', 'resources', 'conformance');

// Never touch the network: the models are the ones in the repository.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = MODELS + path.sep;

/** The installed transformers.js and onnxruntime-node versions (read from their package.json files). */
export function versions() {
    const read = (name) =>
        JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', ...name.split('/'), 'package.json'), 'utf8'))
            .version;
    return {
        transformers_js: read('@huggingface/transformers'),
        onnxruntime_node: read('onnxruntime-node'),
        node: process.version,
    };
}

/** shapes-lm: Optimum layout, `model.onnx` at the model root (not under onnx/), float32. */
export async function loadLm() {
    const tokenizer = await AutoTokenizer.from_pretrained('shapes-lm');
    const model = await AutoModelForCausalLM.from_pretrained('shapes-lm', { subfolder: '', dtype: 'fp32' });
    return { tokenizer, model };
}

/** shapes-vl: onnx-community Qwen2-VL layout (onnx/vision_encoder, embed_tokens, decoder_model_merged), float32. */
export async function loadVl() {
    const processor = await AutoProcessor.from_pretrained('shapes-vl');
    const model = await Qwen2VLForConditionalGeneration.from_pretrained('shapes-vl', { dtype: 'fp32' });
    return { processor, model };
}

/**
 * Wraps `model.forward` so that each decoder step of `generate()` is seen: the position ids and rope deltas
 * transformers.js fed, and the last row of the logits. `reset()` before each generate call.
 */
export function recordSteps(model) {
    const original = model.forward.bind(model);
    const recorder = { steps: [], reset() { this.steps = []; } };
    model.forward = async (modelInputs) => {
        const outputs = await original(modelInputs);
        const logits = outputs.logits;
        const vocab = logits.dims.at(-1);
        const data = logits.data;
        const last = Float32Array.from(data.subarray(data.length - vocab));
        recorder.steps.push({
            position_ids: modelInputs.position_ids ?? null,
            rope_deltas: modelInputs.rope_deltas ?? null,
            input_length: modelInputs.input_ids.dims.at(-1),
            logits: last,
        });
        return outputs;
    };
    return recorder;
}

/** Top-1 id and the gap between the two largest logits (how close greedy came to a tie). */
export function top2(logits) {
    let best = -1, second = -1;
    for (let i = 0; i < logits.length; i++) {
        if (best < 0 || logits[i] > logits[best]) { second = best; best = i; }
        else if (second < 0 || logits[i] > logits[second]) { second = i; }
    }
    return { id: best, margin: logits[best] - logits[second] };
}

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export function nowMs() {
    return Number(process.hrtime.bigint()) / 1e6;
}
