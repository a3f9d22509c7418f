"""Scheduler goldens for tempera-image, produced by diffusers' own scheduler code.

Writes tempera-image/src/test/resources/scheduler/{schedules,steps,lms_coefficients,guidance}.json.

The scheduler files are exported unchanged from a diffusers git checkout (the `fetch` tool gives a bare git dir) into a
temporary package. Only what they import from the rest of diffusers is replaced by small stand-ins written
here:
logging, `deprecate`, `BaseOutput`, the hub client that `configuration_utils` imports but never calls here, and
`randn_tensor`. The stand-in `randn_tensor` hands out noise arrays that this script chose in advance, in the order the
scheduler asks for them, so a Java test can feed the same noise and check that it is asked for it the same number of
times. `configuration_utils.py` is the real one, so `from_config` behaves exactly as in a pipeline, including its
`_use_default_values` rule: keys that were missing from the loaded JSON take the new class's defaults instead of
being inherited.

Run (Debian's python3 has torch 1.13 and numpy; scipy comes from `apt-get install python3-scipy`):

    /usr/bin/python3 tools/conformance/schedulers/make_goldens.py --diffusers-git /work/.mirror/huggingface+diffusers/repo

The model used for multi-step runs is a fake one whose output Java can compute bit for bit:
    model_output_k = 0.3 * sample + c_k * e,   c_k = float32(1 - 0.04 * k),  k = call number (0, 1, ...)
all in float32 (two products, one sum), with `e` stored in the case.
"""
import argparse
import ast
import json
import logging
import os
import platform
import subprocess
import sys
import tempfile
import types

import numpy as np
import scipy
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "..", "tempera-image", "src", "test", "resources", "scheduler")

SCHEDULER_FILES = [
    "scheduling_utils",
    "scheduling_euler_discrete",
    "scheduling_euler_ancestral_discrete",
    "scheduling_ddim",
    "scheduling_dpmsolver_multistep",
    "scheduling_pndm",
    "scheduling_lms_discrete",
    "scheduling_lcm",
]

# The scheduler_config.json files as they are on the Hub.
# stable-diffusion-v1-5 (and runwayml/...): written by diffusers 0.6.0, so no timestep_spacing / prediction_type keys.
SD15_HUB = {
    "_class_name": "PNDMScheduler",
    "_diffusers_version": "0.6.0",
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "num_train_timesteps": 1000,
    "set_alpha_to_one": False,
    "skip_prk_steps": True,
    "steps_offset": 1,
    "trained_betas": None,
    "clip_sample": False,
}
# stabilityai/stable-diffusion-xl-base-1.0
SDXL_HUB = {
    "_class_name": "EulerDiscreteScheduler",
    "_diffusers_version": "0.19.0.dev0",
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "clip_sample": False,
    "interpolation_type": "linear",
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "sample_max_value": 1.0,
    "set_alpha_to_one": False,
    "skip_prk_steps": True,
    "steps_offset": 1,
    "timestep_spacing": "leading",
    "trained_betas": None,
    "use_karras_sigmas": False,
}
# Extra configs for the beta schedules and options the two shipped configs do not use.
LINEAR_DDIM = {"_class_name": "DDIMScheduler"}  # every value is the class default: linear betas 1e-4..0.02
COSINE_DPM = {"_class_name": "DPMSolverMultistepScheduler", "beta_schedule": "squaredcos_cap_v2",
              "solver_order": 3, "solver_type": "heun", "timestep_spacing": "trailing"}
ZSNR_DDIM = {"_class_name": "DDIMScheduler", "beta_start": 0.00085, "beta_end": 0.012,
             "beta_schedule": "scaled_linear", "rescale_betas_zero_snr": True, "timestep_spacing": "trailing",
             "prediction_type": "v_prediction", "clip_sample": False, "set_alpha_to_one": False}
EULER_KARRAS = dict(SDXL_HUB, use_karras_sigmas=True, timestep_spacing="trailing", final_sigmas_type="sigma_min")
LMS_KARRAS = dict(SD15_HUB, _class_name="LMSDiscreteScheduler", use_karras_sigmas=True)
PNDM_PRK = dict(SD15_HUB, skip_prk_steps=False)
EULER_LOG_LINEAR = dict(SDXL_HUB, interpolation_type="log_linear")
EULER_EDM = dict(SDXL_HUB, timestep_type="continuous", prediction_type="v_prediction", timestep_spacing="trailing")
DPM_CLIPPED = {"_class_name": "DPMSolverMultistepScheduler", "beta_start": 0.00085, "beta_end": 0.012,
               "beta_schedule": "scaled_linear", "lambda_min_clipped": -5.1, "final_sigmas_type": "sigma_min",
               "timestep_spacing": "leading", "steps_offset": 1}
DPM_SIGMA_RANGE = {"_class_name": "DPMSolverMultistepScheduler", "beta_start": 0.00085, "beta_end": 0.012,
                   "beta_schedule": "scaled_linear", "use_karras_sigmas": True, "sigma_min": 0.05,
                   "sigma_max": 10.0, "algorithm_type": "sde-dpmsolver++", "solver_type": "heun"}
LCM_SD15 = {"_class_name": "LCMScheduler", "beta_start": 0.00085, "beta_end": 0.012,
            "beta_schedule": "scaled_linear", "original_inference_steps": 50, "clip_sample": False,
            "set_alpha_to_one": True, "steps_offset": 1, "timestep_spacing": "leading"}


def export_diffusers(git_dir, commit, dest):
    """Copies the real scheduler files and configuration_utils.py out of the git dir, stubs the rest."""
    pkg = os.path.join(dest, "diffusers")
    os.makedirs(os.path.join(pkg, "schedulers"))
    os.makedirs(os.path.join(pkg, "utils"))

    def show(path):
        return subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"], check=True,
                              capture_output=True).stdout.decode()

    for name in SCHEDULER_FILES:
        with open(os.path.join(pkg, "schedulers", name + ".py"), "w") as f:
            f.write(show(f"src/diffusers/schedulers/{name}.py"))
    with open(os.path.join(pkg, "configuration_utils.py"), "w") as f:
        f.write(show("src/diffusers/configuration_utils.py"))
    with open(os.path.join(pkg, "schedulers", "__init__.py"), "w") as f:
        f.write("")
    with open(os.path.join(pkg, "__init__.py"), "w") as f:
        f.write(
            "__version__ = '0.0.0.golden'\n"
            "from .schedulers.scheduling_euler_discrete import EulerDiscreteScheduler\n"
            "from .schedulers.scheduling_euler_ancestral_discrete import EulerAncestralDiscreteScheduler\n"
            "from .schedulers.scheduling_ddim import DDIMScheduler\n"
            "from .schedulers.scheduling_dpmsolver_multistep import DPMSolverMultistepScheduler\n"
            "from .schedulers.scheduling_pndm import PNDMScheduler\n"
            "from .schedulers.scheduling_lms_discrete import LMSDiscreteScheduler\n"
            "from .schedulers.scheduling_lcm import LCMScheduler\n")
    with open(os.path.join(pkg, "utils", "__init__.py"), "w") as f:
        f.write('''
import importlib.util, logging as _logging
from collections import OrderedDict
HUGGINGFACE_CO_RESOLVE_ENDPOINT = "https://huggingface.co"
class _Logging:
    @staticmethod
    def get_logger(name):
        return _logging.getLogger(name)
logging = _Logging()
def deprecate(*args, **kwargs):
    pass
def is_scipy_available():
    return importlib.util.find_spec("scipy") is not None
class DummyObject(type):
    pass
class PushToHubMixin:
    pass
def extract_commit_hash(*args, **kwargs):
    return None
def http_user_agent(*args, **kwargs):
    return ""
class BaseOutput(OrderedDict):
    def __post_init__(self):
        for k, v in self.__dict__.items():
            if v is not None:
                self[k] = v
    def __getitem__(self, k):
        if isinstance(k, str):
            return dict(self.items())[k]
        return tuple(self.values())[k]
''')
    with open(os.path.join(pkg, "utils", "torch_utils.py"), "w") as f:
        f.write('''
import torch
NOISE = []      # filled by make_goldens.py: float32 arrays handed out in order
DRAWS = [0]
def randn_tensor(shape, generator=None, device=None, dtype=None, layout=None):
    n = NOISE.pop(0)
    assert tuple(n.shape) == tuple(shape), (n.shape, shape)
    DRAWS[0] += 1
    return torch.from_numpy(n.copy()).to(dtype=dtype or torch.float32)
''')
    hub = os.path.join(dest, "huggingface_hub")
    os.makedirs(hub)
    with open(os.path.join(hub, "__init__.py"), "w") as f:
        f.write("class DDUFEntry: pass\n"
                "def create_repo(*a, **k): raise RuntimeError('offline')\n"
                "def hf_hub_download(*a, **k): raise RuntimeError('offline')\n")
    with open(os.path.join(hub, "utils.py"), "w") as f:
        f.write("class EntryNotFoundError(Exception): pass\n"
                "class HfHubHTTPError(Exception): pass\n"
                "class RepositoryNotFoundError(Exception): pass\n"
                "class RevisionNotFoundError(Exception): pass\n"
                "def validate_hf_hub_args(fn): return fn\n")


# registry name -> (diffusers class name, from_config overrides); the Java registry uses the same table
REGISTRY = {
    "ddim": ("DDIMScheduler", {}),
    "dpmpp_2m": ("DPMSolverMultistepScheduler",
                 {"algorithm_type": "dpmsolver++", "solver_order": 2, "use_karras_sigmas": False}),
    "dpmpp_2m_karras": ("DPMSolverMultistepScheduler",
                        {"algorithm_type": "dpmsolver++", "solver_order": 2, "use_karras_sigmas": True}),
    "dpmpp_2m_sde": ("DPMSolverMultistepScheduler",
                     {"algorithm_type": "sde-dpmsolver++", "solver_order": 2, "use_karras_sigmas": False}),
    "dpmpp_2m_sde_karras": ("DPMSolverMultistepScheduler",
                            {"algorithm_type": "sde-dpmsolver++", "solver_order": 2, "use_karras_sigmas": True}),
    "euler": ("EulerDiscreteScheduler", {}),
    "euler_a": ("EulerAncestralDiscreteScheduler", {}),
    "lcm": ("LCMScheduler", {}),
    "lms": ("LMSDiscreteScheduler", {}),
    "pndm": ("PNDMScheduler", {}),
}


def f32(x):
    """A float32 value as the shortest decimal that reads back to the same float32."""
    return float(str(np.float32(x)))


def f32list(a):
    return [f32(v) for v in np.asarray(a, dtype=np.float32).reshape(-1)]


def load(diffusers, config):
    """What a pipeline does: from_pretrained(subfolder='scheduler') = <_class_name>.from_config(json)."""
    return getattr(diffusers, config["_class_name"]).from_config(dict(config))


def create(diffusers, config, name):
    base = load(diffusers, config)
    if name is None:
        return base
    cls_name, overrides = REGISTRY[name]
    return getattr(diffusers, cls_name).from_config(base.config, **overrides)


def schedules(diffusers, configs):
    cases = []
    plan = [("sd15", list(REGISTRY)), ("sd15_saved", list(REGISTRY)), ("sdxl", list(REGISTRY)),
            ("linear_ddim", [None, "euler", "dpmpp_2m"]), ("cosine_dpm", [None, "dpmpp_2m_karras"]),
            ("zsnr_ddim", [None, "euler", "euler_a", "pndm", "lms"]), ("euler_karras", [None]),
            ("lms_karras", [None]), ("pndm_prk", [None]), ("lcm_sd15", [None]), ("euler_log_linear", [None]),
            ("euler_edm", [None]), ("dpm_clipped", [None]), ("dpm_sigma_range", [None])]
    for cfg_name, names in plan:
        trailing = configs[cfg_name].get("timestep_spacing") == "trailing"
        for name in names:
            for n in (1, 4, 20, 25, 30, 50) + ((61,) if trailing else ()):
                s = create(diffusers, configs[cfg_name], name)
                try:
                    s.set_timesteps(n)
                except Exception as e:  # diffusers itself refuses: Java must refuse too
                    cases.append({"config": cfg_name, "scheduler": name, "steps": n, "error": type(e).__name__})
                    continue
                case = {"config": cfg_name, "scheduler": name, "class": type(s).__name__, "steps": n,
                        "timesteps": [float(t) for t in s.timesteps.numpy().astype(np.float64)],
                        "init_noise_sigma": f32(float(s.init_noise_sigma))}
                if type(s).__name__ in ("EulerDiscreteScheduler", "EulerAncestralDiscreteScheduler",
                                        "LMSDiscreteScheduler", "DPMSolverMultistepScheduler"):
                    case["sigmas"] = f32list(s.sigmas.numpy())
                cases.append(case)
    alphas = {k: f32list(load(diffusers, c).alphas_cumprod.numpy()) for k, c in configs.items()
              if k in ("sd15", "linear_ddim", "cosine_dpm", "zsnr_ddim")}
    return {"cases": cases, "alphas_cumprod": alphas}


SHAPE = (1, 4, 8, 8)


def fake_model(sample, e, k):
    c = torch.tensor(np.float32(1.0 - 0.04 * k))
    return torch.tensor(np.float32(0.3)) * sample + c * e


class Inputs:
    """One sample, one model-output pattern and a pool of noise draws, shared by every step case."""

    def __init__(self, seed=0):
        rs = np.random.RandomState(seed)
        self.sample = rs.randn(*SHAPE).astype(np.float32)
        self.e = rs.randn(*SHAPE).astype(np.float32)
        self.noise = [rs.randn(*SHAPE).astype(np.float32) for _ in range(24)]

    def to_json(self):
        return {"sample": f32list(self.sample), "e": f32list(self.e), "noise": [f32list(n) for n in self.noise]}


def run_case(diffusers, torch_utils, configs, inputs, cfg_name, name, steps, indices, eta=None, record_all=True,
             prediction=None, model="fake"):
    cfg = dict(configs[cfg_name])
    if prediction is not None:
        cfg["prediction_type"] = prediction
    s = create(diffusers, cfg, name)
    s.set_timesteps(steps)
    torch_utils.NOISE[:] = list(inputs.noise)
    torch_utils.DRAWS[0] = 0
    sample = torch.from_numpy(inputs.sample.copy())
    et = torch.from_numpy(inputs.e.copy())
    outputs, scaled = [], None
    for k, i in enumerate(indices):
        t = s.timesteps[i]
        x_in = s.scale_model_input(sample, t)
        if scaled is None:
            scaled = f32list(x_in.numpy())
        mo = fake_model(sample, et, k) if model == "fake" else et.clone()
        kwargs = {}
        if eta is not None:
            kwargs["eta"] = eta
        sample = s.step(mo, t, sample, **kwargs).prev_sample
        if record_all or k == len(indices) - 1:
            outputs.append(f32list(sample.numpy()))
    case = {"config": cfg_name, "scheduler": name, "steps": steps, "indices": indices,
            "prediction_type": cfg.get("prediction_type", "epsilon"), "model": model,
            "noise_draws": torch_utils.DRAWS[0], "scaled_first_input": scaled,
            "outputs": outputs, "all_outputs": record_all}
    if eta is not None:
        case["eta"] = eta
    return case


def steps_goldens(diffusers, torch_utils, configs, inputs):
    cases = []

    def add(*args, **kwargs):
        cases.append(run_case(diffusers, torch_utils, configs, inputs, *args, **kwargs))

    # one step of each scheduler with the model output given directly (model = "e"): from the first timestep and
    # from the middle of a 20-step schedule (state empty there too), and once with v_prediction
    for name in REGISTRY:
        add("sd15_saved", name, 20, [0], model="e")
        add("sd15_saved", name, 20, [10], model="e")
        add("sd15_saved", name, 20, [10], model="e", prediction="v_prediction")
    add("sd15_saved", "ddim", 20, [10], eta=0.5, model="e")
    add("sd15_saved", "euler", 20, [10], prediction="sample", model="e")
    add("sd15_saved", "lcm", 20, [10], prediction="sample", model="e")
    # whole 5-step schedules with the fake model (state across steps matters); every intermediate sample recorded
    for name in REGISTRY:
        add("sd15_saved", name, 5, list(range(6 if name == "pndm" else 5)))
    for cfg_name, name in (("sdxl", "euler"), ("sdxl", "euler_a"), ("sdxl", "dpmpp_2m_karras"),
                           ("sd15", "dpmpp_2m"), ("sd15", "lms")):
        add(cfg_name, name, 5, list(range(5)))
    add("sd15_saved", "ddim", 5, list(range(5)), eta=0.5)
    # 20-step schedules: only the final sample is recorded
    for name in ("pndm", "dpmpp_2m", "dpmpp_2m_karras", "dpmpp_2m_sde", "lms", "euler_a"):
        add("sd15_saved", name, 20, list(range(21 if name == "pndm" else 20)), record_all=False)
    add("sd15_saved", "pndm", 20, list(range(21)), record_all=False, prediction="v_prediction")
    # configs used as they are (scheduler = null: the class named by _class_name, no overrides)
    for cfg_name, n in (("pndm_prk", 10), ("cosine_dpm", 10), ("zsnr_ddim", 10), ("euler_karras", 10),
                        ("lms_karras", 10), ("lcm_sd15", 4), ("euler_edm", 10), ("dpm_clipped", 20),
                        ("dpm_sigma_range", 10)):
        s = create(diffusers, configs[cfg_name], None)
        s.set_timesteps(n)
        add(cfg_name, None, n, list(range(len(s.timesteps))), record_all=False)
    return cases


def lms_coefficients(diffusers, configs):
    """get_lms_coefficient (scipy.integrate.quad over a float32 integrand) for a 10-step schedule."""
    s = create(diffusers, configs["sd15_saved"], "lms")
    s.set_timesteps(10)
    out = []
    for t in range(10):
        order = min(t + 1, 4)
        out.append({"step_index": t, "order": order,
                    "coefficients": [s.get_lms_coefficient(order, t, c) for c in range(order)]})
    return {"steps": 10, "config": "sd15_saved", "sigmas": f32list(s.sigmas.numpy()), "cases": out}


def guidance_goldens(git_dir, commit):
    """Classifier-free guidance as the SD pipeline writes it, and rescale_noise_cfg taken from the pipeline file."""
    path = "src/diffusers/pipelines/stable_diffusion/pipeline_stable_diffusion.py"
    source = subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"], check=True,
                            capture_output=True).stdout.decode()
    tree = ast.parse(source)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "rescale_noise_cfg")
    scope = {"torch": torch}
    exec(compile(ast.Module(body=[fn], type_ignores=[]), path, "exec"), scope)
    rescale_noise_cfg = scope["rescale_noise_cfg"]

    rs = np.random.RandomState(7)
    shape = (2, 4, 8, 8)
    noise_pred = torch.from_numpy(rs.randn(2 * shape[0], *shape[1:]).astype(np.float32))
    noise_pred[shape[0]:] *= 1.7  # make the cond half differ in scale from the uncond half
    noise_pred_uncond, noise_pred_text = noise_pred.chunk(2)
    cases = []
    for guidance_scale in (7.5, 5.0, 1.5):
        guided = noise_pred_uncond + guidance_scale * (noise_pred_text - noise_pred_uncond)
        case = {"guidance_scale": guidance_scale, "guided": f32list(guided.numpy()), "rescaled": {}}
        for phi in (0.0, 0.7, 1.0):
            case["rescaled"][str(phi)] = f32list(rescale_noise_cfg(guided, noise_pred_text, phi).numpy())
        cases.append(case)
    return {"source": f"{path}: rescale_noise_cfg; CFG line of StableDiffusionPipeline.__call__",
            "shape": list(shape), "noise_pred": f32list(noise_pred.numpy()), "cases": cases}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--diffusers-git", required=True, help="a diffusers git dir (bare is fine)")
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    commit = subprocess.run(["git", "--git-dir", args.diffusers_git, "rev-parse", args.commit], check=True,
                            capture_output=True).stdout.decode().strip()
    tmp = tempfile.mkdtemp(prefix="diffusers-golden-")
    export_diffusers(args.diffusers_git, commit, tmp)
    sys.path.insert(0, tmp)
    import diffusers
    from diffusers.utils import torch_utils

    torch.set_num_threads(1)
    logging.getLogger("diffusers").setLevel(logging.ERROR)  # "config attributes ... will be ignored" is expected
    inputs = Inputs(seed=0)
    configs = {"sd15": SD15_HUB, "sdxl": SDXL_HUB, "linear_ddim": LINEAR_DDIM, "cosine_dpm": COSINE_DPM,
               "zsnr_ddim": ZSNR_DDIM, "euler_karras": EULER_KARRAS, "lms_karras": LMS_KARRAS,
               "pndm_prk": PNDM_PRK, "lcm_sd15": LCM_SD15, "euler_log_linear": EULER_LOG_LINEAR,
               "euler_edm": EULER_EDM, "dpm_clipped": DPM_CLIPPED, "dpm_sigma_range": DPM_SIGMA_RANGE}
    # what save_pretrained (and so an optimum ONNX export) writes after loading the SD 1.5 Hub file: every PNDM key,
    # now with the defaults spelled out, so a scheduler made from it inherits timestep_spacing "leading"
    saved = json.loads(load(diffusers, SD15_HUB).to_json_string())
    saved["_diffusers_version"] = "(save_pretrained of the sd15 config)"
    configs["sd15_saved"] = saved

    provenance = {
        "generator": "tools/conformance/schedulers/make_goldens.py",
        "diffusers_commit": commit,
        "torch": torch.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
        "python": platform.python_version(), "machine": platform.machine(),
        "torch_cpu": [l.strip() for l in torch.__config__.show().splitlines() if "CPU capability" in l],
    }
    os.makedirs(args.out, exist_ok=True)
    docs = {
        "schedules.json": dict(provenance, configs=configs, **schedules(diffusers, configs)),
        "steps.json": dict(provenance, configs=configs, shape=list(SHAPE),
                           model="model_output_k = float32(0.3) * sample + float32(1 - 0.04 k) * e; "
                                 "'e' cases pass e itself as the model output",
                           inputs=inputs.to_json(),
                           cases=steps_goldens(diffusers, torch_utils, configs, inputs)),
        "lms_coefficients.json": dict(provenance, **lms_coefficients(diffusers, configs)),
        "guidance.json": dict(provenance, **guidance_goldens(args.diffusers_git, commit)),
    }
    for fname, doc in docs.items():
        with open(os.path.join(args.out, fname), "w") as f:
            json.dump(doc, f, separators=(",", ":"))
            f.write("\n")
        print(fname, os.path.getsize(os.path.join(args.out, fname)), "bytes")


if __name__ == "__main__":
    main()
