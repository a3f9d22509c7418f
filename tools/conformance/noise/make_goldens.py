"""Writes the golden vectors for Tempera's PyTorch-compatible noise (dev.tempera.image.noise) to
tempera-image/src/test/resources/noise/randn_goldens.json.

    /usr/bin/python3 tools/conformance/noise/make_goldens.py

Needs torch (Debian's python3-torch is enough) and numpy. What it records:
  - "fresh": torch.randn(shape, generator=torch.Generator().manual_seed(seed)) in float32, for every seed x shape.
    Tensors up to 4096 elements are stored whole; bigger ones as the SHA-256 of their little-endian float32 bytes
    plus the first and last 64 values and every 997th value (so a mismatch says where, not only that).
  - "sequences": several operations on ONE generator (manual_seed, randn in float32 / float64), in order, to pin
    how successive calls continue the stream: the vectorised path (numel >= 16), the scalar path (numel < 16) with
    its cached second Box-Muller value, and manual_seed clearing that cache.
  - "float64": torch.randn(..., dtype=torch.float64) for a few seeds and sizes (both paths).
  - "generator_list": diffusers' randn_tensor with one generator per image (torch.cat of (1, ...) draws).
  - "default_generator": torch.Generator() without manual_seed (torch's default seed 67280421310721).
  - "mt19937": raw 32-bit outputs of the engine. torch does not expose them, so they come from numpy's legacy
    seeding (init_genrand(seed mod 2**32)); the script first checks that numpy's stream is torch's by comparing
    the low 24 bits with torch.rand (float32 rand keeps exactly those bits: (r & 0xFFFFFF) * 2**-24).
Every float is stored as its raw IEEE bits (float32 as uint32, float64 as int64) so the Java test can compare
bit for bit. Seeds are stored twice: as Python passed them, and as the signed 64-bit value with the same bits
(what the Java API takes).
"""
import hashlib
import json
import pathlib
import platform
import struct

import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parents[3]
OUT = ROOT / "tempera-image" / "src" / "test" / "resources" / "noise" / "randn_goldens.json"

SEEDS = [0, 1, 42, 2**32 + 5, 5, -1, 2**64 - 1, 2**63, 123456789]
SHAPES = [(), (1,), (3,), (15,), (16,), (17,), (31,), (32,), (4, 8, 8), (4, 9, 9), (1, 4, 64, 64), (2, 4, 128, 128)]
WHOLE_LIMIT = 4096
EDGE = 64
STRIDE = 997


def signed64(seed):
    """The signed 64-bit value whose bits torch's manual_seed ends up with (negative seeds wrap mod 2**64)."""
    u = seed % 2**64
    return u - 2**64 if u >= 2**63 else u


def f32_bits(t):
    a = t.detach().contiguous().numpy().astype("<f4", copy=False).ravel()
    return a.view("<u4").tolist()


def f64_bits(t):
    a = t.detach().contiguous().numpy().astype("<f8", copy=False).ravel()
    return a.view("<i8").tolist()


def gen(seed):
    return torch.Generator().manual_seed(seed)


def fresh_case(seed, shape):
    t = torch.randn(shape, generator=gen(seed), dtype=torch.float32)
    case = {"seed": str(seed), "seed64": signed64(seed), "shape": list(shape), "numel": t.numel()}
    bits = f32_bits(t)
    if len(bits) <= WHOLE_LIMIT:
        case["bits"] = bits
    else:
        raw = t.contiguous().numpy().astype("<f4", copy=False).tobytes()
        case["sha256"] = hashlib.sha256(raw).hexdigest()
        case["head"] = bits[:EDGE]
        case["tail"] = bits[-EDGE:]
        case["stride"] = STRIDE
        case["strided"] = bits[::STRIDE]
    return case


def sequence(seed, ops):
    """Runs ops on one generator. An op is ('randn', shape, dtype) or ('manual_seed', seed)."""
    g = gen(seed)
    out = []
    for op in ops:
        if op[0] == "manual_seed":
            g.manual_seed(op[1])
            out.append({"op": "manual_seed", "seed": str(op[1]), "seed64": signed64(op[1])})
        else:
            _, shape, dtype = op
            t = torch.randn(shape, generator=g, dtype=dtype)
            rec = {"op": "randn", "shape": list(shape)}
            if dtype == torch.float32:
                rec["dtype"] = "float32"
                rec["bits"] = f32_bits(t)
            else:
                rec["dtype"] = "float64"
                rec["bits64"] = f64_bits(t)
            out.append(rec)
    return {"seed": str(seed), "seed64": signed64(seed), "ops": out}


def mt_raw(seed, count):
    rs = np.random.RandomState(seed % 2**32)
    bg = np.random.MT19937()
    bg.state = rs.get_state(legacy=False)
    return bg.random_raw(count).astype(np.uint64)


def check_numpy_matches_torch(seed):
    raw = mt_raw(seed, 2000)
    via_numpy = (raw & 0xFFFFFF).astype(np.float32) / np.float32(2**24)
    via_torch = torch.rand(2000, generator=gen(seed), dtype=torch.float32).numpy()
    if not np.array_equal(via_numpy, via_torch):
        raise SystemExit(f"numpy's MT19937 stream differs from torch's for seed {seed}")


def cpu_flags():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                return sorted(f for f in flags if f in {"avx", "avx2", "fma", "avx512f", "sse4_2"})
    except OSError:
        pass
    return []


def cpu_capability():
    cap = getattr(getattr(torch.backends, "cpu", None), "get_cpu_capability", None)
    if cap is not None:
        return cap()
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage" in line:
            return line.split(":", 1)[1].strip()
    return "unknown"


def main():
    f32, f64 = torch.float32, torch.float64
    for s in SEEDS:
        check_numpy_matches_torch(s)
    data = {
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "cpu_capability": cpu_capability(),
        "cpu_flags": cpu_flags(),
        "machine": platform.machine(),
        "fresh": [fresh_case(s, shape) for s in SEEDS for shape in SHAPES],
        "sequences": [
            # diffusers: latents, then one noise draw per step from the same generator
            sequence(42, [("randn", (1, 4, 8, 8), f32)] * 4),
            # scalar path leaves a cached value; the vectorised path neither reads nor clears it
            sequence(7, [("randn", (3,), f32), ("randn", (17,), f32), ("randn", (1,), f32), ("randn", (2,), f32),
                         ("randn", (16,), f32), ("randn", (1,), f32), ("randn", (1,), f32)]),
            # float32 and float64 share the double-precision cache on the scalar path
            sequence(11, [("randn", (1,), f32), ("randn", (1,), f64), ("randn", (5,), f64), ("randn", (3,), f32),
                          ("randn", (20,), f64), ("randn", (2,), f32)]),
            # manual_seed clears the cache and restarts the engine
            sequence(3, [("randn", (1,), f32), ("manual_seed", 3), ("randn", (2,), f32), ("manual_seed", -5),
                         ("randn", (33,), f32)]),
        ],
        "float64": [sequence(s, [("randn", (n,), f64)]) for s in (0, 42, 2**32 + 5) for n in (1, 3, 15, 16, 17, 40)],
        # diffusers' randn_tensor with a list of generators: image i draws (1, C, h, w) from generator i
        "generator_list": [{
            "seeds": [str(s) for s in (10, 11, 12)],
            "seeds64": [10, 11, 12],
            "shape": [3, 4, 8, 8],
            "bits": f32_bits(torch.cat([torch.randn((1, 4, 8, 8), generator=gen(s)) for s in (10, 11, 12)])),
        }],
        "default_generator": {
            "initial_seed": str(torch.Generator().initial_seed()),
            "bits": f32_bits(torch.randn(20, generator=torch.Generator())),
        },
        "mt19937": [{"seed": str(s), "seed64": signed64(s), "first": mt_raw(s, 16).tolist(),
                     "at_624_to_640": mt_raw(s, 640)[624:640].tolist()} for s in SEEDS],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes), torch {torch.__version__}, "
          f"capability {data['cpu_capability']}")


if __name__ == "__main__":
    main()
