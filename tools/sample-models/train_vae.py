"""Trains the Shapes-world VAE (shared by shapes-sd and shapes-sdxl) and writes work/vae.pt.

Phase 1 trains encoder and decoder; its first 70% of the steps train on random 40×40 crops aligned to the latent grid (a third of the cost), the
rest on whole images. Loss: L1 reconstruction with pixels away from the background weighted up (small shapes must stay crisp), plus a
tiny KL term (as the real SD VAE, whose KL weight is 1e-6). The latent scaling factor is 1 / std of the latent
means over the training split (what the SD authors did to get 0.18215), stored in work/vae.pt; the model folders
are written by train_unet.py (write_vae).

  /usr/bin/python3 train_vae.py [--steps N] [--batch B]
"""
import argparse
import os
import random
import time

import numpy as np
import torch

from common import DATA, WORK, Dataset, autocast, log, setup, to_unit_range
from vae_model import CellVae, Vae


def weighted_l1(recon, target, edge=0.0):
    bg = target[:, :, :1, :1]
    fg = ((target - bg).abs().amax(1, keepdim=True) > 0.05).float()
    w = 1.0 + 4.0 * fg
    if edge:
        # pixels within one pixel of a shape outline (star points, square corners) weigh more
        near = torch.nn.functional.max_pool2d(fg, 3, 1, 1) - (-torch.nn.functional.max_pool2d(-fg, 3, 1, 1))
        w = w + edge * near
    return ((recon - target).abs() * w).mean()


@torch.no_grad()
def evaluate(vae, images, idx):
    """Mean absolute error in 0-255 units per image (decoding the latent means), as a proxy for the checker."""
    errs = []
    for k in range(0, len(idx), 250):
        x = to_unit_range(images[idx[k:k + 250]])
        mean = vae.encoder(x)[:, :4]
        y = vae.decoder(mean)
        y8 = ((y * 0.5 + 0.5).clamp(0, 1) * 255).round()
        x8 = torch.from_numpy(images[idx[k:k + 250]]).permute(0, 3, 1, 2).float()
        errs.append((y8 - x8).abs().mean((1, 2, 3)))
    return torch.cat(errs)


@torch.no_grad()
def latent_std(vae, images, idx):
    means = []
    for k in range(0, len(idx), 500):
        means.append(vae.encoder(to_unit_range(images[idx[k:k + 500]]))[:, :4])
    m = torch.cat(means)
    return m.std().item(), m.mean().item()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=3000, help="phase 1: encoder and decoder")
    parser.add_argument("--decoder-steps", type=int, default=3000, help="phase 2: decoder only, encoder frozen")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--kl", type=float, default=1e-6)
    parser.add_argument("--arch", choices=["cell", "conv"], default="cell")
    parser.add_argument("--continue-decoder", action="store_true",
                        help="phase 3: load --out and train its decoder alone for --decoder-steps more steps")
    parser.add_argument("--edge", type=float, default=0.0, help="extra loss weight on shape outlines")
    parser.add_argument("--latent-noise", type=float, default=0.0,
                        help="decoder phases: Gaussian noise added to the latents, in units of the latent std, so that "
                             "the decoder forgives a denoiser's small errors")
    parser.add_argument("--out", default=os.path.join(WORK, "vae.pt"))
    parser.add_argument("--crop", type=int, default=40, help="random crop side (multiple of 8) for the first steps")
    parser.add_argument("--crop-fraction", type=float, default=0.7, help="fraction of the steps trained on crops")
    args = parser.parse_args()
    setup(21)
    data = Dataset(DATA)
    images = data.images()
    train = data.split("train")
    test = data.split("test")
    rng = random.Random(21)
    gen = torch.Generator().manual_seed(21)
    vae = CellVae() if args.arch == "cell" else Vae()
    if args.continue_decoder:
        ckpt = torch.load(args.out)
        vae.load_state_dict(ckpt["state"])
        start = time.time()
        train_decoder(vae, images, train, args, rng, gen)
        err = evaluate(vae, images, test)
        log(f"test reconstruction after {args.decoder_steps} more decoder steps: mean abs error {err.mean():.2f}/255, "
            f"{(err < 4).float().mean():.3f} under 4, {(err < 8).float().mean():.3f} under 8, max {err.max():.1f}")
        ckpt.update({"state": vae.state_dict(), "seconds": ckpt["seconds"] + time.time() - start,
                     "decoder_steps": ckpt["decoder_steps"] + args.decoder_steps, "phase": ckpt["phase"] + 1})
        torch.save(ckpt, args.out)
        log("saved", args.out)
        return
    log(f"vae: encoder {sum(p.numel() for p in vae.encoder.parameters()) / 1e6:.3f} M, decoder "
        f"{sum(p.numel() for p in vae.decoder.parameters()) / 1e6:.3f} M parameters, {args.steps} steps")
    opt = torch.optim.AdamW(vae.parameters(), lr=args.lr, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps, pct_start=0.05)
    start = time.time()
    for step in range(1, args.steps + 1):
        idx = rng.sample(train, args.batch)
        if step <= args.crop_fraction * args.steps and args.crop < 64:
            # random crops aligned to the 8-pixel latent grid: a third of the cost, the same local statistics
            oy, ox = rng.randrange(0, 64 - args.crop + 1, 8), rng.randrange(0, 64 - args.crop + 1, 8)
            x = to_unit_range(np.ascontiguousarray(images[idx, oy:oy + args.crop, ox:ox + args.crop]))
        else:
            x = to_unit_range(images[idx])
        with autocast():
            recon, mean, logvar = vae(x, gen)
        recon, mean, logvar = recon.float(), mean.float(), logvar.float()
        rec = weighted_l1(recon, x)
        kl = 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).sum((1, 2, 3)).mean()
        loss = rec + args.kl * kl
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0 or step in (1, 10):
            log(f"step {step} rec {rec.item():.4f} kl {kl.item():.1f} ({(time.time() - start) / step:.3f} s/step)")
    vae.eval()
    err = evaluate(vae, images, test)
    log(f"test reconstruction: mean abs error {err.mean():.2f}/255, "
        f"{(err < 4).float().mean():.3f} under 4, {(err < 8).float().mean():.3f} under 8, max {err.max():.1f}")
    std, mu = latent_std(vae, images, train[:8000])
    log(f"latent means: std {std:.4f}, mean {mu:.4f} → scaling_factor {1 / std:.5f}")
    meta = {"scaling_factor": 1 / std, "steps": args.steps, "decoder_steps": 0, "arch": args.arch}
    # the encoder and the scaling factor are final from here on: train_unet.py may start on this file
    torch.save({"state": vae.state_dict(), "seconds": time.time() - start, "phase": 1, **meta}, args.out)
    log("saved phase 1:", args.out)
    if args.decoder_steps:
        train_decoder(vae, images, train, args, rng, gen)
        err = evaluate(vae, images, test)
        log(f"test reconstruction after phase 2: mean abs error {err.mean():.2f}/255, "
            f"{(err < 4).float().mean():.3f} under 4, {(err < 8).float().mean():.3f} under 8, max {err.max():.1f}")
        meta["decoder_steps"] = args.decoder_steps
        torch.save({"state": vae.state_dict(), "seconds": time.time() - start, "phase": 2, **meta}, args.out)
        log("saved phase 2:", args.out)


def train_decoder(vae, images, train, args, rng, gen):
    """Phase 2 (as SD's fine-tuned VAE decoders): the encoder is frozen, the decoder learns from its latents."""
    vae.eval()
    with torch.no_grad():
        params = torch.cat([vae.encoder(to_unit_range(images[train[k:k + 500]])) for k in range(0, len(train), 500)])
    mean, logvar = params[:, :4], params[:, 4:].clamp(-30, 20)
    latent_sd = mean.std().item()
    log(f"decoder phase: posterior std mean {(0.5 * logvar).exp().mean():.4f}, latent std {latent_sd:.3f}")
    dec = vae.decoder
    dec.train()
    opt = torch.optim.AdamW(dec.parameters(), lr=args.lr / 2, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr / 2, total_steps=args.decoder_steps,
                                                pct_start=0.05)
    start = time.time()
    pos = {i: n for n, i in enumerate(train)}
    for step in range(1, args.decoder_steps + 1):
        idx = rng.sample(train, args.batch)
        rows = torch.tensor([pos[i] for i in idx])
        z = mean[rows] + torch.randn(mean[rows].shape, generator=gen) * (0.5 * logvar[rows]).exp()
        if args.latent_noise:
            z = z + torch.randn(z.shape, generator=gen) * (args.latent_noise * latent_sd)
        x = to_unit_range(images[idx])
        with autocast():
            out = dec(z)
        rec = weighted_l1(out.float(), x, args.edge)
        opt.zero_grad()
        rec.backward()
        opt.step()
        sched.step()
        if step % 100 == 0 or step in (1, 10):
            log(f"decoder step {step} rec {rec.item():.4f} ({(time.time() - start) / step:.3f} s/step)")
    vae.eval()


if __name__ == "__main__":
    main()
