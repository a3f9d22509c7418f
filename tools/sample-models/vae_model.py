"""The VAE shared by shapes-sd and shapes-sdxl (diffusers AutoencoderKL contract, 8× down, 4 latent channels).

The network inside is ours: fully convolutional, strided patch convolutions down and pixel-shuffle up (cheap on CPU and crisp: each
32×32 cell predicts its 2×2 pixel patch), GroupNorm + SiLU residual blocks at 16×16 and 8×8.

  encoder: sample [B,3,H,W] in [-1,1] → latent_parameters [B,8,H/8,W/8] = mean ‖ logvar (diagonal Gaussian)
  decoder: latent_sample [B,4,h,w] → sample [B,3,8h,8w] in ≈[-1,1]
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import GroupNorm


class ResBlock(nn.Module):
    def __init__(self, ch, groups=8):
        super().__init__()
        self.n1 = GroupNorm(groups, ch)
        self.c1 = nn.Conv2d(ch, ch, 3, padding=1)
        self.n2 = GroupNorm(groups, ch)
        self.c2 = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x):
        h = self.c1(F.silu(self.n1(x)))
        h = self.c2(F.silu(self.n2(h)))
        return x + h


class Encoder(nn.Module):
    def __init__(self, c16=64, c8=96, latent=4):
        super().__init__()
        self.inp = nn.Conv2d(3, c16, 4, stride=4)              # 4×4 patches: 64 → 16
        self.c16 = nn.Conv2d(c16, c16, 3, padding=1)
        self.res16 = ResBlock(c16)
        self.down = nn.Conv2d(c16, c8, 2, stride=2)            # 16 → 8
        self.res8 = ResBlock(c8)
        self.norm = GroupNorm(8, c8)
        self.out = nn.Conv2d(c8, 2 * latent, 3, padding=1)

    def forward(self, sample):
        x = self.inp(sample)
        x = self.res16(self.c16(F.silu(x)))
        x = self.down(x)
        x = self.res8(x)
        return self.out(F.silu(self.norm(x)))


class Decoder(nn.Module):
    def __init__(self, c8=96, c16=64, c32=32, latent=4):
        super().__init__()
        self.inp = nn.Conv2d(latent, c8, 3, padding=1)
        self.res8a = ResBlock(c8)
        self.res8b = ResBlock(c8)
        self.up16 = nn.Conv2d(c8, c16 * 4, 3, padding=1)       # then pixel-shuffle ×2: 8 → 16
        self.res16 = ResBlock(c16)
        self.up32 = nn.Conv2d(c16, c32 * 4, 3, padding=1)      # 16 → 32
        self.n32 = GroupNorm(8, c32)
        self.c32 = nn.Conv2d(c32, c32, 3, padding=1)
        self.n_out = GroupNorm(8, c32)
        self.out = nn.Conv2d(c32, 3 * 4, 3, padding=1)         # 32 → 64

    def forward(self, latent_sample):
        x = self.inp(latent_sample)
        x = self.res8b(self.res8a(x))
        x = F.pixel_shuffle(self.up16(x), 2)
        x = self.res16(x)
        x = F.pixel_shuffle(self.up32(x), 2)
        x = x + self.c32(F.silu(self.n32(x)))
        return F.pixel_shuffle(self.out(F.silu(self.n_out(x))), 2)


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.decoder = Decoder()

    def forward(self, x, generator=None):
        params = self.encoder(x)
        mean, logvar = params.chunk(2, dim=1)
        logvar = logvar.clamp(-30, 20)
        z = mean + torch.randn(mean.shape, generator=generator) * (0.5 * logvar).exp()
        return self.decoder(z), mean, logvar


class CellEncoder(nn.Module):
    """Each 8×8 pixel cell is read by one strided convolution (a linear map of its 192 values), then residual
    blocks mix the cells."""

    def __init__(self, ch=128, latent=4, blocks=2):
        super().__init__()
        self.inp = nn.Conv2d(3, ch, 8, stride=8)
        self.mix = nn.Conv2d(ch, ch, 1)
        self.res = nn.Sequential(*[ResBlock(ch) for _ in range(blocks)])
        self.norm = GroupNorm(8, ch)
        self.out = nn.Conv2d(ch, 2 * latent, 3, padding=1)

    def forward(self, sample):
        x = self.mix(F.silu(self.inp(sample)))
        x = self.res(x)
        return self.out(F.silu(self.norm(x)))


class CellDecoder(nn.Module):
    """Residual blocks over the latent cells, then a per-cell MLP writes the cell's 8×8×3 pixels (pixel-shuffle ×8):
    every output pixel has its own output weights, so edges stay sharp."""

    def __init__(self, ch=128, hidden=256, latent=4, blocks=3):
        super().__init__()
        self.inp = nn.Conv2d(latent, ch, 3, padding=1)
        self.res = nn.Sequential(*[ResBlock(ch) for _ in range(blocks)])
        self.norm = GroupNorm(8, ch)
        self.fc1 = nn.Conv2d(ch, hidden, 1)
        self.fc2 = nn.Conv2d(hidden, 3 * 64, 1)

    def forward(self, latent_sample):
        x = self.res(self.inp(latent_sample))
        x = self.fc2(F.silu(self.fc1(F.silu(self.norm(x)))))
        return F.pixel_shuffle(x, 8)


class CellVae(Vae):
    def __init__(self):
        nn.Module.__init__(self)
        self.encoder = CellEncoder()
        self.decoder = CellDecoder()
