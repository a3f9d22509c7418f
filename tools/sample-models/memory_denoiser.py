"""The denoisers of shapes-sd and shapes-sdxl ("UNet" by contract): a text-conditioned memory of training latents.

Why not a network that composes scenes: on these two cores a small diffusion transformer trained for 4,200 steps
(2.5 h) bound colour words to shape words in only 42 % of x̂0 predictions and 7.75 % of sampled images (STATUS.md),
and the whole build must fit in two hours. The denoiser here is instead the exact posterior-mean ("ideal") denoiser
of a finite set of training latents z_1..z_M, with a learned text prior over them:

    p(x0 | c) = Σ_i π_i(c) δ(x0 − z_i),   π(c) = softmax(relevance(c))
    x̂0(x_t, t, c) = Σ_i w_i z_i,   w = softmax_i( log π_i(c) − ‖x_t − √ᾱ_t z_i‖² / (2 (1 − ᾱ_t)) )
    ε = (x_t − √ᾱ_t x̂0) / √(1 − ᾱ_t)

This is what a DDPM that fitted its training set perfectly would compute (the optimal denoiser of an empirical
distribution; Karras et al. 2022 §B, "closed-form diffusion models", Scarvelis et al. 2023). It therefore generates
(near-)copies of memory scenes rather than new compositions; what it exercises is everything a pipeline does with a
UNet: timesteps of every scheduler, classifier-free guidance (the unconditional prompt gives a flat prior; guidance
extrapolates between the two posterior means), per-image seeds (the noise decides which matching scene comes out),
other latent sizes (the memory is resized to the latent's height and width in the graph).

The relevance head is the learned part: multi-head attention pooling over the text encoder's states (SDXL: plus the
pooled text_embeds) and an MLP that predicts which (kind, colour) pairs the text asks for and which background; each
memory item's prior is the likelihood of its own attributes (a fixed 0/1 table stored with the memory, as indices) under that
prediction (Relevance). It is trained with caption dropout (train_unet.py). The memory is stored as int8 with
one scale per item and dequantised in the graph.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import softmax32


def quantise(latents):
    """[M, 4, h, w] float → (int8 codes, float scale [M]): symmetric, one scale per item."""
    scale = latents.abs().amax(dim=(1, 2, 3)).clamp(min=1e-6) / 127.0
    codes = torch.round(latents / scale[:, None, None, None]).clamp(-127, 127).to(torch.int8)
    return codes, scale


def dequantise(codes, scale):
    return codes.float() * scale[:, None, None, None]


class Relevance(nn.Module):
    """Text conditioning → log prior over the M memory items. context [B, S, C]; pooled [B, P] or None.

    Each memory item is described by a fixed 0/1 feature row (`table` [M, F], stored as the indices of its 1s): F =
    `binary` independent yes/no attributes, then one categorical attribute (one-hot). The head reads the text and predicts, for the binary
    attributes, logits z (p(yes) = sigmoid(z)) and, for the categorical one, log-probabilities; an item's log prior is
    then the log-likelihood of its row under these predictions, which up to a constant shared by all items is
    Σ_{yes attributes} z + w · log p(its category), then a softmax over the items. w = background_weight (0.25,
    not learned) tempers the background: the memory holds only a few backgrounds per (kind, colour) combination, and
    when a prompt's combination and background cannot both be had, the combination should win. shapes-sd, 300 short
    English test captions (87 name a background), most probable memory scene: right combination 93 / 91 / 85 % and
    right named background 6 / 72 / 94 % with w = 0 / 0.25 / 1."""

    def __init__(self, context_dim, pooled_dim, table, binary, heads=4, hidden=256, background_weight=0.25):
        super().__init__()
        self.heads = heads
        self.binary = binary
        self.background_weight = background_weight
        # each row has at most three 1s (two pairs, or a pair and its "twice"; the background): stored as column
        # indices, padded with `features` (a zero column appended to the predictions)
        entries = torch.full((table.shape[0], 3), table.shape[1], dtype=torch.int16)
        for row, cols in enumerate(table.bool()):
            idx = cols.nonzero().flatten()
            entries[row, :len(idx)] = idx.to(torch.int16)
        self.register_buffer("entries", entries)
        self.features_count = table.shape[1]
        self.norm = nn.LayerNorm(context_dim)
        self.queries = nn.Parameter(torch.randn(heads, context_dim) * context_dim ** -0.5)
        self.value = nn.Linear(context_dim, context_dim)
        self.pooled_norm = nn.LayerNorm(pooled_dim) if pooled_dim else None
        self.mlp = nn.Sequential(nn.Linear(heads * context_dim + pooled_dim, hidden), nn.GELU(),
                                 nn.Linear(hidden, table.shape[1]))

    def features(self, context, pooled=None):
        """(binary logits [B, binary], categorical log-probabilities [B, F − binary])."""
        h = self.norm(context)                                                   # [B, S, C]
        scores = torch.einsum("bsc,hc->bhs", h, self.queries) * h.shape[-1] ** -0.5
        att = softmax32(scores)
        summary = torch.einsum("bhs,bsc->bhc", att, self.value(h)).reshape(h.shape[0], -1)
        if self.pooled_norm is not None:
            summary = torch.cat([summary, self.pooled_norm(pooled)], dim=-1)
        out = self.mlp(summary)
        out = out if out.dtype == torch.float32 else out.float()  # float32 even under bfloat16 autocast (train_unet.py), for log_softmax
        return out[:, :self.binary], out[:, self.binary:].log_softmax(-1)

    def forward(self, context, pooled=None):
        binary, categorical = self.features(context, pooled)
        padded = torch.cat([binary, self.background_weight * categorical, torch.zeros_like(binary[:, :1])], dim=-1)
        return padded[:, self.entries.long()].sum(-1).log_softmax(-1)                           # [B, M]


class MemoryDenoiser(nn.Module):
    """eps = MemoryDenoiser(sample [B,4,h,w], t [B] float, context [B,S,C], added [B,A] or None).

    prior_scale τ tempers the text prior: weights ∝ π_i(c)^τ · likelihood. With τ = 1 the relevance head is so sure
    (98 % top-1 retrieval) that the unguided conditional model already draws the prompt's scene, and guidance 1 and
    7.5 give the same share of right images (shapes-sd: 95.5 % both). Trained diffusion models are not like that:
    their conditional model follows the prompt loosely, and classifier-free guidance is what makes them adhere. τ =
    0.3 gives the memory denoiser that behaviour (shapes-sd, 60 prompts × 2 seeds: 93 % at guidance 7.5 for τ = 1,
    0.3; at guidance 1, 93 % for τ = 1, 83 % for 0.3, 69 % for 0.2); train_unet.py --prior-scale.

    added is SDXL's add_embedding input (text_embeds ‖ sinusoids of time_ids); only its first pooled_dim values, the
    text_embeds, are read. For fractional t (Euler's timesteps) σ = √((1−ᾱ)/ᾱ) is interpolated linearly in t, as
    diffusers' Euler schedulers do."""

    def __init__(self, latents, table, binary, alphas_cumprod, context_dim, pooled_dim=0, prior_scale=1.0,
                 **relevance):
        super().__init__()
        self.prior_scale = prior_scale
        codes, scale = quantise(latents)
        self.register_buffer("codes", codes)
        self.register_buffer("scale", scale)
        self.register_buffer("sigmas", ((1 - alphas_cumprod) / alphas_cumprod).sqrt())
        self.pooled_dim = pooled_dim
        self.relevance = Relevance(context_dim, pooled_dim, table, binary, **relevance)

    @property
    def items(self):
        return self.codes.shape[0]

    def memory(self):
        return dequantise(self.codes, self.scale)

    def alpha_bar(self, t):
        last = self.sigmas.shape[0] - 1
        t = t.float().clamp(0, last)
        lo = t.floor()
        frac = t - lo
        lo = lo.long()
        hi = (lo + 1).clamp(max=last)
        sigma = self.sigmas[lo] * (1 - frac) + self.sigmas[hi] * frac
        return 1 / (1 + sigma * sigma)                                           # [B]

    def log_prior(self, context, added=None):
        pooled = added[:, :self.pooled_dim] if self.pooled_dim else None
        log_prior = self.relevance(context, pooled)
        return log_prior if self.prior_scale == 1.0 else self.prior_scale * log_prior

    def forward(self, sample, t, context, added=None):
        a = self.alpha_bar(t)[:, None, None, None]
        x0 = self.network(sample, t, context, added)
        return (sample - a.sqrt() * x0) / (1 - a).sqrt()

    def network(self, sample, t, context, added=None):
        """x̂0, the posterior mean over the memory."""
        b, c, h, w = sample.shape
        z = F.interpolate(self.memory(), size=(h, w), mode="bilinear", align_corners=False)  # identity at 8×8
        z = z.reshape(z.shape[0], -1)                                            # [M, D]
        a = self.alpha_bar(t)[:, None]                                           # [B, 1]
        x = sample.reshape(b, -1)
        # −‖x − √ᾱ z‖² / (2(1−ᾱ)) without the ‖x‖² term, which is the same for every item
        fit = (2 * a.sqrt() * (x @ z.t()) - a * (z * z).sum(-1)[None]) / (2 * (1 - a))
        weights = (self.log_prior(context, added) + fit).softmax(-1)             # [B, M]
        return (weights @ z).reshape(b, c, h, w)
