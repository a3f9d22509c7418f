"""Byte-level BPE for the sample models: a small learner, and the two tokenizer formats the real models ship.

* CLIP (Stable Diffusion's tokenizer/ and tokenizer_2/, shapes-clip): vocab.json + merges.txt. The text is
  whitespace-collapsed, stripped and lower-cased, split with CLIP's pattern, mapped to byte characters, and the
  last character of each word carries "</w>". Ids 0..255 are the byte characters, 256..511 the same with "</w>",
  then one id per merge, then <|startoftext|> and <|endoftext|> (so "!" is id 0 and <|endoftext|> the largest id,
  as in openai/clip-vit-large-patch14).
* Qwen2 (shapes-vl, shapes-lm): one tokenizer.json for Hugging Face tokenizers: NFC, Qwen2's split pattern,
  ByteLevel without prefix space, BPE without an end-of-word suffix, then the Qwen2-VL special tokens.

Both encoders here are the reference the training data is tokenized with; Tempera's Java tokenizers and
transformers.js must give the same ids (checked by the tests of the issues that read these files).
"""
import json
import os
import unicodedata
from collections import Counter, defaultdict

import regex

CLIP_PATTERN = r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""
QWEN_PATTERN = (r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
                r"""|\s*[\r\n]+|\s+(?!\S)|\s+""")

QWEN_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>",
                 "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>",
                 "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>"]


def bytes_to_unicode():
    """GPT-2's reversible byte → printable character map, in GPT-2's order (printable bytes first)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_CHARS = bytes_to_unicode()
CHAR_BYTES = {c: b for b, c in BYTE_CHARS.items()}


def to_byte_chars(text):
    return "".join(BYTE_CHARS[b] for b in text.encode("utf-8"))


def learn_merges(words, max_merges, min_count=2):
    """Learns BPE merges from a Counter of words, each a tuple of symbols. Most frequent pair first, ties broken by
    the smaller pair, so the result depends only on the counts."""
    words = {tuple(w): c for w, c in words.items()}
    symbols = [list(w) for w in words]
    counts = list(words.values())
    pairs = Counter()
    where = defaultdict(set)
    for i, w in enumerate(symbols):
        for a, b in zip(w, w[1:]):
            pairs[(a, b)] += counts[i]
            where[(a, b)].add(i)
    merges = []
    while len(merges) < max_merges and pairs:
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        (a, b), count = best
        if count < min_count:
            break
        merges.append((a, b))
        merged = a + b
        for i in list(where[(a, b)]):
            w = symbols[i]
            c = counts[i]
            for x, y in zip(w, w[1:]):
                pairs[(x, y)] -= c
                if pairs[(x, y)] <= 0:
                    del pairs[(x, y)]
            out = []
            j = 0
            while j < len(w):
                if j + 1 < len(w) and w[j] == a and w[j + 1] == b:
                    out.append(merged)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            symbols[i] = out
            for x, y in zip(out, out[1:]):
                pairs[(x, y)] += c
                where[(x, y)].add(i)
        where.pop((a, b), None)
    return merges


def apply_merges(symbols, ranks):
    """Standard BPE: repeatedly merge the adjacent pair with the lowest rank."""
    symbols = list(symbols)
    while len(symbols) > 1:
        best = None
        for k in range(len(symbols) - 1):
            r = ranks.get((symbols[k], symbols[k + 1]))
            if r is not None and (best is None or r < best[0]):
                best = (r, k)
        if best is None:
            break
        k = best[1]
        symbols[k:k + 2] = [symbols[k] + symbols[k + 1]]
    return symbols


# ---------------------------------------------------------------------------------------------------------------
# CLIP


def clip_clean(text):
    return regex.sub(r"\s+", " ", text).strip().lower()


def clip_words(text):
    return regex.findall(CLIP_PATTERN, clip_clean(text))


def clip_word_symbols(word):
    chars = list(to_byte_chars(word))
    chars[-1] = chars[-1] + "</w>"
    return tuple(chars)


class ClipTokenizer:
    BOS = "<|startoftext|>"
    EOS = "<|endoftext|>"

    def __init__(self, merges, pad_token=None):
        byte_chars = list(BYTE_CHARS.values())
        vocab = byte_chars + [c + "</w>" for c in byte_chars] + ["".join(m) for m in merges]
        vocab += [self.BOS, self.EOS]
        self.merges = list(merges)
        self.encoder = {t: i for i, t in enumerate(vocab)}
        assert len(self.encoder) == len(vocab), "duplicate token in vocabulary"
        self.decoder = vocab
        self.ranks = {tuple(m): i for i, m in enumerate(self.merges)}
        self.bos_id = self.encoder[self.BOS]
        self.eos_id = self.encoder[self.EOS]
        self.pad_token = pad_token or self.EOS
        self.pad_id = self.encoder[self.pad_token]
        self.max_length = 77

    @classmethod
    def learn(cls, texts, max_merges):
        words = Counter()
        for t in texts:
            for w in clip_words(t):
                words[clip_word_symbols(w)] += 1
        return cls(learn_merges(words, max_merges))

    @classmethod
    def load(cls, directory):
        with open(os.path.join(directory, "merges.txt"), encoding="utf-8") as f:
            lines = f.read().split("\n")
        merges = [tuple(line.split(" ")) for line in lines[1:] if line]
        with open(os.path.join(directory, "special_tokens_map.json"), encoding="utf-8") as f:
            pad = json.load(f)["pad_token"]
        return cls(merges, pad_token=pad)

    @property
    def vocab_size(self):
        return len(self.decoder)

    def tokens(self, text):
        ids = []
        for w in clip_words(text):
            for s in apply_merges(clip_word_symbols(w), self.ranks):
                ids.append(self.encoder[s])
        return ids

    def __call__(self, text):
        """77 ids: BOS, tokens (truncated to 75), EOS, then pad — padding="max_length", truncation=True."""
        body = self.tokens(text)[: self.max_length - 2]
        ids = [self.bos_id] + body + [self.eos_id]
        return ids + [self.pad_id] * (self.max_length - len(ids))

    def save(self, directory):
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "vocab.json"), "w", encoding="utf-8") as f:
            json.dump(self.encoder, f, ensure_ascii=False)
        with open(os.path.join(directory, "merges.txt"), "w", encoding="utf-8") as f:
            f.write("#version: 0.2\n")
            for a, b in self.merges:
                f.write(f"{a} {b}\n")
        special = {"bos_token": self.BOS, "eos_token": self.EOS, "unk_token": self.EOS, "pad_token": self.pad_token}
        with open(os.path.join(directory, "special_tokens_map.json"), "w", encoding="utf-8") as f:
            json.dump(special, f, indent=2)
        config = {
            "tokenizer_class": "CLIPTokenizer",
            "model_max_length": self.max_length,
            "bos_token": self.BOS, "eos_token": self.EOS, "unk_token": self.EOS, "pad_token": self.pad_token,
            "do_lower_case": True, "errors": "replace", "clean_up_tokenization_spaces": True,
            "add_prefix_space": False,
            "added_tokens_decoder": {
                str(self.bos_id): {"content": self.BOS, "lstrip": False, "normalized": True, "rstrip": False,
                                   "single_word": False, "special": True},
                str(self.eos_id): {"content": self.EOS, "lstrip": False, "normalized": True, "rstrip": False,
                                   "single_word": False, "special": True},
            },
        }
        with open(os.path.join(directory, "tokenizer_config.json"), "w", encoding="utf-8") as f:
            json.dump(config, f, indent=2, ensure_ascii=False)

    def save_fast(self, directory):
        """tokenizer.json for Hugging Face tokenizers / transformers.js, equivalent to vocab.json + merges.txt."""
        added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": True,
                  "special": True} for t, i in ((self.BOS, self.bos_id), (self.EOS, self.eos_id))]
        spec = {
            "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
                {"type": "Lowercase"}]},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": CLIP_PATTERN}, "behavior": "Removed", "invert": True},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
            "post_processor": {"type": "RobertaProcessing", "sep": [self.EOS, self.eos_id],
                               "cls": [self.BOS, self.bos_id], "trim_offsets": False, "add_prefix_space": False},
            "decoder": {"type": "BPEDecoder", "suffix": "</w>"},
            "model": {"type": "BPE", "dropout": None, "unk_token": self.EOS, "continuing_subword_prefix": "",
                      "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                      "ignore_merges": False, "vocab": self.encoder,
                      "merges": [f"{a} {b}" for a, b in self.merges]},
        }
        with open(os.path.join(directory, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(spec, f, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------------------------
# Qwen2


def qwen_pretokens(text):
    return regex.findall(QWEN_PATTERN, unicodedata.normalize("NFC", text))


def split_at_words(text, lexicon):
    """Cuts text before and after every occurrence of a lexicon word (greedy longest match, left to right)."""
    if not lexicon:
        return [text]
    longest = max(len(w) for w in lexicon)
    parts, pending, i = [], "", 0
    while i < len(text):
        for n in range(min(longest, len(text) - i), 0, -1):
            if text[i:i + n] in lexicon:
                if pending:
                    parts.append(pending)
                    pending = ""
                parts.append(text[i:i + n])
                i += n
                break
        else:
            pending += text[i]
            i += 1
    if pending:
        parts.append(pending)
    return parts


class QwenTokenizer:
    def __init__(self, merges):
        byte_chars = list(BYTE_CHARS.values())
        vocab = byte_chars + ["".join(m) for m in merges]
        self.merges = list(merges)
        self.encoder = {t: i for i, t in enumerate(vocab)}
        assert len(self.encoder) == len(vocab), "duplicate token in vocabulary"
        self.special = {t: len(vocab) + k for k, t in enumerate(QWEN_SPECIALS)}
        self.decoder = vocab + QWEN_SPECIALS
        self.ranks = {tuple(m): i for i, m in enumerate(self.merges)}
        self._split = regex.compile("(" + "|".join(regex.escape(s) for s in QWEN_SPECIALS) + ")")

    @classmethod
    def learn(cls, texts, max_merges, lexicon=()):
        """Learns merges from texts. Qwen2's pre-tokenizer keeps a whole run of Chinese characters as one word, so
        merges learned on it straddle word boundaries (a token like 色三角形位于紫 mixes a colour, a kind and the next
        colour). With a lexicon, learning sees each run cut at its words (greedy longest match), so that words
        become tokens; encoding is unchanged (the same pre-tokenizer and merges, as tokenizer.json says)."""
        words = Counter()
        for t in texts:
            for piece in cls._plain_parts(t):
                for w in qwen_pretokens(piece):
                    for part in split_at_words(w, lexicon):
                        words[tuple(to_byte_chars(part))] += 1
        return cls(learn_merges(words, max_merges))

    @staticmethod
    def _plain_parts(text):
        return [p for p in regex.split("(" + "|".join(regex.escape(s) for s in QWEN_SPECIALS) + ")", text)
                if p and p not in QWEN_SPECIALS]

    @classmethod
    def load(cls, directory):
        with open(os.path.join(directory, "tokenizer.json"), encoding="utf-8") as f:
            spec = json.load(f)
        return cls([tuple(m.split(" ")) for m in spec["model"]["merges"]])

    @property
    def vocab_size(self):
        return len(self.decoder)

    def id(self, special):
        return self.special[special]

    def encode(self, text):
        """Ids of text; special tokens written literally in the text become their ids (as added tokens do)."""
        ids = []
        for part in self._split.split(text):
            if not part:
                continue
            if part in self.special:
                ids.append(self.special[part])
                continue
            for w in qwen_pretokens(part):
                for s in apply_merges(to_byte_chars(w), self.ranks):
                    ids.append(self.encoder[s])
        return ids

    def decode(self, ids):
        out = bytearray()
        text = []
        for i in ids:
            token = self.decoder[i]
            if i >= len(self.encoder):
                text.append(out.decode("utf-8", errors="replace"))
                out = bytearray()
                text.append(token)
            else:
                out.extend(CHAR_BYTES[c] for c in token)
        text.append(out.decode("utf-8", errors="replace"))
        return "".join(text)

    def save(self, directory, chat_template):
        os.makedirs(directory, exist_ok=True)
        added = [{"id": self.special[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": False, "special": True} for t in QWEN_SPECIALS]
        spec = {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": {"type": "NFC"},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": QWEN_PATTERN}, "behavior": "Isolated", "invert": False},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}]},
            "post_processor": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False,
                               "use_regex": False},
            "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                      "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                      "vocab": self.encoder, "merges": [f"{a} {b}" for a, b in self.merges]},
        }
        with open(os.path.join(directory, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(spec, f, ensure_ascii=False)
        config = {
            "tokenizer_class": "Qwen2Tokenizer",
            "model_max_length": 32768,
            "bos_token": None,
            "eos_token": "<|im_end|>",
            "pad_token": "<|endoftext|>",
            "unk_token": None,
            "errors": "replace",
            "split_special_tokens": False,
            "clean_up_tokenization_spaces": False,
            "add_prefix_space": False,
            "chat_template": chat_template,
            "added_tokens_decoder": {str(a["id"]): {k: v for k, v in a.items() if k != "id"} for a in added},
            "additional_special_tokens": [t for t in QWEN_SPECIALS if t not in ("<|endoftext|>",)],
        }
        with open(os.path.join(directory, "tokenizer_config.json"), "w", encoding="utf-8") as f:
            json.dump(config, f, indent=2, ensure_ascii=False)
