"""The networks of shapes-vl and shapes-lm: one Qwen2-style decoder, one small vision encoder, and the reference
preprocessing (Qwen2-VL's image processor, get_rope_index) that Tempera's Java engine is checked against.

* `Decoder`: token embedding (tied with the LM head), pre-RMSNorm blocks with grouped-query attention, Qwen2's
  q/k/v biases, SwiGLU MLP, and Qwen2-VL's multimodal rotary embedding (M-RoPE, `mrope_section`). The same
  forward serves training (no past) and the exported graphs (past K/V in, present K/V out).
* `VisionEncoder`: per-patch linear embedding of Qwen2-VL's flattened 1176-value patches, a learned 2-D position
  embedding computed from `grid_thw` inside the graph, two pre-LN transformer blocks whose attention never
  crosses images (block-diagonal mask from `grid_thw`, like Qwen2-VL's cu_seqlens), then Qwen2-VL's PatchMerger.
* `preprocess_image`, `get_rope_index`, `chat_prompt`: exactly the Python reference behaviour.

torch 1.13: attention is written by hand (no scaled_dot_product_attention); everything exports at opset 17.
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

from common import CLIP_MEAN, CLIP_STD, softmax32

# Qwen2-VL image processor settings of shapes-vl (preprocessor_config.json).
PATCH = 14
TEMPORAL = 2
MERGE = 2
MIN_PIXELS = 12544
MAX_PIXELS = 16384

SYSTEM_PREFIX = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
IMAGE_PART = "<|vision_start|><|image_pad|><|vision_end|>"


# ----------------------------------------------------------------------------------------------- preprocessing
def smart_resize(height, width, factor=28, min_pixels=MIN_PIXELS, max_pixels=MAX_PIXELS):
    """transformers' qwen2_vl smart_resize: (h_bar, w_bar), multiples of factor, pixel count within bounds."""
    if max(height, width) / min(height, width) > 200:
        raise ValueError("absolute aspect ratio must be smaller than 200")
    h_bar = round(height / factor) * factor
    w_bar = round(width / factor) * factor
    if h_bar * w_bar > max_pixels:
        beta = math.sqrt((height * width) / max_pixels)
        h_bar = max(factor, math.floor(height / beta / factor) * factor)
        w_bar = max(factor, math.floor(width / beta / factor) * factor)
    elif h_bar * w_bar < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h_bar = math.ceil(height * beta / factor) * factor
        w_bar = math.ceil(width * beta / factor) * factor
    return h_bar, w_bar


def preprocess_image(image):
    """Qwen2VLImageProcessor on one image (PIL image or uint8 HWC array) → (pixel_values float32 [N, 1176],
    grid_thw (1, gh, gw)). RGB → smart_resize → PIL bicubic resize → /255 → CLIP mean/std → CHW → tile ×2 in time
    → reshape (t, 2, C, gh/2, 2, 14, gw/2, 2, 14) → permute(0,3,6,4,7,2,1,5,8) → (t*gh*gw, C*2*14*14)."""
    if not isinstance(image, Image.Image):
        image = Image.fromarray(np.asarray(image, dtype=np.uint8))
    image = image.convert("RGB")
    h, w = smart_resize(image.height, image.width)
    image = image.resize((w, h), resample=Image.BICUBIC)
    x = (np.asarray(image).astype(np.float64) * (1 / 255)).astype(np.float32)  # HF rescale: float64, back to f32
    x = (x - CLIP_MEAN) / CLIP_STD
    x = x.transpose(2, 0, 1)[None]  # [1, C, H, W]
    x = np.tile(x, (TEMPORAL, 1, 1, 1))  # [2, C, H, W]
    c = x.shape[1]
    gt, gh, gw = x.shape[0] // TEMPORAL, h // PATCH, w // PATCH
    x = x.reshape(gt, TEMPORAL, c, gh // MERGE, MERGE, PATCH, gw // MERGE, MERGE, PATCH)
    x = x.transpose(0, 3, 6, 4, 7, 2, 1, 5, 8)
    x = x.reshape(gt * gh * gw, c * TEMPORAL * PATCH * PATCH)
    return np.ascontiguousarray(x, dtype=np.float32), (gt, gh, gw)


def chat_prompt(text, image=False, system=True):
    """What the Qwen2-VL chat template renders for one user turn with add_generation_prompt (one <|image_pad|>
    per image, before the text, as the processor expects before expansion)."""
    return ((SYSTEM_PREFIX if system else "") + "<|im_start|>user\n" + (IMAGE_PART if image else "") + text
            + "<|im_end|>\n<|im_start|>assistant\n")


def expand_image_pads(ids, image_pad_id, grids):
    """The processor's expansion: the k-th <|image_pad|> becomes t*h*w/merge² copies (grids[k])."""
    out, k = [], 0
    for i in ids:
        if i == image_pad_id:
            t, h, w = grids[k]
            k += 1
            out += [image_pad_id] * (t * h * w // (MERGE * MERGE))
        else:
            out.append(i)
    return out


def get_rope_index(ids, grids, image_token_id, vision_start_id, attention_mask=None):
    """Qwen2-VL get_rope_index for one sequence (list of ids, optionally left/right padded with attention_mask).
    Returns (positions int64 [3, len(ids)], rope_delta). Padded positions are 1, as in transformers; the delta
    is max(pos) + 1 - len(ids) (the padded length), so a decode step with cache length L uses L + delta."""
    n = len(ids)
    mask = [1] * n if attention_mask is None else list(attention_mask)
    keep = [i for i in range(n) if mask[i]]
    tokens = [ids[i] for i in keep]
    m = len(tokens)
    pos = np.zeros((3, m), dtype=np.int64)
    st, nxt, k = 0, 0, 0
    starts = [i for i in range(m - 1) if tokens[i] == vision_start_id and tokens[i + 1] == image_token_id]
    for _ in starts:
        ed = next(i for i in range(st, m) if tokens[i] == image_token_id)
        for i in range(ed - st):
            pos[:, st + i] = nxt + i
        base = nxt + (ed - st)
        t, h, w = grids[k]
        k += 1
        gh, gw = h // MERGE, w // MERGE
        for ti in range(t):
            for hi in range(gh):
                for wi in range(gw):
                    j = ed + ti * gh * gw + hi * gw + wi
                    pos[0, j], pos[1, j], pos[2, j] = base + ti, base + hi, base + wi
        nxt = int(pos[:, ed:ed + t * gh * gw].max()) + 1
        st = ed + t * gh * gw
    for i in range(m - st):
        pos[:, st + i] = nxt + i
    full = np.ones((3, n), dtype=np.int64)
    full[:, keep] = pos
    delta = int(pos.max()) + 1 - n if m else 1 - n
    return full, delta


def text_position_ids(attention_mask):
    """1-D positions of a text-only batch (optimum / transformers.js): cumsum(mask) - 1, padded positions 1."""
    mask = torch.as_tensor(attention_mask, dtype=torch.long)
    pos = mask.cumsum(-1) - 1
    return pos.masked_fill(mask == 0, 1)


# ---------------------------------------------------------------------------------------------------- decoder
class RMSNorm(nn.Module):
    def __init__(self, width, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(width))
        self.eps = eps

    def forward(self, x):
        if x.dtype != torch.float32:  # bfloat16 autocast: normalise in float32, as Qwen2's RMSNorm does
            return self.forward(x.float()).to(x.dtype)
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class Block(nn.Module):
    def __init__(self, hidden, heads, kv_heads, head_dim, intermediate, eps):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, head_dim
        self.input_layernorm = RMSNorm(hidden, eps)
        self.q_proj = nn.Linear(hidden, heads * head_dim)
        self.k_proj = nn.Linear(hidden, kv_heads * head_dim)
        self.v_proj = nn.Linear(hidden, kv_heads * head_dim)
        self.o_proj = nn.Linear(heads * head_dim, hidden, bias=False)
        self.post_attention_layernorm = RMSNorm(hidden, eps)
        self.gate_proj = nn.Linear(hidden, intermediate, bias=False)
        self.up_proj = nn.Linear(hidden, intermediate, bias=False)
        self.down_proj = nn.Linear(intermediate, hidden, bias=False)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        b, s, _ = x.shape
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(h).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(h).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        if q.dtype != torch.float32:  # bfloat16 autocast: rotary positions and attention in float32
            with torch.autocast("cpu", enabled=False):
                out, present = self._attend(q.float(), k.float(), v.float(), cos.float(), sin.float(), mask,
                                            past_k, past_v)
        else:
            out, present = self._attend(q, k, v, cos, sin, mask, past_k, past_v)
        x = x + self.o_proj(out)
        h = self.post_attention_layernorm(x)
        x = x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))
        return x, present

    def _attend(self, q, k, v, cos, sin, mask, past_k, past_v):
        b, s = q.shape[0], q.shape[2]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past_k is not None:
            k = torch.cat([past_k.float(), k], dim=2)
            v = torch.cat([past_v.float(), v], dim=2)
        present = (k, v)
        rep = self.heads // self.kv_heads
        t = k.shape[2]
        kk = k.unsqueeze(2).expand(b, self.kv_heads, rep, t, self.head_dim).reshape(b, self.heads, t, self.head_dim)
        vv = v.unsqueeze(2).expand(b, self.kv_heads, rep, t, self.head_dim).reshape(b, self.heads, t, self.head_dim)
        att = torch.matmul(q, kk.transpose(-1, -2)) * (self.head_dim ** -0.5)
        att = att.masked_fill(~mask, torch.finfo(att.dtype).min)
        out = torch.matmul(softmax32(att), vv).transpose(1, 2).reshape(b, s, self.heads * self.head_dim)
        return out, present


class Decoder(nn.Module):
    def __init__(self, vocab, hidden=128, layers=4, heads=4, kv_heads=2, head_dim=32, intermediate=384,
                 eps=1e-6, theta=10000.0, mrope_section=(4, 6, 6)):
        super().__init__()
        assert sum(mrope_section) * 2 == head_dim
        self.config = dict(vocab_size=vocab, hidden_size=hidden, num_hidden_layers=layers,
                           num_attention_heads=heads, num_key_value_heads=kv_heads, head_dim=head_dim,
                           intermediate_size=intermediate, rms_norm_eps=eps, rope_theta=theta,
                           mrope_section=list(mrope_section))
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([Block(hidden, heads, kv_heads, head_dim, intermediate, eps)
                                     for _ in range(layers)])
        self.norm = RMSNorm(hidden, eps)
        self.mrope_section = list(mrope_section)
        inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        nn.init.normal_(self.embed_tokens.weight, std=0.02)
        for layer in self.layers:
            for lin in (layer.q_proj, layer.k_proj, layer.v_proj, layer.gate_proj, layer.up_proj):
                nn.init.normal_(lin.weight, std=0.02)
            for lin in (layer.o_proj, layer.down_proj):
                nn.init.normal_(lin.weight, std=0.02 / math.sqrt(2 * layers))
            for lin in (layer.q_proj, layer.k_proj, layer.v_proj):
                nn.init.zeros_(lin.bias)

    def rotary(self, position_ids):
        """position_ids [3, B, S] → cos, sin [B, 1, S, head_dim], M-RoPE: frequency chunk i of
        mrope_section*2 comes from row i % 3 (transformers' apply_multimodal_rotary_pos_emb)."""
        freqs = position_ids.float().unsqueeze(-1) * self.inv_freq  # [3, B, S, D/2]
        emb = torch.cat([freqs, freqs], dim=-1)  # [3, B, S, D]
        cos, sin = emb.cos(), emb.sin()
        sections = self.mrope_section * 2
        cos = torch.cat([c[i % 3] for i, c in enumerate(cos.split(sections, dim=-1))], dim=-1)
        sin = torch.cat([c[i % 3] for i, c in enumerate(sin.split(sections, dim=-1))], dim=-1)
        return cos.unsqueeze(1), sin.unsqueeze(1)

    def forward(self, inputs_embeds, attention_mask, position_ids, past=None, hidden_only=False):
        """inputs_embeds [B, S, H], attention_mask [B, past+S] (1 = token, 0 = padding), position_ids [3, B, S],
        past: None or a list of (key, value) [B, kv_heads, past, head_dim] → (logits [B, S, V], presents)."""
        s = inputs_embeds.shape[1]
        total = attention_mask.shape[1]
        offset = total - s  # the past length
        causal = torch.arange(total, device=inputs_embeds.device).unsqueeze(0) <= (
            torch.arange(s, device=inputs_embeds.device) + offset).unsqueeze(1)  # [S, T]
        mask = causal.unsqueeze(0).unsqueeze(0) & attention_mask.bool().unsqueeze(1).unsqueeze(2)  # [B, 1, S, T]
        cos, sin = self.rotary(position_ids)
        x = inputs_embeds
        presents = []
        for i, layer in enumerate(self.layers):
            pk, pv = (None, None) if past is None else past[i]
            x, present = layer(x, cos, sin, mask, pk, pv)
            presents.append(present)
        x = self.norm(x)
        if hidden_only:
            return x, presents
        return self.lm_head(x), presents

    def lm_head(self, hidden):
        """Tied LM head: final hidden states → logits over the vocabulary."""
        return torch.matmul(hidden, self.embed_tokens.weight.t())


# ----------------------------------------------------------------------------------------------- vision encoder
class VisionBlock(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(width, eps=1e-6)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.norm2 = nn.LayerNorm(width, eps=1e-6)
        self.fc1 = nn.Linear(width, 4 * width)
        self.fc2 = nn.Linear(4 * width, width)

    def forward(self, x, mask=None):
        """x [G, n, width] (G groups of patches that attend among themselves), mask None or bool [G or 1, n, n]."""
        g, n, w = x.shape
        d = w // self.heads
        q, k, v = self.qkv(self.norm1(x)).view(g, n, 3, self.heads, d).permute(2, 0, 3, 1, 4)
        att = torch.matmul(q, k.transpose(-1, -2)) * (d ** -0.5)
        if mask is not None:
            att = att.masked_fill(~mask.unsqueeze(1), torch.finfo(att.dtype).min)
        h = torch.matmul(softmax32(att), v).transpose(1, 2).reshape(g, n, w)
        x = x + self.proj(h)
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


def patch_layout(grid_thw, n):
    """Per-patch (image index, row, column) for n patches in Qwen2-VL's order (images in turn; each frame in
    2×2 merge blocks, row-major over blocks, row-major inside a block). Built from grid_thw with tensor ops so
    the exported graph computes it."""
    counts = grid_thw[:, 0] * grid_thw[:, 1] * grid_thw[:, 2]  # [I]
    ends = torch.cumsum(counts, dim=0)
    idx = torch.arange(n, dtype=torch.long)
    image = (idx.unsqueeze(1) >= ends.unsqueeze(0)).long().sum(1)  # [N]
    local = idx - (ends - counts)[image]
    h = grid_thw[:, 1][image]
    w = grid_thw[:, 2][image]
    frame = torch.remainder(local, h * w)
    block = torch.div(frame, MERGE * MERGE, rounding_mode="floor")
    inner = torch.remainder(frame, MERGE * MERGE)
    blocks_per_row = torch.div(w, MERGE, rounding_mode="floor")
    row = torch.div(block, blocks_per_row, rounding_mode="floor") * MERGE + torch.div(inner, MERGE, rounding_mode="floor")
    col = torch.remainder(block, blocks_per_row) * MERGE + torch.remainder(inner, MERGE)
    return image, row, col


class VisionEncoder(nn.Module):
    def __init__(self, hidden, width=96, depth=2, heads=4, max_grid=64):
        super().__init__()
        self.config = dict(depth=depth, embed_dim=width, num_heads=heads, hidden_size=hidden, max_grid=max_grid)
        # A two-layer patch embedding: one linear map of a 14×14 patch (Qwen2-VL's conv) left the kinds of small
        # shapes hard to tell apart for an encoder this shallow.
        self.patch_embed = nn.Sequential(nn.Linear(3 * TEMPORAL * PATCH * PATCH, 2 * width), nn.GELU(),
                                         nn.Linear(2 * width, width))
        self.row_embed = nn.Embedding(max_grid, width)
        self.col_embed = nn.Embedding(max_grid, width)
        self.blocks = nn.ModuleList([VisionBlock(width, heads) for _ in range(depth)])
        self.ln_q = nn.LayerNorm(width, eps=1e-6)  # PatchMerger
        self.mlp = nn.Sequential(nn.Linear(4 * width, 4 * width), nn.GELU(), nn.Linear(4 * width, hidden))
        self.max_grid = max_grid
        nn.init.normal_(self.row_embed.weight, std=0.02)
        nn.init.normal_(self.col_embed.weight, std=0.02)

    def forward(self, pixel_values, grid_thw, uniform=False):
        """pixel_values [N, 1176], grid_thw int64 [I, 3] → image_features [N/4, hidden]. uniform=True (training
        only) promises that all images have the same grid."""
        n = pixel_values.shape[0]
        image, row, col = patch_layout(grid_thw, n)
        x = self.patch_embed(pixel_values)
        x = x + self.row_embed(torch.clamp(row, max=self.max_grid - 1)) + self.col_embed(
            torch.clamp(col, max=self.max_grid - 1))
        if uniform:  # training: equal grids, so attend inside each image directly (same result, no N×N mask)
            x = x.view(grid_thw.shape[0], -1, x.shape[-1])
            mask = None
        else:
            x = x.unsqueeze(0)
            mask = (image.unsqueeze(0) == image.unsqueeze(1)).unsqueeze(0)  # [1, N, N]: no attention across images
        for block in self.blocks:
            x = block(x, mask)
        x = x.reshape(n, -1)
        x = self.ln_q(x).reshape(-1, 4 * x.shape[-1])
        return self.mlp(x)


class ShapesVL(nn.Module):
    def __init__(self, vocab, **kw):
        super().__init__()
        self.decoder = Decoder(vocab, **kw)
        self.vision = VisionEncoder(self.decoder.config["hidden_size"])
