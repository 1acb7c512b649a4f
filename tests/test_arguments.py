"""dlcourse.arguments: one rule for integer and seed arguments across the library."""

import numpy as np
import pytest

from dlcourse.arguments import int_at_least, is_int, non_negative_int, optional_seed, positive_int


def test_python_and_numpy_integers_pass_and_come_back_as_python_ints():
    for value in (4, np.int64(4), np.int32(4), np.uint8(4)):
        result = positive_int("filters", value)
        assert result == 4 and type(result) is int
    assert non_negative_int("padding", np.int64(0)) == 0
    assert int_at_least("num_classes", np.int16(2), 2) == 2


@pytest.mark.parametrize("value", [True, np.bool_(True), 2.0, "3", None])
def test_bools_floats_and_strings_are_not_integers(value):
    assert not is_int(value)
    with pytest.raises(ValueError, match=r"^filters must be a positive integer, got "):
        positive_int("filters", value)


def test_messages_name_the_argument_and_the_value():
    with pytest.raises(ValueError, match=r"^units must be a positive integer, got 0\.$"):
        positive_int("units", 0)
    with pytest.raises(ValueError, match=r"^patience must be a non-negative integer, got -1\.$"):
        non_negative_int("patience", -1)
    with pytest.raises(ValueError, match=r"^num_classes must be an integer >= 2, got 1\.$"):
        int_at_least("num_classes", 1, 2)


def test_optional_seed():
    assert optional_seed("seed", None) is None
    seed = optional_seed("seed", np.int64(7))
    assert seed == 7 and type(seed) is int
    with pytest.raises(ValueError, match=r"^seed must be an integer or None, got 1\.5\.$"):
        optional_seed("seed", 1.5)
    with pytest.raises(ValueError, match="seed must be an integer, a keras.random.SeedGenerator or None"):
        optional_seed("seed", True, allow_generator=True)


def test_optional_seed_passes_a_generator_through_when_allowed():
    import keras

    generator = keras.random.SeedGenerator(1)
    assert optional_seed("seed", generator, allow_generator=True) is generator
    with pytest.raises(ValueError, match="seed must be an integer or None"):
        optional_seed("seed", generator)


def test_layers_accept_numpy_integers():
    from dlcourse.cnn.convolution import Conv2D

    layer = Conv2D(np.int64(4), 3)
    assert layer.filters == 4 and type(layer.get_config()["filters"]) is int
