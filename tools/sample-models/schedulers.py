"""Python reference samplers for the Shapes-world diffusion models, following diffusers (see
/work/shared/research/diffusion-anchors.md §1.3-1.7, §2.1-2.3, §2.7).

* training schedule: scaled_linear betas (0.00085 .. 0.012 over 1000 steps), float32 like diffusers
* PNDMScheduler in PLMS mode (skip_prk_steps=True), leading spacing, steps_offset 1, set_alpha_to_one False (SD 1.5)
* EulerDiscreteScheduler, leading spacing, steps_offset 1, init_noise_sigma = sqrt(sigma_max² + 1) (SDXL)
* classifier-free guidance with the batch [uncond, cond], on only when guidance_scale > 1
* latents: torch.randn((1, 4, h, w), generator=torch.Generator().manual_seed(seed)) per image × init_noise_sigma
* decode: vae_decoder(latents / scaling_factor) → (x*0.5+0.5).clamp(0,1) * 255 → numpy round → uint8
"""
import numpy as np
import torch

T = 1000
BETA_START = 0.00085
BETA_END = 0.012


def alphas_cumprod():
    betas = torch.linspace(BETA_START ** 0.5, BETA_END ** 0.5, T, dtype=torch.float32) ** 2
    return torch.cumprod(1.0 - betas, dim=0)


class Pndm:
    """diffusers PNDMScheduler with skip_prk_steps=True (PLMS), timestep_spacing leading, set_alpha_to_one False."""

    init_noise_sigma = 1.0

    def __init__(self, steps, steps_offset=1):
        self.ac = alphas_cumprod()
        self.final_ac = self.ac[0]  # set_alpha_to_one=False
        self.n = steps
        ratio = T // steps
        ts = np.arange(0, steps) * ratio + steps_offset                       # leading
        plms = np.concatenate([ts[:-1], ts[-2:-1], ts[-1:]])[::-1].copy()
        self.timesteps = plms.astype(np.int64)
        self.ratio = ratio
        self.ets = []
        self.counter = 0
        self.cur_sample = None

    def scale_model_input(self, sample, t):
        return sample

    def _prev(self, sample, t, prev_t, e):
        a_t = self.ac[t]
        a_prev = self.ac[prev_t] if prev_t >= 0 else self.final_ac
        b_t = 1 - a_t
        b_prev = 1 - a_prev
        coeff = (a_prev / a_t) ** 0.5
        denom = a_t * b_prev ** 0.5 + (a_t * b_t * a_prev) ** 0.5
        return coeff * sample - (a_prev - a_t) * e / denom

    def step(self, e, t, sample):
        t = int(t)
        prev_t = t - self.ratio
        if self.counter != 1:
            self.ets = self.ets[-3:]
            self.ets.append(e)
        else:
            prev_t = t
            t = t + self.ratio
        if len(self.ets) == 1 and self.counter == 0:
            e = e
            self.cur_sample = sample
        elif len(self.ets) == 1 and self.counter == 1:
            e = (e + self.ets[-1]) / 2
            sample = self.cur_sample
            self.cur_sample = None
        elif len(self.ets) == 2:
            e = (3 * self.ets[-1] - self.ets[-2]) / 2
        elif len(self.ets) == 3:
            e = (23 * self.ets[-1] - 16 * self.ets[-2] + 5 * self.ets[-3]) / 12
        else:
            e = (55 * self.ets[-1] - 59 * self.ets[-2] + 37 * self.ets[-3] - 9 * self.ets[-4]) / 24
        prev = self._prev(sample, t, prev_t, e)
        self.counter += 1
        return prev


class EulerDiscrete:
    """diffusers EulerDiscreteScheduler, timestep_spacing leading, steps_offset 1, epsilon, s_churn 0."""

    def __init__(self, steps, steps_offset=1):
        ac = alphas_cumprod().numpy()
        sigmas = ((1 - ac) / ac) ** 0.5
        ratio = T // steps
        ts = (np.arange(0, steps) * ratio).round()[::-1].copy().astype(np.float32) + steps_offset
        s = np.interp(ts, np.arange(0, len(sigmas)), sigmas)
        self.sigmas = torch.from_numpy(np.concatenate([s, [0.0]]).astype(np.float32))
        self.timesteps = torch.from_numpy(ts.astype(np.float32))
        self.init_noise_sigma = float((self.sigmas.max() ** 2 + 1) ** 0.5)  # leading
        self.index = 0

    def scale_model_input(self, sample, t):
        sigma = self.sigmas[self.index]
        return sample / ((sigma ** 2 + 1) ** 0.5)

    def step(self, e, t, sample):
        sigma = self.sigmas[self.index]
        x0 = sample - sigma * e
        d = (sample - x0) / sigma
        prev = sample + d * (self.sigmas[self.index + 1] - sigma)
        self.index += 1
        return prev


def initial_latents(seeds, shape, init_noise_sigma):
    """One generator per image, as diffusers does with a list of generators."""
    lat = torch.cat([torch.randn((1,) + tuple(shape), generator=torch.Generator().manual_seed(int(s))) for s in seeds])
    return lat * init_noise_sigma


def to_uint8(decoded):
    """VaeImageProcessor.postprocess: (x*0.5+0.5).clamp(0,1), NHWC, *255, numpy round (half to even), uint8."""
    x = (decoded * 0.5 + 0.5).clamp(0, 1).permute(0, 2, 3, 1).numpy()
    return (x * 255).round().astype(np.uint8)


@torch.no_grad()
def sample(unet_call, scheduler, cond, uncond, seeds, guidance, shape=(4, 8, 8)):
    """unet_call(latent_input [B,...], t, conds) → eps. cond/uncond: tuples of tensors with batch = len(seeds).

    Returns the final latents (before / scaling_factor)."""
    latents = initial_latents(seeds, shape, scheduler.init_noise_sigma)
    cfg = guidance > 1
    conds = tuple(torch.cat([u, c]) for u, c in zip(uncond, cond)) if cfg else cond
    for t in scheduler.timesteps:
        inp = torch.cat([latents, latents]) if cfg else latents
        inp = scheduler.scale_model_input(inp, t)
        eps = unet_call(inp, t, conds)
        if cfg:
            eu, ec = eps.chunk(2)
            eps = eu + guidance * (ec - eu)
        latents = scheduler.step(eps, t, latents)
    return latents
