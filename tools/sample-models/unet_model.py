"""The ONNX contracts of optimum's SD and SDXL UNets around a denoiser core (memory_denoiser.MemoryDenoiser).

core(sample [B,4,h,w], t [B] float, context [B,S,C], added [B,A] or None) → ε [B,4,h,w]. For SDXL, `added` is what
SDXL's add_embedding takes: the pooled text embedding (text_embeds) and the six micro-conditioning numbers (time_ids),
each embedded sinusoidally as SDXL's add_time_proj does.
"""
import math

import torch
import torch.nn as nn


def timestep_embedding(t, dim, max_period=10000.0):
    """diffusers' get_timestep_embedding with flip_sin_to_cos=True, downscale_freq_shift=0: [cos, sin]."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


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
