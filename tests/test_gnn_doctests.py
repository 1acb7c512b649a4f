"""The Example sections of dlcourse.gnn's and dlcourse.data.graphs' docstrings run as written."""

import doctest
import importlib

import pytest

MODULES = ["dlcourse.gnn.graph", "dlcourse.gnn.layers", "dlcourse.gnn.stacking", "dlcourse.gnn.heads",
           "dlcourse.gnn.augment", "dlcourse.gnn.splits", "dlcourse.gnn.embeddings", "dlcourse.data.graphs"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    # Empty globals, not the module's: each example imports what it uses, as a reader's would.
    result = doctest.testmod(module, globs={}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
