"""Grader for ch02_training/hyperband_brackets."""

import re

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.training", "keras_tuner")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "hyperband_brackets": {},
}


def _schedule(sub, R, eta, prefix=""):
    """The schedule as arrays: the brackets' s, and n_i and r_i of each bracket."""
    schedule = sub.hyperband_brackets(R, eta)
    brackets = sorted((int(s) for s in schedule), reverse=True)
    out = {f"{prefix}brackets": np.array(brackets)}
    for s in brackets:
        rungs = np.asarray(schedule[s], dtype=float).reshape(-1, 2)
        out[f"{prefix}s{s}_n"] = rungs[:, 0]
        out[f"{prefix}s{s}_r"] = rungs[:, 1]
    return out


def _setting(prefix):
    """ "R27_eta3_" -> " (for R=27, eta=3)"; "" -> "" (the check has a single setting)."""
    match = re.fullmatch(r"R(\d+)_eta(\d+)_", prefix)
    return f" (for R={match[1]}, eta={match[2]})" if match else ""


def _show(values):
    """Whole numbers without a trailing .0, others to 4 decimals."""
    return [int(v) if float(v).is_integer() else round(float(v), 4) for v in values]


def _same_schedule(student, reference):
    """Compare bracket by bracket, naming the first difference."""
    for key in sorted(k for k in reference if k.endswith("brackets")):
        prefix = key[: -len("brackets")]
        setting = _setting(prefix)
        got, expected = student[key], reference[key]
        if got.shape != expected.shape or not np.array_equal(got, expected):
            raise AssertionError(f"the schedule{setting} has brackets s = {got.tolist()}, "
                                 f"expected s = {expected.tolist()} (s_max down to 0).")
        for s in expected.tolist():
            for part, name in (("n", "n_i"), ("r", "r_i")):
                got_i, expected_i = student[f"{prefix}s{s}_{part}"], reference[f"{prefix}s{s}_{part}"]
                if got_i.shape != expected_i.shape or not np.allclose(got_i, expected_i, rtol=1e-6):
                    raise AssertionError(f"bracket s={s}{setting}: {name} is {_show(got_i)}, "
                                         f"expected {_show(expected_i)}.")


@check(points=1, visible=True, compare=_same_schedule)
def paper_table(sub):
    """R=81, eta=3 reproduces Table 1 of Li et al. (2018)."""
    return _schedule(sub, 81, 3)


@check(points=1, compare=_same_schedule)
def other_powers(sub):
    """R a power of eta: R=27, eta=3 and R=16, eta=2."""
    return {**_schedule(sub, 27, 3, "R27_eta3_"), **_schedule(sub, 16, 2, "R16_eta2_")}


@check(points=1, compare=_same_schedule)
def not_a_power(sub):
    """R not a power of eta (fractional r_i): R=100, eta=3 and R=10, eta=4."""
    return {**_schedule(sub, 100, 3, "R100_eta3_"), **_schedule(sub, 10, 4, "R10_eta4_")}


@check(points=1, compare=_same_schedule)
def exact_s_max(sub):
    """s_max where a floating-point logarithm falls just short: R=243, eta=3 and R=1000, eta=10."""
    return {**_schedule(sub, 243, 3, "R243_eta3_"), **_schedule(sub, 1000, 10, "R1000_eta10_")}


def _single_bracket_and_errors(student, reference):
    _same_schedule({k: v for k, v in student.items() if not k.startswith("raised")},
                   {k: v for k, v in reference.items() if not k.startswith("raised")})
    for key, call in (("raised_R", "hyperband_brackets(0.5, 3)"),
                      ("raised_eta", "hyperband_brackets(81, 1)")):
        if student[key] != 1:
            raise AssertionError(f"{call} should raise ValueError.")


@check(points=1, compare=_single_bracket_and_errors, requires=("paper_table",))
def single_bracket_and_errors(sub):
    """R=1 gives one bracket [(1, 1)]; R < 1 and eta < 2 raise ValueError."""
    out = _schedule(sub, 1, 3, "R1_eta3_")
    for key, args in (("raised_R", (0.5, 3)), ("raised_eta", (81, 1))):
        try:
            sub.hyperband_brackets(*args)
        except ValueError:
            out[key] = 1
        else:
            out[key] = 0
    return out
