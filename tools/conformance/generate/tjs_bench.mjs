// Measures transformers.js on this machine for the bundled shapes-lm and shapes-vl models and writes
// bench-results.json: prefill tokens/s and decode tokens/s of greedy generate() with 64 new tokens
// (min_new_tokens 64, so no run stops early), median of RUNS runs after WARMUPS warm-ups, ORT thread settings as
// transformers.js leaves them (it sets none).
//
//   cd tools/conformance/generate && nice -n -5 node tjs_bench.mjs [--wait-quiet SECONDS]
//
// --wait-quiet: first wait (up to SECONDS in all) until no other process at nice <= 0 has used the CPU for 5 s
// (background jobs at a positive nice, like a training run, are tolerated), and measure again if one ran during the
// bench, so builds of other people do not land in the numbers. bench-results.json says whether that worked.
//
// Timing of one generate() call, t0 = just before it:
//   prefill = t0 → end of the first model.forward (input preparation, for VL also embed_tokens, the vision encoder
//             and the merge, then the decoder over the whole prompt); prefill tokens/s = prompt tokens / prefill.
//   decode  = end of the first forward → generate() returns: 63 single-token decoder steps plus the sampler,
//             logits processors and stopping criteria of all 64 tokens; decode tokens/s = 63 / decode.
// Image preprocessing (reading the PNG, resizing, patchifying) is timed separately, not counted in prefill.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RawImage } from '@huggingface/transformers';
import { HERE, OUT, loadLm, loadVl, nowMs, versions } from './tjs_common.mjs';

const WARMUPS = 2;
const RUNS = 15;
const NEW_TOKENS = 64;
const LM_PROMPT = 'Write a detailed description of a scene with gray square, white circle.';
const VL_IMAGE = path.join(OUT, 'images', 'red-circle-64.png');
const VL_PROMPT = 'Describe this image.';

const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Threads of this process (/proc/self/status), to see how many ORT adds. */
function threadCount() {
    return Number(/Threads:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);
}

function loadAverage() {
    return fs.readFileSync('/proc/loadavg', 'utf8').trim().split(/\s+/).slice(0, 3).map(Number);
}

/** CPU ticks (user + system) and nice of every process, from /proc. */
function cpuTicks() {
    const out = new Map();
    for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
        try {
            const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
            const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            out.set(pid, { ticks: Number(fields[11]) + Number(fields[12]), nice: Number(fields[16]) });
        } catch { /* the process ended */ }
    }
    return { at: nowMs(), processes: out };
}

/** Other processes that used at least 5 % of a core between two cpuTicks() snapshots, busiest first. */
function busyBetween(before, after) {
    const seconds = (after.at - before.at) / 1000;
    const busy = [];
    for (const [pid, a] of after.processes) {
        const b = before.processes.get(pid);
        if (!b || pid === String(process.pid)) continue;
        const cores = (a.ticks - b.ticks) / 100 / seconds; // USER_HZ is 100 on Linux
        if (cores >= 0.05) {
            let command = '';
            try { command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim().slice(0, 100); } catch { /* gone */ }
            busy.push({ pid: Number(pid), cpu_cores: round(cores, 2), nice: a.nice, command });
        }
    }
    return busy.sort((x, y) => y.cpu_cores - x.cpu_cores);
}

/** Processes busy over the next second. */
function busyNow() {
    const before = cpuTicks();
    const start = Date.now();
    while (Date.now() - start < 1000) { /* one-second window; busy-waiting keeps this free of timers */ }
    return busyBetween(before, cpuTicks());
}

function cpuModel() {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    return /model name\s*:\s*(.*)/.exec(info)?.[1] ?? 'unknown';
}

/** Wraps model.forward to note when the first (prefill) step of each generate() ends, and each step's time. */
function instrument(model) {
    const original = model.forward.bind(model);
    const clock = { firstEnd: null, steps: [] };
    model.forward = async (inputs) => {
        const start = nowMs();
        const out = await original(inputs);
        const end = nowMs();
        clock.steps.push(end - start);
        if (clock.firstEnd === null) clock.firstEnd = end;
        return out;
    };
    return clock;
}

async function measure(label, model, inputs, promptTokens) {
    const clock = instrument(model);
    const runs = [];
    for (let i = 0; i < WARMUPS + RUNS; i++) {
        clock.firstEnd = null;
        clock.steps = [];
        const t0 = nowMs();
        const out = await model.generate({
            ...inputs, max_new_tokens: NEW_TOKENS, min_new_tokens: NEW_TOKENS, do_sample: false,
        });
        const t1 = nowMs();
        const generated = out.dims[1] - promptTokens;
        if (generated !== NEW_TOKENS || clock.steps.length !== NEW_TOKENS) {
            throw new Error(`${label}: ${generated} tokens in ${clock.steps.length} steps, expected ${NEW_TOKENS}`);
        }
        if (i < WARMUPS) continue;
        const prefillMs = clock.firstEnd - t0;
        const decodeMs = t1 - clock.firstEnd;
        runs.push({
            prefill_ms: prefillMs,
            decode_ms: decodeMs,
            total_ms: t1 - t0,
            decode_step_forward_ms: median(clock.steps.slice(1)),
        });
    }
    const prefillMs = median(runs.map((r) => r.prefill_ms));
    const decodeMs = median(runs.map((r) => r.decode_ms));
    const result = {
        prompt_tokens: promptTokens,
        new_tokens: NEW_TOKENS,
        prefill_ms_median: round(prefillMs),
        prefill_ms_min: round(Math.min(...runs.map((r) => r.prefill_ms))),
        prefill_tokens_per_s: round((promptTokens / prefillMs) * 1000, 1),
        decode_ms_median: round(decodeMs),
        decode_ms_min: round(Math.min(...runs.map((r) => r.decode_ms))),
        decode_tokens_per_s: round(((NEW_TOKENS - 1) / decodeMs) * 1000, 1),
        decode_forward_ms_per_token_median: round(median(runs.map((r) => r.decode_step_forward_ms)), 3),
        total_ms_median: round(median(runs.map((r) => r.total_ms))),
        runs: runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v, 3)]))),
    };
    console.log(`${label}: prefill ${result.prefill_tokens_per_s} tok/s (${result.prefill_ms_median} ms for `
        + `${promptTokens}), decode ${result.decode_tokens_per_s} tok/s (forward ${result.decode_forward_ms_per_token_median} ms/token)`);
    return result;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Waits until no process at nice <= 0 besides this one has been busy for 5 one-second samples in a row;
 * false on timeout.
 */
function waitQuiet(deadline) {
    let quietSamples = 0;
    while (quietSamples < 5) {
        const busy = busyNow().filter((p) => p.nice <= 0);
        quietSamples = busy.length === 0 ? quietSamples + 1 : 0;
        if (Date.now() > deadline) return false;
        if (busy.length) console.log(`waiting for quiet: ${busy.map((p) => `${p.pid} ${p.command.slice(0, 40)}`).join('; ')}`);
    }
    return true;
}

const waitArg = process.argv.indexOf('--wait-quiet');
const waitSeconds = waitArg >= 0 ? Number(process.argv[waitArg + 1] ?? 600) : null;
const threadsAtStart = threadCount();

const lm = await loadLm();
const lmText = lm.tokenizer.apply_chat_template([{ role: 'user', content: LM_PROMPT }],
    { add_generation_prompt: true, tokenize: false });
const lmInputs = lm.tokenizer(lmText);
const threadsAfterLm = threadCount();

const vl = await loadVl();
const threadsAfterVl = threadCount();
const vlText = vl.processor.apply_chat_template(
    [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: VL_PROMPT }] }], { add_generation_prompt: true });
const image = await RawImage.read(VL_IMAGE);
const preprocessMs = [];
let vlInputs;
for (let i = 0; i < WARMUPS + RUNS; i++) {
    const t0 = nowMs();
    vlInputs = await vl.processor(vlText, image);
    if (i >= WARMUPS) preprocessMs.push(nowMs() - t0);
}
const threadsAfterPreprocess = threadCount();

// With --wait-quiet, a run during which other nice <= 0 processes used more than 10 % of a core is repeated.
const deadline = waitSeconds === null ? null : Date.now() + waitSeconds * 1000;
let lmResult, vlResult, quiet = null, attempts = 0, loadBefore, during;
for (;;) {
    attempts++;
    if (deadline !== null) quiet = waitQuiet(deadline);
    loadBefore = loadAverage();
    const before = cpuTicks();
    lmResult = await measure('shapes-lm', lm.model, lmInputs, lmInputs.input_ids.dims[1]);
    vlResult = await measure('shapes-vl', vl.model, vlInputs, vlInputs.input_ids.dims[1]);
    during = busyBetween(before, cpuTicks());
    const disturbed = during.filter((p) => p.nice <= 0).reduce((sum, p) => sum + p.cpu_cores, 0) > 0.1;
    if (deadline === null || !disturbed || Date.now() > deadline) { if (disturbed) quiet = false; break; }
    console.log(`other processes ran during the bench (${JSON.stringify(during.filter((p) => p.nice <= 0).map((p) => p.pid))}); again`);
}
vlResult.image = path.relative(path.join(HERE, '..', '..', '..'), VL_IMAGE);
vlResult.image_tokens = vlInputs.input_ids.data.filter((x) => x === 665n).length;
vlResult.preprocess_ms_median = round(median(preprocessMs), 3);

const results = {
    date: new Date().toISOString(),
    ...versions(),
    cpu_model: cpuModel(),
    logical_cpus: os.cpus().length,
    os: `${os.type()} ${os.release()}`,
    process_nice: os.getPriority(),
    ort_threads: {
        note: 'transformers.js passes no thread options, so onnxruntime-node uses its defaults: intraOpNumThreads 0 '
            + '(ORT picks one per physical core, the caller included), sequential execution (inter-op unused), '
            + 'graph optimisation level all. threads_* are this process\'s thread counts: each ORT session adds one '
            + 'intra-op worker (pool of 2 with the calling thread on this 2-core machine); sharp adds its own.',
        threads_before_models: threadsAtStart,
        threads_after_shapes_lm: threadsAfterLm,
        threads_after_shapes_vl: threadsAfterVl,
        threads_after_image_preprocessing: threadsAfterPreprocess,
    },
    quiet_during_bench: quiet,
    attempts,
    load_average_before: loadBefore,
    load_average_after: loadAverage(),
    other_processes_during_bench: during,
    method: {
        warmups: WARMUPS,
        runs: RUNS,
        statistic: 'median',
        generate: { do_sample: false, max_new_tokens: NEW_TOKENS, min_new_tokens: NEW_TOKENS },
        prefill: 'from just before generate() to the end of the first model.forward (for VL: embed_tokens, vision '
            + 'encoder, merge and decoder over the prompt); prompt tokens / that time',
        decode: 'from the end of the first forward to the return of generate(): 63 one-token decoder steps plus '
            + 'sampling/processors for 64 tokens; 63 / that time',
        decode_forward_ms_per_token: 'median time of one decode-step model.forward alone (no sampler)',
    },
    shapes_lm: { prompt: LM_PROMPT, ...lmResult },
    shapes_vl: { prompt: VL_PROMPT, ...vlResult },
};
const file = path.join(HERE, 'bench-results.json');
fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), file)}; load average ${loadBefore} → ${results.load_average_after}; `
    + `others during the bench: ${JSON.stringify(during.map((p) => [p.pid, p.nice, p.cpu_cores]))}`);
