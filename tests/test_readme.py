"""The README's practitioner example runs as written."""

import re

from conftest import ROOT


def test_practitioner_example_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Practitioners", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    import numpy as np

    x = np.random.default_rng(0).normal(size=(4, 8)).astype("float32")
    np.testing.assert_allclose(namespace["restored"].predict(x, verbose=0),
                               namespace["model"].predict(x, verbose=0), rtol=1e-6)
