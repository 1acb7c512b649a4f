"""Checks for the integer and seed arguments of the library's layers and functions.

One rule for every constructor: an integer argument may be a Python or a numpy integer (not a
bool, although bool subclasses int) and is stored as a plain Python int, so that configs stay
JSON-serializable; a bad value raises one ValueError that names the argument, the value and
what is expected. The checks were once copied into each module with slightly different rules
(`Conv2D(np.int64(4), 3)` failed while `RCNN` accepted numpy integers); they live here so that
the rule and its wording stay the same everywhere.
"""

from __future__ import annotations

import numpy as np

__all__ = ["is_int", "positive_int", "non_negative_int", "int_at_least", "optional_seed"]


def is_int(value):
    """Whether `value` is a Python or numpy integer, bool excluded."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def int_at_least(name, value, minimum):
    """Return `value` as an int if it is an integer >= `minimum`, else raise ValueError.

    >>> import numpy as np
    >>> from dlcourse.arguments import int_at_least
    >>> int_at_least("num_classes", np.int64(3), 2)
    3
    """
    return _int_at_least(name, value, minimum, f"an integer >= {minimum}")


def positive_int(name, value):
    """Return `value` as an int if it is an integer >= 1, else raise ValueError.

    >>> import numpy as np
    >>> from dlcourse.arguments import positive_int
    >>> positive_int("filters", np.int64(4))
    4
    """
    return _int_at_least(name, value, 1, "a positive integer")


def non_negative_int(name, value):
    """Return `value` as an int if it is an integer >= 0, else raise ValueError."""
    return _int_at_least(name, value, 0, "a non-negative integer")


def optional_seed(name, value, allow_generator=False):
    """Return a seed argument: None, an int, or (if allowed) a `keras.random.SeedGenerator`.

    An integer seed is returned as a Python int; None and a generator are returned unchanged.

    >>> import numpy as np
    >>> from dlcourse.arguments import optional_seed
    >>> optional_seed("seed", np.int32(7)), optional_seed("seed", None)
    (7, None)
    """
    if value is None:
        return value
    if allow_generator:
        import keras  # here, not at the top: the numpy-only modules use this file without Keras

        if isinstance(value, keras.random.SeedGenerator):
            return value
    if not is_int(value):
        expected = "an integer, a keras.random.SeedGenerator or None" if allow_generator else "an integer or None"
        raise ValueError(f"{name} must be {expected}, got {value!r}.")
    return int(value)


def _int_at_least(name, value, minimum, expected):
    if not is_int(value) or value < minimum:
        raise ValueError(f"{name} must be {expected}, got {value!r}.")
    return int(value)
