"""The CLIP towers of the sample models.

`TextTower` is a CLIP text transformer (token + learned position embeddings over a 77-token context, pre-LN
blocks under a causal mask, final LayerNorm, pooled at the end-of-text token, optional projection). The same class
serves shapes-clip's text model, shapes-sd's text_encoder and shapes-sdxl's text_encoder / text_encoder_2, exactly
as real Stable Diffusion uses frozen CLIP text encoders.

`ImageTower` is a small convolutional image encoder (the network inside is ours to choose; the export contract,
pixel_values [B, 3, 64, 64] → image_embeds [B, D], is transformers.js's).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import GroupNorm, softmax32


class Block(nn.Module):
    def __init__(self, width, heads, mlp):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)
        self.ln2 = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, mlp)
        self.fc2 = nn.Linear(mlp, width)

    def forward(self, x, mask):
        b, s, w = x.shape
        h = self.ln1(x)
        q, k, v = self.qkv(h).reshape(b, s, 3, self.heads, w // self.heads).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) * (w // self.heads) ** -0.5 + mask
        h = (softmax32(att) @ v).transpose(1, 2).reshape(b, s, w)
        x = x + self.out(h)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class TextTower(nn.Module):
    def __init__(self, vocab, width, layers, heads, projection, context=77):
        super().__init__()
        self.token = nn.Embedding(vocab, width)
        self.position = nn.Parameter(torch.randn(context, width) * 0.01)
        self.blocks = nn.ModuleList([Block(width, heads, 4 * width) for _ in range(layers)])
        self.final_ln = nn.LayerNorm(width)
        self.projection = nn.Linear(width, projection, bias=False)
        self.width = width
        self.layers = layers
        nn.init.normal_(self.token.weight, std=0.02)

    def forward(self, ids):
        """ids [B, S] (S ≤ 77) → dict: hidden_states (L+1 tensors [B, S, W], the embeddings first, the last block's
        output before the final LayerNorm last), last_hidden_state, pooled [B, W] (at the first maximal id, the
        end-of-text token), text_embeds [B, P]."""
        s = ids.shape[1]
        x = self.token(ids) + self.position[:s]
        mask = torch.full((s, s), float("-inf"), device=ids.device).triu(1)
        hidden = [x]
        for block in self.blocks:
            x = block(x, mask)
            hidden.append(x)
        last = self.final_ln(x)
        pooled = last[torch.arange(ids.shape[0]), ids.argmax(-1)]
        return {"hidden_states": hidden, "last_hidden_state": last, "pooled": pooled,
                "text_embeds": self.projection(pooled)}


class ImageTower(nn.Module):
    def __init__(self, projection, size=64):
        super().__init__()
        chans = [3, 32, 64, 96, 128]
        convs = []
        for a, b in zip(chans, chans[1:]):
            convs += [nn.Conv2d(a, b, 3, stride=2, padding=1), GroupNorm(8, b), nn.GELU()]
        self.convs = nn.Sequential(*convs)
        cells = (size // 16) ** 2
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(128 * cells, 128), nn.GELU(), nn.Linear(128, projection))

    def forward(self, pixel_values):
        return self.head(self.convs(pixel_values))


class Clip(nn.Module):
    """shapes-clip: text tower A (also the SD text encoder) and image tower, plus text tower B trained against
    the same images (shapes-sdxl's text_encoder_2)."""

    def __init__(self, vocab, projection=128, width_a=96, width_b=96, layers=2):
        super().__init__()
        self.text = TextTower(vocab, width_a, layers, 4, projection)
        self.text_b = TextTower(vocab, width_b, layers, 4, projection)
        self.image = ImageTower(projection)
        self.logit_scale = nn.Parameter(torch.tensor(2.6592))  # log(1/0.07), CLIP's initial value
        self.logit_scale_b = nn.Parameter(torch.tensor(2.6592))
