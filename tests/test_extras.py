"""A student's install needs neither TF-GNN nor nbgrader: both are extras, and what needs one
says, in one sentence, which `pip install "dlcourse[...]"` brings it. A missing package is
simulated in a fresh process by `sys.modules[name] = None`, which makes importing it fail."""

import subprocess
import sys
import textwrap
import tomllib

from conftest import ROOT


def _run(code, cwd=ROOT):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_the_gnn_layers_work_without_tensorflow_gnn_and_the_interop_names_the_extra():
    proc = _run("""
        import sys
        sys.modules["tensorflow_gnn"] = None  # as if it were not installed
        import numpy as np
        import dlcourse.gnn as gnn
        layer = gnn.GCNConv(2)
        x = np.ones((3, 4), "float32")
        senders, receivers = np.array([0, 1, 2], "int32"), np.array([1, 2, 0], "int32")
        print("layer output", tuple(layer(x, senders, receivers).shape))
        try:
            gnn.to_graph_tensor(x, senders, receivers)
        except ImportError as err:
            print("error:", err)
    """)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "layer output (3, 2)" in proc.stdout
    (error,) = [line for line in proc.stdout.splitlines() if line.startswith("error:")]
    assert 'pip install "dlcourse[gnn]"' in error and error.count(". ") == 0  # one sentence


def test_dlcourse_nbgrader_without_nbgrader_names_the_extra(tmp_path):
    proc = _run(f"""
        import sys
        sys.modules["nbgrader"] = None  # as if it were not installed
        sys.argv = ["dlcourse", "nbgrader", {str(tmp_path / "course")!r}]
        from dlcourse.cli import main
        main()
    """)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert 'pip install "dlcourse[nbgrader]"' in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "course").exists()


def test_tf_gnn_and_nbgrader_are_extras_that_dev_installs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {d.split(">")[0].split("[")[0].strip() for d in project["dependencies"]}
    assert not names & {"tensorflow-gnn", "tf-keras", "nbgrader", "distributed", "sacrebleu", "keras-hub", "tensorflow-text",
                        "tokenizers", "jax", "mkdocs", "playwright"}
    extras = project["optional-dependencies"]
    assert any(d.startswith("distributed") for d in extras["cluster"])
    assert {"sacrebleu", "keras-hub", "tokenizers"} <= {d.split(">")[0] for d in extras["dev"]}  # oracles only tests need
    assert {"dlcourse[jax]", "dlcourse[docs]"} <= set(extras["dev"])  # CI's JAX pass and the course book
    assert any(d.startswith("tensorflow-gnn") for d in extras["gnn"])
    assert any(d.startswith("nbgrader") for d in extras["nbgrader"])
    assert "dlcourse[gnn,nbgrader,cluster]" in extras["all"] and "dlcourse[all]" in extras["dev"]
