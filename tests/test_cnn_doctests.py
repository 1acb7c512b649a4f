"""The Example sections of dlcourse.cnn's docstrings run as written."""

import doctest
import importlib

import pytest

MODULES = ["convolution", "pooling", "separable", "inception", "residual", "augmentation", "classifiers", "models",
           "transfer", "plots"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"dlcourse.cnn.{name}")
    # Empty globals, not the module's: each example imports what it uses, as a reader's would.
    result = doctest.testmod(module, globs={}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
