"""The Example sections of dlcourse.training's docstrings run as written."""

import doctest
import importlib

import pytest

MODULES = ["initializers", "optimizers", "regularizers", "losses", "normalization", "dropout", "callbacks", "search"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"dlcourse.training.{name}")
    # Empty globals, not the module's: each example imports what it uses, as a reader's would.
    result = doctest.testmod(module, globs={}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
