"""Running a check's probe on a module: loading the module, seeding, and turning results to arrays.

The sandboxed child (`dlcourse.grading.child`) and the in-process self-check share this code.
"""

from __future__ import annotations

import importlib.util
import io
import random
import sys
import types

import numpy as np

SEED = 1234


def load_module(path: str, name: str) -> types.ModuleType:
    """Import the Python file at `path` as a fresh module called `name`."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_namespace(source: str, filename: str) -> dict:
    """Execute trusted source (a grader file) and return its namespace."""
    namespace = {"__name__": "dlcourse_grader", "__file__": filename}
    exec(compile(source, filename, "exec"), namespace)
    return namespace


def seed_everything(seed: int = SEED) -> None:
    """Seed Python, numpy and -- if the probe's code uses it -- Keras, so both runs match."""
    random.seed(seed)
    np.random.seed(seed)
    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(seed)


def to_arrays(results) -> dict[str, np.ndarray]:
    """Convert a probe's returned dict to numpy arrays that save without pickle."""
    if not isinstance(results, dict):
        raise TypeError(f"a check must return a dict of arrays, got {type(results).__name__}")
    arrays = {}
    for key, value in results.items():
        if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
            value = value.numpy()
        array = np.asarray(value)
        if array.dtype == object:
            raise TypeError(f"`{key}` is not numeric (it holds Python objects of mixed types)")
        arrays[str(key)] = array
    return arrays


def run_probe(chk, module) -> dict[str, np.ndarray]:
    seed_everything()
    return to_arrays(chk.probe(module))


def dump_arrays(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def load_arrays(data: bytes) -> dict[str, np.ndarray]:
    """Parse arrays that another process wrote; never unpickles."""
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {key: npz[key] for key in npz.files}
