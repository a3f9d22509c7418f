"""The tiny torch networks behind the tiny-sdxl fixture, and the wrapper that gives the UNet Optimum's SDXL signature.

Like tiny_sd_modules.py (whose constants, timestep features and VAE modules this file reuses), these are not SDXL's
networks: they are just big enough that every input an SDXL pipeline feeds them changes their output. What is SDXL's
is the interface:

* two CLIP-like text encoders with L = 2 layers that return every hidden state (`hidden_states.0` = embeddings,
  `hidden_states.1` = after layer 1, `hidden_states.2` = after layer 2, `last_hidden_state` = final LayerNorm of
  `hidden_states.2`). SDXL's pipeline takes `hidden_states[-2]` = `hidden_states.1`, which differs from both
  neighbours, so taking the wrong layer (or the LayerNorm'd output, as SD 1.x does) shows in every number.
* encoder 1 (width 16) also returns `pooler_output` (CLIPTextModel), encoder 2 (width 24) returns `text_embeds` =
  a bias-free projection of the first-EOS row (CLIPTextModelWithProjection).
* a UNet that takes `encoder_hidden_states` 16 + 24 = 40 wide, the pooled `text_embeds` [B, 24] and the six
  `time_ids` [B, 6], the last two through SDXL's "text_time" additional embedding: sinusoidal features of each time
  id (addition_time_embed_dim 4), concatenated with text_embeds (6 * 4 + 24 = 48 inputs), a 2-layer MLP.
* a VAE decoder tuned for SDXL's scaling factor 0.13025.

Size is the constraint: the fixture must stay small next to two copies of the tokenizer (224 KB). So the token
embedding is factored: row(id) = low[id % 64] + high[id // 64] (two tables of 64 and 27 rows instead of 1714), which
still gives every id of the vocabulary its own vector. Each layer is a pre-LayerNorm residual block with a causal
"uniform attention" (the running mean over positions 0..i, so pad rows carry the prompt, as in CLIP) and a GELU MLP.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

import tiny_sd_modules as sd

VOCAB_SIZE = sd.VOCAB_SIZE
BOS_TOKEN_ID = sd.BOS_TOKEN_ID
EOS_TOKEN_ID = sd.EOS_TOKEN_ID
PAD_TOKEN_ID_2 = 0             # tokenizer_2 pads with "!" (id 0 in shapes-clip, as in CLIP-bigG's vocabulary)
MAX_POSITIONS = sd.MAX_POSITIONS
EMBED_LOW = 64                 # low[id % 64]
EMBED_HIGH = (VOCAB_SIZE + EMBED_LOW - 1) // EMBED_LOW  # high[id // 64]: 27 rows
TOKEN_DIM = 6
NUM_LAYERS = 2                 # hidden_states.0 .. hidden_states.2
HIDDEN_1 = 16                  # text_encoder width
HIDDEN_2 = 24                  # text_encoder_2 width = projection_dim
CROSS_ATTENTION_DIM = HIDDEN_1 + HIDDEN_2
LATENT_CHANNELS = sd.LATENT_CHANNELS
UNET_CHANNELS = 12
TIME_MLP = 16
ADDITION_TIME_EMBED_DIM = 4    # per time id; 6 ids -> 24 features
NUM_TIME_IDS = 6
ADD_EMBED_IN = ADDITION_TIME_EMBED_DIM * NUM_TIME_IDS + HIDDEN_2   # 48, SDXL base: 256 * 6 + 1280 = 2816
SCALING_FACTOR = 0.13025       # SDXL vae.config.scaling_factor

# Gains on a few layers, chosen by looking at the goldens: with them each conditioning input moves the images by
# several grey levels, and the VAE output leaves [-1, 1] for some pixels (so the clamp matters) without saturating.
CONTEXT_GAIN = 2.0             # the prompt is ~5 of 77 tokens of the mean
ADD_GAIN = 2.0                 # pooled embedding and time ids
VAE_GAIN = 1.4

TEXT_ENCODER_SEED = 2001
TEXT_ENCODER_2_SEED = 2002
UNET_SEED = 2003
VAE_DECODER_SEED = 2004
VAE_ENCODER_SEED = 2005


def sinusoidal(values, dim):
    """[cos | sin](v * exp(-ln(10000) * k / (dim/2))), k < dim/2: diffusers' get_timestep_embedding with
    flip_sin_to_cos=True and downscale_freq_shift=0, for a 1-D float tensor -> [len, dim]."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = values[:, None] * freqs[None, :]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class TinyClipLayer(nn.Module):
    """Pre-LN residual block: h + mix(LN(h)) (causal running mean, projected), then h + MLP(LN(h))."""

    def __init__(self, width):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(width)
        self.mix_proj = nn.Linear(width, width)
        self.layer_norm2 = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, width)
        self.fc2 = nn.Linear(width, width)

    def forward(self, h):
        x = self.layer_norm1(h)
        positions = torch.arange(1, h.shape[1] + 1, dtype=h.dtype)
        h = h + self.mix_proj(torch.cumsum(x, dim=1) / positions[None, :, None])
        return h + self.fc2(F.gelu(self.fc1(self.layer_norm2(h))))


class TinyClipTextModel(nn.Module):
    """input_ids int64 [B, S] -> (last_hidden_state, eos_row, [hidden_states.0 .. hidden_states.L]), width `width`.

    eos_row is last_hidden_state at the first EOS (transformers' CLIP rule when eos_token_id != 2).
    """

    def __init__(self, width):
        super().__init__()
        self.width = width
        self.embed_low = nn.Embedding(EMBED_LOW, TOKEN_DIM)
        self.embed_high = nn.Embedding(EMBED_HIGH, TOKEN_DIM)
        self.position_embedding = nn.Parameter(0.5 * torch.randn(MAX_POSITIONS, TOKEN_DIM))
        self.proj = nn.Linear(TOKEN_DIM, width)
        self.layers = nn.ModuleList([TinyClipLayer(width) for _ in range(NUM_LAYERS)])
        self.final_layer_norm = nn.LayerNorm(width)
        with torch.no_grad():  # non-trivial affine maps, so that a missing scale or shift shows
            for ln in [self.final_layer_norm] + [l for layer in self.layers
                                                 for l in (layer.layer_norm1, layer.layer_norm2)]:
                ln.weight.copy_(1.0 + 0.2 * torch.randn(width))
                ln.bias.copy_(0.2 * torch.randn(width))

    def forward(self, input_ids):
        seq = input_ids.shape[1]
        h = self.embed_low(torch.remainder(input_ids, EMBED_LOW)) + \
            self.embed_high(torch.div(input_ids, EMBED_LOW, rounding_mode="floor")) + self.position_embedding[:seq]
        h = self.proj(h)
        hidden_states = [h]
        for layer in self.layers:
            h = layer(h)
            hidden_states.append(h)
        last = self.final_layer_norm(h)
        eos = (input_ids == EOS_TOKEN_ID).int().argmax(dim=-1)
        eos_row = last.gather(1, eos[:, None, None].expand(-1, 1, self.width)).squeeze(1)
        return last, eos_row, hidden_states


class TinyTextEncoder(nn.Module):
    """Optimum's clip-text with output_hidden_states: input_ids -> last_hidden_state [B,S,16], pooler_output [B,16],
    hidden_states.0..2 [B,S,16] (in that order)."""

    def __init__(self):
        super().__init__()
        self.text_model = TinyClipTextModel(HIDDEN_1)

    def forward(self, input_ids):
        last, pooled, hidden_states = self.text_model(input_ids)
        return (last, pooled, *hidden_states)


class TinyTextEncoder2(nn.Module):
    """Optimum's clip-text-with-projection with output_hidden_states: input_ids -> text_embeds [B,24] (first, so
    output 0 is 2-D), last_hidden_state [B,S,24], hidden_states.0..2 [B,S,24]."""

    def __init__(self):
        super().__init__()
        self.text_model = TinyClipTextModel(HIDDEN_2)
        self.text_projection = nn.Linear(HIDDEN_2, HIDDEN_2, bias=False)

    def forward(self, input_ids):
        last, pooled, hidden_states = self.text_model(input_ids)
        return (self.text_projection(pooled), last, *hidden_states)


class TinyUNetXL(nn.Module):
    """(sample [B,4,h,w], timestep float [1] or [B], encoder_hidden_states [B,S,40], text_embeds [B,24],
    time_ids [B,6]) -> eps [B,4,h,w].

    emb = MLP([cos|sin](t)) + MLP(concat(sinusoidal(time_ids) per id, text_embeds)) + Linear(mean_tokens(ehs)) gives a
    per-channel scale and shift for the features of a 3x3 conv of the sample; a second 3x3 conv maps back to 4 channels
    and is added to the sample (the same epsilon-predictor shape as tiny-sd's UNet).
    """

    def __init__(self):
        super().__init__()
        self.conv_in = nn.Conv2d(LATENT_CHANNELS, UNET_CHANNELS, 3, padding=1)
        self.time_linear_1 = nn.Linear(sd.TIME_EMBED_DIM, TIME_MLP)
        self.time_linear_2 = nn.Linear(TIME_MLP, 2 * UNET_CHANNELS)
        self.add_linear_1 = nn.Linear(ADD_EMBED_IN, TIME_MLP)   # SDXL: unet.add_embedding.linear_1
        self.add_linear_2 = nn.Linear(TIME_MLP, 2 * UNET_CHANNELS)
        self.context_proj = nn.Linear(CROSS_ATTENTION_DIM, 2 * UNET_CHANNELS)
        self.conv_out = nn.Conv2d(UNET_CHANNELS, LATENT_CHANNELS, 3, padding=1)
        with torch.no_grad():
            self.context_proj.weight.mul_(CONTEXT_GAIN)
            self.add_linear_1.weight.mul_(ADD_GAIN)
            self.conv_out.weight.mul_(0.5)
            self.conv_out.bias.mul_(0.5)

    def forward(self, sample, timestep, encoder_hidden_states, text_embeds, time_ids):
        temb = self.time_linear_2(F.silu(self.time_linear_1(sinusoidal(timestep.to(torch.float32),
                                                                       sd.TIME_EMBED_DIM))))
        batch = time_ids.shape[0]
        time_features = sinusoidal(time_ids.reshape(-1), ADDITION_TIME_EMBED_DIM).reshape(batch, -1)
        aug = self.add_linear_2(F.silu(self.add_linear_1(torch.cat([time_features, text_embeds], dim=-1))))
        ctx = self.context_proj(encoder_hidden_states.mean(dim=1))
        scale, shift = (temb + aug + ctx).chunk(2, dim=1)
        h = F.silu(self.conv_in(sample))
        h = F.silu(h * (1.0 + scale[:, :, None, None]) + shift[:, :, None, None])
        return sample + self.conv_out(h)


class UNetXLScalarTimestep(nn.Module):
    """Optimum since Nov 2024: timestep float32 rank 0, broadcast over the batch."""

    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states, text_embeds, time_ids):
        return self.unet(sample, timestep.reshape(1), encoder_hidden_states, text_embeds, time_ids)


class TinyVaeDecoderXL(sd.TinyVaeDecoder):
    """tiny-sd's decoder with its input scale moved from 0.18215 to 0.13025 (latents / 0.13025 are ~7.7x)."""

    def __init__(self):
        super().__init__()
        with torch.no_grad():
            self.conv_in.weight.mul_(SCALING_FACTOR / sd.SCALING_FACTOR * VAE_GAIN)


def build_modules():
    """The five networks with their fixed weights. Same call, same weights, on any machine with the same torch."""
    return {
        "text_encoder": sd._seeded(TinyTextEncoder, TEXT_ENCODER_SEED),
        "text_encoder_2": sd._seeded(TinyTextEncoder2, TEXT_ENCODER_2_SEED),
        "unet": sd._seeded(TinyUNetXL, UNET_SEED),
        "vae_decoder": sd._seeded(TinyVaeDecoderXL, VAE_DECODER_SEED),
        "vae_encoder": sd._seeded(sd.TinyVaeEncoder, VAE_ENCODER_SEED),
    }


def hidden_state_names():
    return [f"hidden_states.{i}" for i in range(NUM_LAYERS + 1)]
