"""Every Example in dlcourse's docstrings runs on its own, as a reader would paste it: with empty
globals, so each example imports what it uses (the module's own imports are not there to lean on).

The topic files (tests/test_{cnn,gnn,training}_doctests.py) run their modules the same way; this
file runs every other module of dlcourse that has an example.
"""

import doctest
import importlib
import pathlib

import pytest

import test_cnn_doctests
import test_gnn_doctests
import test_training_doctests

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "dlcourse"
COVERED = {*(f"dlcourse.cnn.{m}" for m in test_cnn_doctests.MODULES), *test_gnn_doctests.MODULES,
           *(f"dlcourse.training.{m}" for m in test_training_doctests.MODULES)}
# dlcourse.nlp runs its own doctests (tests/test_nlp_*.py); the grading tools have no examples.
ELSEWHERE = ("dlcourse.nlp", "dlcourse.grading", "dlcourse.checks")
# Examples that still lean on their module's globals: their files are being rewritten (issue 11).
# strict: once one passes, take it off this list.
NOT_YET = set()


def _modules_with_examples():
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        if name.startswith(ELSEWHERE) or name in COVERED or ">>>" not in path.read_text(encoding="utf-8"):
            continue
        yield pytest.param(name, marks=[pytest.mark.xfail(strict=True)] if name in NOT_YET else [])


@pytest.mark.parametrize("name", _modules_with_examples())
def test_every_example_imports_what_it_uses(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, globs={}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_every_module_with_examples_is_run():
    run = {p.values[0] for p in _modules_with_examples()} | COVERED
    assert {"dlcourse", "dlcourse.arguments", "dlcourse.perceptron.activations", "dlcourse.detection.boxes",
            "dlcourse.gnn.general_layer", "dlcourse.sequence.attention"} <= run
