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


def test_the_two_commands_on_a_fresh_machine():
    """The README's two commands, exactly; CI (.ci/run) installs and tests the same way."""
    readme = (ROOT / "README.md").read_text()
    assert '\n    pip install -e ".[dev]" && dlcourse grade solutions\n' in readme
    assert '\n    pip install -e ".[dev]" && python -m pytest\n' in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'pip install -q -e ".[dev]"' in ci and "python3 -m pytest" in ci


def test_the_readme_links_the_book_pages_that_hold_the_moved_text():
    """The instructor and student text moved to the book; the README links each page, and each
    page is in the book's navigation."""
    readme = (ROOT / "README.md").read_text()
    nav = (ROOT / "mkdocs.yml").read_text()
    links = re.findall(r"\]\((docs/[\w/.-]+\.md)\)", readme)
    for page in ("students.md", "instructors/grading.md", "instructors/sandbox.md", "instructors/nbgrader.md",
                 "instructors/gradescope.md", "instructors/cluster.md", "instructors/writing-exercises.md",
                 "contributing/docs.md"):
        assert f"docs/{page}" in links, f"README does not link docs/{page}"
        assert (ROOT / "docs" / page).is_file(), f"docs/{page} is missing"
        assert f": {page}" in nav, f"mkdocs.yml's nav lacks {page}"
    # What the moved sections promised is on their pages now.
    sandbox = (ROOT / "docs" / "instructors" / "sandbox.md").read_text()
    assert "Student code never runs in the grading process" in sandbox and "max(3 s, 25 x" in sandbox
    assert "SandboxGrade" in (ROOT / "docs" / "instructors" / "nbgrader.md").read_text()
    assert "dlcourse gradescope build" in (ROOT / "docs" / "instructors" / "gradescope.md").read_text()
    assert "--cluster" in (ROOT / "docs" / "instructors" / "cluster.md").read_text()
    assert "dlcourse docs build" in (ROOT / "docs" / "contributing" / "docs.md").read_text()
