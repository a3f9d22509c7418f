"""The Shapes world's colour and kind words (English and Chinese) and the shapes-lm consistency check: which
(colour, kind) pairs a caption mentions. Standard library only, so that the Java measurement (measure_java.py)
runs without PyTorch and checks consistency exactly as the PyTorch one (measure_decoder.py) does."""
import re

COLOURS_EN = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "white", "black", "gray", "brown"]
COLOURS_ZH = ["红色", "橙色", "黄色", "绿色", "蓝色", "紫色", "粉色", "白色", "黑色", "灰色", "棕色"]
KINDS_EN = ["circle", "square", "triangle", "star", "diamond"]
KINDS_ZH = ["圆形", "正方形", "三角形", "星形", "菱形"]


def _find(words, text, tag):
    return [(m.start(), w, tag) for w in words for m in re.finditer(r"\b" + w + r"\b" if w.isascii() else w, text)]


def kind_colour_pairs(text):
    """Sorted (colour index, kind index) pairs of the shapes a caption mentions, in either language: each kind word
    pairs with the colour word before it; a colour followed by a background word is the background, not a shape's."""
    words = sorted(_find(COLOURS_EN + COLOURS_ZH, text, "c") + _find(KINDS_EN + KINDS_ZH, text, "k"))
    pairs, colour = [], None
    for start, w, tag in words:
        if tag == "c":
            rest = text[start + len(w):start + len(w) + 12]
            colour = None if re.match(r"\s*(background|的?背景)", rest) else w
        elif colour is not None:
            ce = COLOURS_EN.index(colour) if colour in COLOURS_EN else COLOURS_ZH.index(colour)
            ke = KINDS_EN.index(w) if w in KINDS_EN else KINDS_ZH.index(w)
            pairs.append((ce, ke))
            colour = None
    return sorted(pairs)
