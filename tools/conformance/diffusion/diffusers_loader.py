"""Imports diffusers' real scheduler classes and single functions of its pipeline files from a git dir.

PyPI is out of reach here, so diffusers cannot be installed. `tools/conformance/schedulers/make_goldens.py` already
exports the real `schedulers/*.py` and `configuration_utils.py` into a temporary package with stand-ins for the rest;
this module reuses its `export_diffusers` and then replaces its `randn_tensor` stand-in (which hands out noise chosen
in advance) with diffusers' own `randn_tensor`, cut out of `src/diffusers/utils/torch_utils.py` with `ast`. So the
latents and the ancestral noise come from real `torch.randn` calls on the caller's generators, in diffusers' order.

`function_from(...)` does the same for one function or method of any diffusers file (for example
`StableDiffusionPipeline.prepare_latents`): the source is taken verbatim from the commit and executed with the names
it needs passed in.
"""
import __future__
import ast
import importlib.util
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEDULER_GOLDENS = os.path.join(HERE, "..", "schedulers", "make_goldens.py")
TORCH_UTILS = "src/diffusers/utils/torch_utils.py"


def git_show(git_dir, commit, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"], check=True,
                          capture_output=True).stdout.decode()


def resolve_commit(git_dir, rev):
    return subprocess.run(["git", "--git-dir", git_dir, "rev-parse", rev], check=True,
                          capture_output=True).stdout.decode().strip()


def diffusers_version(git_dir, commit):
    for line in git_show(git_dir, commit, "src/diffusers/__init__.py").splitlines():
        if line.startswith("__version__"):
            return ast.literal_eval(line.split("=", 1)[1].strip())
    raise RuntimeError("no __version__ in src/diffusers/__init__.py")


def _find_def(tree, qualname):
    """A FunctionDef by 'name' (module level) or 'Class.name' (method)."""
    parts = qualname.split(".")
    body = tree.body
    for cls in parts[:-1]:
        node = next((n for n in body if isinstance(n, ast.ClassDef) and n.name == cls), None)
        if node is None:
            raise LookupError(f"class {cls} not found")
        body = node.body
    node = next((n for n in body if isinstance(n, ast.FunctionDef) and n.name == parts[-1]), None)
    if node is None:
        raise LookupError(f"function {qualname} not found")
    return node


def function_from(git_dir, commit, path, qualname, scope):
    """Executes diffusers' own source of one function (decorators dropped, annotations left unevaluated) in `scope`
    and returns it. Methods keep their `self` parameter: pass an object with the attributes they read."""
    source = git_show(git_dir, commit, path)
    node = _find_def(ast.parse(source), qualname)
    node.decorator_list = []
    module = ast.Module(body=[node], type_ignores=[])
    scope = dict(scope)
    exec(compile(module, f"{path}:{qualname}", "exec", flags=__future__.annotations.compiler_flag,
                 dont_inherit=True), scope)
    fn = scope[node.name]
    fn.diffusers_line = node.lineno
    return fn


def _load_scheduler_goldens_module():
    spec = importlib.util.spec_from_file_location("scheduler_make_goldens", SCHEDULER_GOLDENS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_diffusers(git_dir, commit):
    """Returns the `diffusers` package made of the commit's real scheduler files, with diffusers' real randn_tensor."""
    tmp = tempfile.mkdtemp(prefix="diffusers-tiny-sd-")
    _load_scheduler_goldens_module().export_diffusers(git_dir, commit, tmp)
    node = _find_def(ast.parse(git_show(git_dir, commit, TORCH_UTILS)), "randn_tensor")
    randn_source = ast.get_source_segment(git_show(git_dir, commit, TORCH_UTILS), node)
    with open(os.path.join(tmp, "diffusers", "utils", "torch_utils.py"), "w") as f:
        f.write("from __future__ import annotations\n"
                "import logging\n"
                "import torch\n"
                "logger = logging.getLogger('diffusers.utils.torch_utils')\n"
                f"# {TORCH_UTILS}:{node.lineno} at {commit}, unchanged\n"
                + randn_source + "\n")
    sys.path.insert(0, tmp)
    import diffusers
    from diffusers.utils import torch_utils
    assert not hasattr(torch_utils, "NOISE"), "the stand-in randn_tensor is still loaded"
    return diffusers, torch_utils.randn_tensor
