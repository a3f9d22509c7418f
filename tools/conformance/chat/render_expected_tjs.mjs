// Renders every chat-template case in cases.json with transformers.js's tokenizer.apply_chat_template, oracle (b)
// for Tempera's ChatTemplate tests (oracle (a) is render_expected.py, Python Jinja2 set up as transformers does).
//
// transformers.js is looked up in ./node_modules first (ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm install), then in
// tools/sample-models/work/tjs/node_modules, where the sample-model tooling installs the same 4.3.2.
//
// How each template reaches apply_chat_template: every case loads a tokenizer with AutoTokenizer.from_pretrained
// from a temporary folder holding shapes-vl's tokenizer.json and the template folder's tokenizer_config.json (the
// source of the special tokens, as in transformers). transformers.js reads only tokenizer_config.json's
// chat_template, so a template kept in chat_template.jinja or chat_template.json is passed as the `chat_template`
// option, and a named template in a list is passed by name. strftime_now reads `new Date()`; Date is replaced by a
// clock fixed at cases.json's "now" (local time, so run with TZ=UTC like the Python oracle's naive datetime).
//
// Run from the repository root:  TZ=UTC node tools/conformance/chat/render_expected_tjs.mjs
// Writes tempera-runtime/src/test/resources/chat/expected-transformersjs.json
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
const RESOURCES = path.join(ROOT, 'tempera-runtime/src/test/resources/chat');

function transformersEntry() {
  for (const dir of [path.join(HERE, 'node_modules'), path.join(ROOT, 'tools/sample-models/work/tjs/node_modules')]) {
    const pkg = path.join(dir, '@huggingface/transformers/package.json');
    if (fs.existsSync(pkg)) {
      const version = JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
      return { url: pathToFileURL(path.join(dir, '@huggingface/transformers/dist/transformers.node.mjs')).href, version };
    }
  }
  throw new Error('@huggingface/transformers not found; run npm install in ' + HERE);
}

const spec = JSON.parse(fs.readFileSync(path.join(RESOURCES, 'cases.json'), 'utf8'));

// A clock fixed at spec.now for strftime_now (new Date() with no arguments); everything else behaves as Date.
const RealDate = Date;
const fixed = new RealDate(spec.now).getTime();
globalThis.Date = class extends RealDate {
  constructor(...args) { super(...(args.length === 0 ? [fixed] : args)); }
  static now() { return fixed; }
};

const entry = transformersEntry();
const { AutoTokenizer, env } = await import(entry.url);
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = '/';

const shapesVl = path.join(ROOT, 'models/shapes-vl');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tempera-chat-'));

async function tokenizerFor(folder, key) {
  const dir = path.join(tmp, key);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(shapesVl, 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
  fs.copyFileSync(path.join(folder, 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  return AutoTokenizer.from_pretrained(dir, { local_files_only: true });
}

function templateOption(folder, name) {
  const jinja = path.join(folder, 'chat_template.jinja');
  const json = path.join(folder, 'chat_template.json');
  if (fs.existsSync(jinja)) return fs.readFileSync(jinja, 'utf8');
  if (fs.existsSync(json)) return JSON.parse(fs.readFileSync(json, 'utf8')).chat_template;
  return name ?? null; // null: the tokenizer's own template ('default' of a list)
}

function render(tokenizer, chatTemplate, messages, addGenerationPrompt, variables) {
  try {
    const text = tokenizer.apply_chat_template(messages, {
      ...variables, chat_template: chatTemplate, add_generation_prompt: addGenerationPrompt, tokenize: false,
    });
    return { text };
  } catch (e) {
    return { error: String(e.message ?? e) };
  }
}

const out = { generator: 'tools/conformance/chat/render_expected_tjs.mjs', transformersjs: entry.version,
  node: process.version, cases: {}, snippets: {} };
for (const t of spec.templates) {
  const folder = t.root === 'repository' ? path.join(ROOT, t.folder) : path.join(RESOURCES, '..', t.folder);
  const tokenizer = await tokenizerFor(folder, t.id);
  const chatTemplate = templateOption(folder, t.name);
  for (const c of spec.cases) {
    out.cases[`${t.id}/${c.id}`] = render(tokenizer, chatTemplate, c.messages, c.add_generation_prompt, c.variables ?? {});
  }
}
// Snippets run without special tokens: a tokenizer_config.json that has none.
const bare = path.join(tmp, 'bare-config');
fs.mkdirSync(bare, { recursive: true });
fs.writeFileSync(path.join(bare, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'Qwen2Tokenizer' }));
const bareTokenizer = await tokenizerFor(bare, 'bare');
for (const s of spec.snippets) {
  out.snippets[s.id] = render(bareTokenizer, s.template, spec.snippet_messages, false, {});
}
fs.rmSync(tmp, { recursive: true, force: true });
const target = path.join(RESOURCES, 'expected-transformersjs.json');
fs.writeFileSync(target, JSON.stringify(out, null, 2) + '\n');
console.log('wrote', path.relative(ROOT, target), Object.keys(out.cases).length, 'cases,',
  Object.keys(out.snippets).length, 'snippets');
