"""The Example sections of dlcourse.generative's docstrings (and of the ring data) run as written."""

import doctest
import importlib

import pytest

MODULES = ["dlcourse.generative.autoencoder", "dlcourse.generative.vae", "dlcourse.generative.gan",
           "dlcourse.generative.flows", "dlcourse.generative.metrics", "dlcourse.generative.plots",
           "dlcourse.data.toy"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
