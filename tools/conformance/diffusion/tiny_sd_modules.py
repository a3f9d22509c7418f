"""The three tiny torch networks behind the tiny-sd fixture, and the wrappers that give them Optimum's ONNX signatures.

They are not Stable Diffusion's networks. They are just big enough that every input a pipeline feeds changes the
output: the token ids (and their positions), the timestep, the latents and the mean prompt embedding. The weights
come from fixed seeds (`build_modules`), so `make_tiny_sd.py` (which exports them) and `reference_pipeline.py` (which
runs them in torch) get the same numbers without any weight file between them.

Sizes are chosen for the fixture's 300 KB budget: the token table is 1714 x 8 (the shapes-clip vocabulary) and is
projected to the 32-wide hidden size; every other tensor is a few KB at most.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

VOCAB_SIZE = 1714          # models/shapes-clip: 256 bytes + 256 bytes with "</w>" + 1200 merges + BOS + EOS
BOS_TOKEN_ID = 1712
EOS_TOKEN_ID = 1713        # also the pad token (shapes-clip's tokenizer_config.json)
MAX_POSITIONS = 77
TOKEN_DIM = 8
HIDDEN = 32                # last_hidden_state width = UNet cross_attention_dim
MLP_DIM = 64
LATENT_CHANNELS = 4
UNET_CHANNELS = 16
TIME_EMBED_DIM = 32        # sinusoidal features of the timestep
VAE_SCALE = 8              # latent pixel -> image pixels per side
SCALING_FACTOR = 0.18215   # SD 1.x vae.config.scaling_factor

TEXT_ENCODER_SEED = 1001
UNET_SEED = 1002
VAE_DECODER_SEED = 1003
VAE_ENCODER_SEED = 1004


class TinyTextEncoder(nn.Module):
    """input_ids int64 [B, S] -> (last_hidden_state [B, S, 32], pooler_output [B, 32]).

    token embedding + position embedding -> linear 8->32 -> residual MLP (32->64->32, GELU) -> LayerNorm.
    pooler_output is last_hidden_state at the first EOS, which is transformers' CLIPTextTransformer rule when
    eos_token_id != 2 (`(input_ids == eos_token_id).int().argmax(-1)`).
    """

    def __init__(self):
        super().__init__()
        self.token_embedding = nn.Embedding(VOCAB_SIZE, TOKEN_DIM)
        self.position_embedding = nn.Parameter(0.5 * torch.randn(MAX_POSITIONS, TOKEN_DIM))
        self.proj = nn.Linear(TOKEN_DIM, HIDDEN)
        self.fc1 = nn.Linear(HIDDEN, MLP_DIM)
        self.fc2 = nn.Linear(MLP_DIM, HIDDEN)
        self.final_layer_norm = nn.LayerNorm(HIDDEN)
        with torch.no_grad():  # a non-trivial affine so that a missing LayerNorm scale/shift shows
            self.final_layer_norm.weight.copy_(1.0 + 0.2 * torch.randn(HIDDEN))
            self.final_layer_norm.bias.copy_(0.2 * torch.randn(HIDDEN))

    def forward(self, input_ids):
        seq = input_ids.shape[1]
        h = self.token_embedding(input_ids) + self.position_embedding[:seq]
        h = self.proj(h)
        h = h + self.fc2(F.gelu(self.fc1(h)))
        h = self.final_layer_norm(h)
        eos = (input_ids == EOS_TOKEN_ID).int().argmax(dim=-1)
        pooled = h.gather(1, eos[:, None, None].expand(-1, 1, HIDDEN)).squeeze(1)
        return h, pooled


def timestep_frequencies():
    """exp(-ln(10000) * k / 16), k = 0..15: diffusers' get_timestep_embedding with downscale_freq_shift 0."""
    half = TIME_EMBED_DIM // 2
    return torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)


class TinyUNet(nn.Module):
    """(sample [B,4,h,w], timestep float [N] with N = 1 or B, encoder_hidden_states [B,S,32]) -> eps [B,4,h,w].

    The timestep goes through [cos | sin](t * freqs) (flip_sin_to_cos=True order) and a 2-layer MLP; the mean of
    encoder_hidden_states over its tokens goes through a linear layer; their sum gives a per-channel scale and shift
    for the features of a 3x3 conv of the sample. A second 3x3 conv maps back to 4 channels and is added to the sample
    (an epsilon-predictor that starts near "the input is all noise", which keeps the sampled latents bounded).
    """

    def __init__(self):
        super().__init__()
        self.register_buffer("freqs", timestep_frequencies())
        self.conv_in = nn.Conv2d(LATENT_CHANNELS, UNET_CHANNELS, 3, padding=1)
        self.time_linear_1 = nn.Linear(TIME_EMBED_DIM, 32)
        self.time_linear_2 = nn.Linear(32, 2 * UNET_CHANNELS)
        self.context_proj = nn.Linear(HIDDEN, 2 * UNET_CHANNELS)
        self.conv_out = nn.Conv2d(UNET_CHANNELS, LATENT_CHANNELS, 3, padding=1)
        with torch.no_grad():
            self.context_proj.weight.mul_(4.0)  # the prompt is ~5 of 77 tokens of the mean: make it count
            self.conv_out.weight.mul_(0.5)
            self.conv_out.bias.mul_(0.5)

    def forward(self, sample, timestep, encoder_hidden_states):
        args = timestep.to(torch.float32)[:, None] * self.freqs[None, :]
        temb = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
        temb = self.time_linear_2(F.silu(self.time_linear_1(temb)))
        ctx = self.context_proj(encoder_hidden_states.mean(dim=1))
        scale, shift = (temb + ctx).chunk(2, dim=1)
        h = F.silu(self.conv_in(sample))
        h = F.silu(h * (1.0 + scale[:, :, None, None]) + shift[:, :, None, None])
        return sample + self.conv_out(h)


class TinyVaeDecoder(nn.Module):
    """latent_sample [B,4,h,w] -> sample [B,3,8h,8w] in (-1.1, 1.1): 1x1 conv, nearest x8, 3x3 conv, 1.1 * tanh.

    The 1.1 lets a few pixels leave [-1, 1], so the pipeline's clamp is exercised.
    """

    def __init__(self):
        super().__init__()
        self.conv_in = nn.Conv2d(LATENT_CHANNELS, 3, 1)
        self.conv_out = nn.Conv2d(3, 3, 3, padding=1)
        with torch.no_grad():
            # latents / 0.18215 are ~5x the latents: scale back so tanh sees roughly unit inputs
            self.conv_in.weight.mul_(SCALING_FACTOR * 1.5)

    def forward(self, latent_sample):
        h = self.conv_in(latent_sample)
        h = F.interpolate(h, scale_factor=VAE_SCALE, mode="nearest")
        return 1.1 * torch.tanh(self.conv_out(h))


class TinyVaeEncoder(nn.Module):
    """sample [B,3,H,W] -> latent_parameters [B,8,H/8,W/8] (mean | logvar, as Optimum's vae_encoder): 8x8 average
    pool and a 1x1 conv. Not used by the txt2img goldens; here so the layout has every Optimum SD folder."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 2 * LATENT_CHANNELS, 1)

    def forward(self, sample):
        return self.conv(F.avg_pool2d(sample, VAE_SCALE))


def _seeded(cls, seed):
    torch.manual_seed(seed)
    return cls().eval()


def build_modules():
    """The four networks with their fixed weights. Same call, same weights, on any machine with the same torch."""
    return {
        "text_encoder": _seeded(TinyTextEncoder, TEXT_ENCODER_SEED),
        "unet": _seeded(TinyUNet, UNET_SEED),
        "vae_decoder": _seeded(TinyVaeDecoder, VAE_DECODER_SEED),
        "vae_encoder": _seeded(TinyVaeEncoder, VAE_ENCODER_SEED),
    }


class UNetInt64Timestep(nn.Module):
    """Optimum before Nov 2024 (PR #2073): timestep int64 [N]."""

    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.unet(sample, timestep.to(torch.float32), encoder_hidden_states)


class UNetScalarTimestep(nn.Module):
    """Optimum since Nov 2024: timestep float32 rank 0."""

    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.unet(sample, timestep.reshape(1), encoder_hidden_states)
