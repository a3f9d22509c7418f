"""Writes work/tokenizer_cases.json: texts and the ids bpe.py gives them, for check_tokenizers.mjs (transformers.js)."""
import json
import os

import bpe
from common import MODELS, WORK

TEXTS = ["a red circle and a yellow square", "  A Large RED star, on the LEFT!  ", "一个美丽的日落海滩，有椰子树和金色的沙滩",
         "模糊，失真，低质量", "描述这张图片中的场景和细节", "Hello, world's 123 café\n\nnew  line",
         "蓝色背景上左边有一个大的红色圆形，底部有一个小的黄色正方形",
         "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>Describe this image.<|im_end|>"]


def main():
    clip = bpe.ClipTokenizer.load(os.path.join(MODELS, "shapes-clip"))
    qwen = bpe.QwenTokenizer.load(os.path.join(MODELS, "shapes-vl"))
    cases = {"texts": TEXTS, "clip": [clip.tokens(t) for t in TEXTS[:-1]], "qwen": [qwen.encode(t) for t in TEXTS]}
    with open(os.path.join(WORK, "tokenizer_cases.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
