"""Learns the two byte-level BPE vocabularies from the Shapes-world captions and the instruction texts.

Writes work/tokenizers/clip/ (vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json) and
work/tokenizers/qwen/ (tokenizer.json, tokenizer_config.json); the model scripts copy them into the model folders.
"""
import os

import bpe
import prompts
from common import DATA, WORK, Dataset, log, setup

CHAT_TEMPLATE = (
    "{% set image_count = namespace(value=0) %}{% set video_count = namespace(value=0) %}{% for message in messages %}"
    "{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
    "{% endif %}<|im_start|>{{ message['role'] }}\n{% if message['content'] is string %}{{ message['content'] }}"
    "<|im_end|>\n{% else %}{% for content in message['content'] %}{% if content['type'] == 'image' or 'image' in "
    "content or 'image_url' in content %}{% set image_count.value = image_count.value + 1 %}{% if add_vision_id %}"
    "Picture {{ image_count.value }}: {% endif %}<|vision_start|><|image_pad|><|vision_end|>{% elif content['type'] "
    "== 'video' or 'video' in content %}{% set video_count.value = video_count.value + 1 %}{% if add_vision_id %}"
    "Video {{ video_count.value }}: {% endif %}<|vision_start|><|video_pad|><|vision_end|>{% elif 'text' in content "
    "%}{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endif %}{% endfor %}{% if add_generation_prompt %}"
    "<|im_start|>assistant\n{% endif %}")

# Chinese words that name one attribute (tempera-shapes' Lexicon): Qwen merges are learned with Chinese runs cut at
# these, so that each attribute is a token of its own (see bpe.QwenTokenizer.learn).
ZH_WORDS = frozenset("""
红色 红 橙色 橙 黄色 黄 绿色 绿 蓝色 蓝 紫色 紫 粉色 粉红色 粉 白色 白 黑色 黑 灰色 灰 棕色 棕
圆形 正方形 方形 三角形 星形 菱形 小 大
左边 左侧 右边 右侧 上方 上面 下方 下面 中间 中央 顶部 底部 背景
""".split())

CLIP_MERGES = 1200
QWEN_MERGES = 1500


def main():
    setup(0)
    data = Dataset(DATA)
    captions = [c for i in range(len(data.entries)) for c in data.captions(i)]
    texts = captions + prompts.all_texts()
    out = os.path.join(WORK, "tokenizers")
    clip = bpe.ClipTokenizer.learn(texts, CLIP_MERGES)
    clip.save(os.path.join(out, "clip"))
    log("clip tokenizer:", clip.vocab_size, "tokens;", "e.g.", clip.tokens(captions[1]))
    chat = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
    qwen = bpe.QwenTokenizer.learn([chat + t + "<|im_end|>\n" for t in texts], QWEN_MERGES, ZH_WORDS)
    qwen.save(os.path.join(out, "qwen"), CHAT_TEMPLATE)
    sample = chat + captions[3] + "<|im_end|>"
    ids = qwen.encode(sample)
    assert qwen.decode(ids) == sample, "qwen tokenizer does not round-trip"
    log("qwen tokenizer:", qwen.vocab_size, "tokens;", len(ids), "ids for", repr(sample))


if __name__ == "__main__":
    main()
