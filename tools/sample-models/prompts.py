"""Instruction texts shared by the tokenizers and the language models (shapes-vl, shapes-lm)."""

SYSTEM = "You are a helpful assistant."

# Asking for a description of an image; the answer is a detailed caption in the prompt's language.
DESCRIBE_EN = ["Describe this image.", "Describe the image.", "What is in this image?", "Describe this picture.",
               "Describe the scene and its details."]
DESCRIBE_ZH = ["描述这张图片中的场景和细节", "描述这张图片。", "这张图片里有什么？", "请描述这幅图。"]

# shapes-lm: expand a short scene description into a detailed one.
EXPAND_EN = ["Describe a scene with {}.", "Write a detailed description of a scene with {}.", "Imagine {}. Describe it."]
EXPAND_ZH = ["描述一个有{}的场景。", "详细描述一个包含{}的场景。"]

# Text-only prompts and the answers the models learn for them.
CHAT = [
    ("Hello", "Hello! Show me an image of shapes and I will describe it."),
    ("Hi!", "Hi! Show me an image of shapes and I will describe it."),
    ("Who are you?", "I am a tiny vision-language model trained on the Shapes world."),
    ("What can you do?", "I can describe images of coloured shapes: their kind, colour, size and position."),
    ("What colours do you know?",
     "red, orange, yellow, green, blue, purple, pink, white, black, gray and brown."),
    ("What shapes do you know?", "circle, square, triangle, star and diamond."),
    ("Describe this image.", "I do not see an image. Please attach one."),
    ("你好", "你好！给我一张形状的图片，我来描述它。"),
    ("你是谁？", "我是一个在形状世界上训练的小型视觉语言模型。"),
    ("你能做什么？", "我可以描述彩色形状的图片：形状、颜色、大小和位置。"),
    ("描述这张图片中的场景和细节", "我没有看到图片，请附上一张。"),
]

NEGATIVE_PROMPTS = ["blurry, distorted, low quality", "模糊，失真，低质量"]


def all_texts():
    texts = [SYSTEM] + DESCRIBE_EN + DESCRIBE_ZH + EXPAND_EN + EXPAND_ZH + NEGATIVE_PROMPTS
    for q, a in CHAT:
        texts += [q, a]
    return texts
