"""Shared fixtures: the course checkout this repository is, and a CLI runner."""

import json
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _keras_backend():
    keras = sys.modules.get("keras")  # imported by the test modules; else what Keras will read
    return keras.backend.backend() if keras is not None else os.environ.get("KERAS_BACKEND", "tensorflow")


def pytest_collection_modifyitems(config, items):
    """On another Keras backend (KERAS_BACKEND=jax) only the tests marked backend_neutral run; the
    others use TensorFlow oracles (tf.GradientTape, tf.image, TF-GNN) or the grading tools."""
    backend = _keras_backend()
    if backend == "tensorflow" or config.getoption("markexpr"):  # -m chooses for itself
        return
    skip = pytest.mark.skip(reason=f"needs the TensorFlow backend (Keras runs on {backend}); "
                                   f"only backend_neutral tests run there")
    for item in items:
        if "backend_neutral" not in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def course_root():
    return ROOT


@pytest.fixture(scope="module")
def restore_legacy_keras_flag():
    """TF-GNN interop sets TF_USE_LEGACY_KERAS=1; restore it when the module's tests are done, so
    that processes later tests start do not inherit it."""
    before = os.environ.get("TF_USE_LEGACY_KERAS")
    yield
    if before is None:
        os.environ.pop("TF_USE_LEGACY_KERAS", None)
    else:
        os.environ["TF_USE_LEGACY_KERAS"] = before


def run_cli(*args, cwd=ROOT, check=True):
    """Run `dlcourse ARGS` as a user types it; returns the CompletedProcess."""
    proc = subprocess.run([sys.executable, "-m", "dlcourse.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=1200)
    if check and proc.returncode not in (0, 1):
        raise AssertionError(f"dlcourse {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stderr}")
    return proc


def grade_json(*paths, tmp_path, extra=()):
    out = tmp_path / "report.json"
    proc = run_cli("grade", *paths, "--json", out, *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text())


def by_id(submission):
    return {e["id"]: e for e in submission["exercises"]}
