"""The denoisers of shapes-sd and shapes-sdxl ("UNet" by contract; a small diffusion transformer inside).

Every 2×2 patch of latent pixels is a token (8×8 latents → 16 tokens; h and w must be even). The position code is a 2-D sinusoidal code computed in
the graph from the latent's height and width, so other latent sizes still run (quality is only trained at 8×8).
Blocks follow PixArt-α: self-attention and an MLP modulated by the timestep embedding (adaLN-single: one shared
projection of the time embedding plus a learned per-block table), and cross-attention to the text states in
between (keys and values projected once from the text states and shared by the blocks, which halves the cost). For SDXL the time embedding also gets SDXL's added conditioning: the pooled text embedding (text_embeds)
and the six micro-conditioning numbers (time_ids), each embedded sinusoidally as SDXL's add_time_proj does.

Attention is written by hand (torch 1.13 has no scaled_dot_product_attention); export with opset 17.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def timestep_embedding(t, dim, max_period=10000.0):
    """diffusers' get_timestep_embedding with flip_sin_to_cos=True, downscale_freq_shift=0: [cos, sin]."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


def position_code(h, w, dim):
    """2-D sinusoidal code [h*w, dim]: the first half encodes the row, the second the column. h, w may be traced."""
    quarter = dim // 4
    freqs = torch.exp(-math.log(100.0) * torch.arange(quarter, dtype=torch.float32) / quarter)
    ys = torch.arange(h).float()
    xs = torch.arange(w).float()
    ay = ys[:, None] * freqs[None]                                   # [h, q]
    ax = xs[:, None] * freqs[None]                                   # [w, q]
    ey = torch.cat([torch.sin(ay), torch.cos(ay)], -1)               # [h, 2q]
    ex = torch.cat([torch.sin(ax), torch.cos(ax)], -1)               # [w, 2q]
    ey = ey[:, None, :].expand(-1, ex.shape[0], -1)
    ex = ex[None, :, :].expand(ey.shape[0], -1, -1)
    return torch.cat([ey, ex], -1).reshape(-1, 4 * quarter)


class ChannelNorm(nn.Module):
    """LayerNorm over dim 1 of a [B, C, h, w] map (the token features)."""

    def __init__(self, ch, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ch))
        self.bias = nn.Parameter(torch.zeros(ch))
        self.eps = eps

    def forward(self, x):
        mu = x.mean(1, keepdim=True)
        var = (x - mu).pow(2).mean(1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight[None, :, None, None] + self.bias[None, :, None, None]


def heads_of(x, heads):
    """[B, W, h, w] → [B, heads, h*w, W/heads]."""
    b, w, gh, gw = x.shape
    return x.reshape(b, heads, w // heads, gh * gw).transpose(-1, -2)


def attend(q, k, v, shape):
    """q [B, H, N, d], k/v [B, H, S, d] → [B, H*d, h, w] (shape = the query map's shape)."""
    att = ((q * q.shape[-1] ** -0.5) @ k.transpose(-1, -2)).softmax(-1)
    return (att @ v).transpose(-1, -2).reshape(shape)


def conv1(a, b):
    return nn.Conv2d(a, b, 1)


class Block(nn.Module):
    def __init__(self, width, heads, mlp):
        super().__init__()
        self.heads = heads
        self.ln1 = ChannelNorm(width)
        self.qkv = conv1(width, 3 * width)
        self.attn_out = conv1(width, width)
        self.ln2 = ChannelNorm(width)
        self.cross_q = conv1(width, width)
        self.cross_out = conv1(width, width)
        self.ln3 = ChannelNorm(width)
        self.fc1 = conv1(width, mlp)
        self.fc2 = conv1(mlp, width)
        self.table = nn.Parameter(torch.randn(6, width) / width ** 0.5)

    def forward(self, x, k, v, mod):
        # x [B, W, h, w] (the tokens as a map); mod [B, 6, W]: shift/scale/gate for attention and MLP
        s1, c1, g1, s2, c2, g2 = (mod + self.table[None])[..., None, None].unbind(1)
        h = self.ln1(x) * (1 + c1) + s1
        q, sk, sv = self.qkv(h).chunk(3, dim=1)
        x = x + g1 * self.attn_out(attend(heads_of(q, self.heads), heads_of(sk, self.heads),
                                          heads_of(sv, self.heads), x.shape))
        cq = self.cross_q(self.ln2(x))
        x = x + self.cross_out(attend(heads_of(cq, self.heads), k, v, x.shape))
        h = self.ln3(x) * (1 + c2) + s2
        return x + g2 * self.fc2(F.gelu(self.fc1(h)))


class Denoiser(nn.Module):
    """eps = Denoiser(sample [B,4,h,w], t [B] float, context [B,S,C], added [B,A] or None).

    The tokens are kept as a [B, width, h/2, w/2] map and every linear layer is a 1×1 convolution: PyTorch's CPU
    convolutions (oneDNN) train several times faster than its generic-BLAS matrix products here."""

    def __init__(self, context_dim, added_dim=0, width=128, layers=4, heads=4, mlp=3, channels=4, time_dim=128,
                 patch=2, alphas_cumprod=None):
        super().__init__()
        # x0-parameterisation: the network predicts the clean latent x̂0 and forward() returns the ε that a scheduler
        # turns back into exactly that x̂0, ε = (x_t − √ᾱ_t·x̂0) / √(1 − ᾱ_t). The contract (ε out) is unchanged; a
        # network this small learns "which scene does the text name" far faster as x0 than as noise. For fractional
        # t (Euler's timesteps) σ = √((1−ᾱ)/ᾱ) is interpolated linearly in t, as diffusers' Euler schedulers do.
        self.x0 = alphas_cumprod is not None
        if self.x0:
            self.register_buffer("sigmas", ((1 - alphas_cumprod) / alphas_cumprod).sqrt())
        self.width = width
        self.patch = patch
        self.channels = channels
        self.time_dim = time_dim
        self.heads = heads
        self.inp = nn.Conv2d(channels, width, patch, stride=patch)
        self.time = nn.Sequential(nn.Linear(time_dim, width), nn.SiLU(), nn.Linear(width, width))
        self.added = nn.Sequential(nn.Linear(added_dim, width), nn.SiLU(), nn.Linear(width, width)) \
            if added_dim else None
        self.ctx_norm = nn.LayerNorm(context_dim)
        self.kv = conv1(context_dim, 2 * width)
        self.mod = nn.Linear(width, 6 * width)
        self.blocks = nn.ModuleList([Block(width, heads, mlp * width) for _ in range(layers)])
        self.final_ln = ChannelNorm(width)
        self.final_mod = nn.Linear(width, 2 * width)
        self.out = conv1(width, channels * patch * patch)
        for m in (self.mod, self.final_mod, self.out):
            nn.init.zeros_(m.weight)
            nn.init.zeros_(m.bias)

    def forward(self, sample, t, context, added=None):
        out = self.network(sample, t, context, added)
        if not self.x0:
            return out
        last = self.sigmas.shape[0] - 1
        t = t.float().clamp(0, last)
        lo = t.floor()
        frac = (t - lo)[:, None, None, None]
        lo = lo.long()
        hi = (lo + 1).clamp(max=last)
        sigma = self.sigmas[lo][:, None, None, None] * (1 - frac) + self.sigmas[hi][:, None, None, None] * frac
        alpha = 1 / (1 + sigma * sigma)  # ᾱ
        return (sample - alpha.sqrt() * out) / (1 - alpha).sqrt()

    def network(self, sample, t, context, added=None):
        """The network's own output: x̂0 with the x0-parameterisation, else ε."""
        b = sample.shape[0]
        x = self.inp(sample)                                               # [B, W, h/2, w/2]
        gh, gw = x.shape[2], x.shape[3]
        x = x + position_code(gh, gw, self.width).t().reshape(1, self.width, gh, gw)
        emb = self.time(timestep_embedding(t, self.time_dim))
        if self.added is not None:
            emb = emb + self.added(added)
        emb = F.silu(emb)
        mod = self.mod(emb).reshape(b, 6, self.width)
        ctx = self.ctx_norm(context).transpose(1, 2)[..., None]           # [B, C, S, 1]
        kv = self.kv(ctx)                                                  # [B, 2W, S, 1]
        d = self.width // self.heads
        kv = kv.reshape(b, 2, self.heads, d, kv.shape[2]).transpose(-1, -2)  # [B, 2, heads, S, d]
        k, v = kv[:, 0], kv[:, 1]
        for block in self.blocks:
            x = block(x, k, v, mod)
        shift, scale = self.final_mod(emb)[..., None, None].chunk(2, dim=1)
        x = self.final_ln(x) * (1 + scale) + shift
        return F.pixel_shuffle(self.out(x), self.patch)


def sdxl_added(text_embeds, time_ids, time_embed_dim):
    """SDXL's add_embedding input: concat(text_embeds, flatten(sinusoid(time_ids))) → [B, 128 + 6*dim]."""
    b = time_ids.shape[0]
    ids = timestep_embedding(time_ids.reshape(-1), time_embed_dim).reshape(b, -1)
    return torch.cat([text_embeds, ids], dim=-1)


class SdUnet(nn.Module):
    """ONNX contract of optimum's SD 1.5 UNet (pre-2024): timestep int64 [B]."""

    def __init__(self, core):
        super().__init__()
        self.core = core

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.core(sample, timestep.float(), encoder_hidden_states)


class SdxlUnet(nn.Module):
    """ONNX contract of optimum's SDXL UNet (current): timestep float32 rank-0, broadcast to the batch."""

    def __init__(self, core, time_embed_dim):
        super().__init__()
        self.core = core
        self.time_embed_dim = time_embed_dim

    def forward(self, sample, timestep, encoder_hidden_states, text_embeds, time_ids):
        t = timestep.reshape(1).expand(sample.shape[0])
        return self.core(sample, t, encoder_hidden_states, sdxl_added(text_embeds, time_ids, self.time_embed_dim))
