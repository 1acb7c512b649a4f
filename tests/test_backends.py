"""dlcourse under KERAS_BACKEND=jax: importing it loads no TensorFlow, and what needs TensorFlow
says so in one clear sentence.

Each check runs in a fresh process (the backend is fixed when Keras is first imported), so these
tests run in the ordinary TensorFlow pass too; they need jax (the `jax` extra, which `dev` has).
The layers and models themselves are proven on JAX by CI's second pass,
`KERAS_BACKEND=jax python -m pytest -m backend_neutral`.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

pytest.importorskip("jax", reason='the JAX checks need jax: pip install "dlcourse[jax]"')

SUBPACKAGES = ["perceptron", "training", "sequence", "cnn", "detection", "nlp", "generative", "gnn", "llm", "data"]


def _run_on_jax(code, *python_args):
    env = {**os.environ, "KERAS_BACKEND": "jax", "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("TF_USE_LEGACY_KERAS", None)
    return subprocess.run([sys.executable, *python_args, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_importing_every_subpackage_on_jax_loads_no_tensorflow():
    proc = _run_on_jax(f"""
        import importlib, sys
        import keras  # Keras first: then dlcourse.detection imports its Keras modules at once
        assert keras.backend.backend() == "jax", keras.backend.backend()
        import dlcourse
        for name in {SUBPACKAGES!r}:
            importlib.import_module("dlcourse." + name)
        import dlcourse.detection.rcnn, dlcourse.detection.single_object  # the lazily imported Keras modules
        print("tensorflow loaded:", sorted(m for m in sys.modules if m.split(".")[0] == "tensorflow")[:5])
    """)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "tensorflow loaded: []" in proc.stdout, proc.stdout


def test_import_time_of_dlcourse_sequence_on_jax_shows_no_tensorflow():
    proc = _run_on_jax("import dlcourse.sequence", "-X", "importtime")
    assert proc.returncode == 0, proc.stderr[-3000:]
    imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")]
    assert "dlcourse.sequence" in imported and "jax" in imported
    assert not [name for name in imported if name.split(".")[0] == "tensorflow"]


def test_library_calls_on_jax_load_no_tensorflow():
    """The calls a probe once found loading TensorFlow (detection, GNN layers) run on JAX alone."""
    proc = _run_on_jax("""
        import sys
        import numpy as np
        from dlcourse.detection import RCNN, crop_and_resize, non_max_suppression, selective_search
        from dlcourse.gnn import GATv2Conv, GCNConv, GraphSAGEConv
        from dlcourse.sequence import LSTMCell, rnn_state_jacobian_norms
        import keras

        rng = np.random.default_rng(0)
        image = rng.uniform(size=(24, 24, 3)).astype("float32")
        crops = crop_and_resize(image, [[0, 0, 12, 12], [4, 6, 20, 22]], 8)
        logits = RCNN(num_classes=2)(crops)["class_logits"]
        non_max_suppression(np.array([[0, 0, 4, 4], [1, 1, 5, 5.0]]), np.array([0.9, 0.8]), 10, 0.5)
        selective_search(image)
        x, senders, receivers = np.ones((3, 4), "float32"), np.array([0, 1, 2]), np.array([1, 2, 0])
        for layer in (GCNConv(2), GATv2Conv(2), GraphSAGEConv(2)):
            layer(x, senders, receivers)
        keras.layers.RNN(LSTMCell(3))(np.zeros((2, 4, 5), "float32"))
        rnn_state_jacobian_norms(np.zeros((1, 3, 2)), np.zeros((1, 2)), np.ones((2, 2)), np.eye(2))
        print("shape", tuple(logits.shape), "tensorflow" in sys.modules)
    """)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "shape (2, 3) False" in proc.stdout, proc.stdout


def _one_sentence(error):
    return error.count(". ") == 0 and "KERAS_BACKEND=tensorflow" in error


def test_state_jacobian_norms_names_the_tensorflow_backend_on_jax():
    proc = _run_on_jax("""
        import numpy as np
        from dlcourse.sequence import LSTMCell, state_jacobian_norms
        try:
            state_jacobian_norms(LSTMCell(3), np.zeros((2, 4, 5), "float32"))
        except NotImplementedError as err:
            print("error:", err)
    """)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (error,) = [line for line in proc.stdout.splitlines() if line.startswith("error:")]
    assert "state_jacobian_norms needs the TensorFlow backend" in error and _one_sentence(error)


def test_generative_training_names_the_tensorflow_backend_on_jax():
    proc = _run_on_jax("""
        import numpy as np
        import keras
        from dlcourse.generative import VAE, RealNVP
        x = np.zeros((8, 4, 4, 1), "float32")
        vae = VAE(image_shape=(4, 4, 1), latent_dim=2, hidden_units=(8,))
        vae.compile(optimizer=keras.optimizers.Adam(1e-3))
        print("predict", vae.predict(x, verbose=0).shape)
        flow = RealNVP(dim=2, num_coupling_layers=2)
        flow.compile(optimizer=keras.optimizers.Adam(1e-3))
        for step in (lambda: vae.fit(x, epochs=1, verbose=0), lambda: vae.evaluate(x, verbose=0),
                     lambda: flow.fit(np.zeros((8, 2), "float32"), epochs=1, verbose=0)):
            try:
                step()
            except NotImplementedError as err:
                print("error:", err)
    """)
    assert proc.returncode == 0, proc.stderr[-3000:]
    errors = [line for line in proc.stdout.splitlines() if line.startswith("error:")]
    assert [e.split()[1] for e in errors] == ["VAE.fit", "VAE.evaluate", "RealNVP.fit"], proc.stdout
    assert all("needs the TensorFlow backend" in e and _one_sentence(e) for e in errors)
