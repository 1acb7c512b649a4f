"""Every hidden input has the rank, shape and dtype that the exercise's prompt declares.

A hidden check may test only what its prompt states. Shapes are the part of that a test can
enforce, so each grader declares the shapes its prompt promises, per student function and
argument, in one dict `SHAPES` (see "Declared shapes" in `dlcourse/grading/checks.py`):

    SHAPES = {"gcn_layer": {"h": "(N, F)", "senders": "(E,) int", "receivers": "(E,) int",
                            "w_k": "(F, F')", "b_k": "(F, F')"},
              "aggregate_mean": {"messages": "(E, ...)", "receivers": "(E,) int"}}

A shape is a parenthesised tuple of sizes: a symbol (`N`, `F'`, `n_inputs`), an integer, an
expression of those (`H + D`, `2D`), or `...` for any number of further axes; several shapes are
joined by " or ". After the shape, `int`, `float` or `bool` demands that dtype kind, and
`in [lo, hi]` (either bracket may be open: `[0, N)`) a range of the values, whose bounds may be
numbers or symbols. An array the prompt allows in any shape is declared "any shape" (with
qualifiers after it, if any). A dict argument's entries are declared as `params["W1"]`; a dict
of arrays whose shapes the prompt leaves free (the student's own parameters) is declared "dict".

This test then

1. finds each declaration in the prompt, names case-insensitively (the prompt's X is argument
   x): each shape as written (each of several " or " shapes on its own) must follow the
   argument's name as the next parenthesis within a few words (`h (N, F)`, "x, of shape
   (batch, n_inputs)", "w_k and b_k (F, F')"); "any shape" needs the words "any shape" or
   "arbitrary shape" near the name, "dict" the word "dict"; `int` needs the word "int" or
   "integer(s)", `bool` "bool(ean)" or "True", `float` "float"; a range its own text nearby.
   So a prompt edit cannot leave its grader's declaration behind.
2. runs every check of every exercise against the reference solution in this process (no
   sandbox), on a copy of the module whose functions record the arguments each call is given,
   and asserts per call: each declared argument has the declared rank and dtype, one symbol
   has one size across the call's arguments, values lie in a declared range; every numpy
   array a check passes (also inside a dict argument) is declared; every function the checks
   call is declared (`{}` for one without array arguments) and every declared function is
   called.

A check whose own source calls only functions declared `{}` (`sub.transfer_model(base, 3)`) is
not run: it has nothing to record, and Keras training costs seconds.

Out of scope of the shape part: arguments that are Keras models or layers, callables, random
generators, Python scalars and strings, lists of arrays of different shapes, and methods of
classes (a Keras layer's `call` is reached through Keras, not through this recording). An
exercise whose answer is only such methods declares `SHAPES = {}`, and its checks are not run
here. A grader without `SHAPES` fails, with a message that says what to add.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import re
import sys
import types
import warnings

import numpy as np
import pytest

from dlcourse.grading.checks import checks_of
from dlcourse.grading.course import Course
from dlcourse.grading.probe import load_module, load_namespace, run_probe
from inprocess import ROOT
from test_non_answers import answer_functions

EXERCISES = [e.id for e in Course(ROOT).exercises]
WINDOW = 80  # characters after an argument's name in which its shape must appear in the prompt
NEAR = 240   # ... and its dtype or range words
SYMBOL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*'*$")
ENTRY = re.compile(r"""^(\w+)\[["'](\w+)["']\]$""")
RANGE = re.compile(r"in\s*([\[(])\s*([^,]+?)\s*,\s*([^\])]+?)\s*([\])])")
DTYPES = {"int": ("iu", r"\bint(eger)?s?\b"), "float": ("f", r"\bfloats?\b"),
          "bool": ("b", r"\bbool(ean)?s?\b|\bTrue\b")}  # dtype kinds, and the prompt's words for them


@functools.lru_cache(maxsize=None)
def parse(spec: str):
    """(shapes, dtype or None, range or None) of a declaration like "(E,) int in [0, N)"."""
    if spec.startswith("any shape"):
        shapes, rest = [["..."]], spec[len("any shape"):].split(" in ")[0]
    else:
        shapes = [[d.strip() for d in inner.split(",") if d.strip()] for inner in re.findall(r"\(([^()]*)\)", spec)]
        rest = re.sub(r"\([^()]*\)", " ", spec.split(" in ")[0])
    words = [w for w in rest.replace(" or ", " ").split() if w != "or"]
    found = RANGE.search(spec)
    bounds = (found.group(1), found.group(2), found.group(3), found.group(4)) if found else None
    assert shapes, f"declaration {spec!r} has no shape like (N, F)"
    assert all(w in DTYPES for w in words), f"declaration {spec!r}: unknown words {words}; use int, float or bool"
    return shapes, (words[0] if words else None), bounds


def shape_text(spec: str) -> str:
    return spec.split(" in ")[0].rsplit(")", 1)[0] + ")"


def _flat(text: str) -> str:
    return " ".join(text.replace("`", "").split())


def _value(dim: str, sizes: dict):
    if dim.isdigit():
        return int(dim)
    names = {s: f"_s{i}" for i, s in enumerate(sorted(sizes, key=len, reverse=True))}
    expression = re.sub(r"(\d)\s*([A-Za-z_])", r"\1*\2", dim)  # 2D is 2 * D
    for symbol, alias in names.items():
        expression = re.sub(rf"(?<![\w']){re.escape(symbol)}(?![\w'])", alias, expression)
    try:
        return eval(expression, {"__builtins__": {}}, {alias: sizes[s] for s, alias in names.items()})  # noqa: S307
    except NameError:
        return None


def _match(shape: tuple, dims: list[str], sizes: dict) -> dict | None:
    """The symbol sizes `sizes` extended by `shape` against `dims`, or None when they disagree."""
    if "..." in dims:
        at = dims.index("...")
        if len(shape) < len(dims) - 1:
            return None
        tail = len(dims) - at - 1
        pairs = list(zip(dims[:at], shape[:at])) + (list(zip(dims[at + 1:], shape[len(shape) - tail:])) if tail else [])
    elif len(shape) != len(dims):
        return None
    else:
        pairs = list(zip(dims, shape))
    sizes = dict(sizes)
    later = []
    for dim, size in pairs:
        if SYMBOL.match(dim):
            if sizes.setdefault(dim, size) != size:
                return None
        elif dim.isdigit():
            if int(dim) != size:
                return None
        else:
            later.append((dim, size))
    for dim, size in later:
        expected = _value(dim, sizes)
        if expected is not None and expected != size:
            return None
    return sizes


def _as_array(value):
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 -- not array-like
        return None
    return None if array.dtype == object else array


def _describe(value) -> str:
    array = _as_array(value)
    return f"{type(value).__name__} of shape {array.shape}, dtype {array.dtype}" if array is not None else type(value).__name__


def problems_of_call(function: str, arguments: dict, declared: dict) -> list[str]:
    """What is wrong with one recorded call against its function's declarations."""
    problems, given = [], {}
    for name, value in arguments.items():
        if isinstance(value, dict) and declared.get(name) != "dict":
            for key, entry in value.items():
                given[f'{name}["{key}"]'] = entry
            if name in declared:
                given[name] = value
        else:
            given[name] = value
    for name, value in given.items():
        if isinstance(value, np.ndarray) and value.ndim > 0 and name not in declared:
            problems.append(f"`{function}` is given `{name}`, a {_describe(value)}, which SHAPES does not declare; "
                            f"add SHAPES[{function!r}][{name!r}] = \"(...)\" as the prompt states it")
    arrays = {}
    for name, spec in declared.items():
        if name not in given or given[name] is None:
            continue
        if spec == "dict":
            if not isinstance(given[name], dict):
                problems.append(f"`{function}` argument `{name}` is declared a dict but a check passes a {_describe(given[name])}")
            continue
        array = _as_array(given[name])
        if array is None:
            problems.append(f"`{function}` argument `{name}` is declared {spec!r} but a check passes a {_describe(given[name])}")
            continue
        arrays[name] = (array, spec)
    if problems:
        return problems
    options = [[(name, dims) for dims in parse(spec)[0]] for name, (array, spec) in arrays.items()]
    sizes = None
    for choice in itertools.product(*options):
        sizes = {}
        for name, dims in choice:
            sizes = _match(arrays[name][0].shape, dims, sizes)
            if sizes is None:
                break
        if sizes is not None:
            break
    if sizes is None:
        shown = ", ".join(f"{name} {arrays[name][0].shape} (declared {shape_text(spec)})" for name, (_, spec) in arrays.items())
        return [f"`{function}` is called with shapes that do not fit its declaration: {shown}"]
    for name, (array, spec) in arrays.items():
        _, dtype, bounds = parse(spec)
        if dtype and array.dtype.kind not in DTYPES[dtype][0]:
            problems.append(f"`{function}` argument `{name}` is declared {dtype} but a check passes dtype {array.dtype}")
        if bounds and array.size:
            low, high = (_value(b, sizes) if not _is_number(b) else float(b) for b in bounds[1:3])
            values = array.astype(float)
            below = values < low if bounds[0] == "[" else values <= low
            above = values > high if bounds[3] == "]" else values >= high
            if below.any() or above.any():
                problems.append(f"`{function}` argument `{name}` is declared {spec!r} but a check passes values in "
                                f"[{values.min():g}, {values.max():g}]")
    return problems


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def prompt_problems(prompt: str, shapes: dict) -> list[str]:
    """Declarations that the prompt does not show next to their argument."""
    text, problems = _flat(prompt), []
    for function, arguments in shapes.items():
        for name, spec in arguments.items():
            entry = ENTRY.match(name)
            word = entry.group(2) if entry else name
            starts = [m.end() for m in re.finditer(rf"(?<![\w.]){re.escape(word)}(?![\w(])", text, re.IGNORECASE)]
            nearby = [text[max(0, s - NEAR):s + NEAR] for s in starts]
            if spec == "dict":
                if not any("dict" in near for near in nearby):
                    problems.append(f"SHAPES[{function!r}][{name!r}] = 'dict': the prompt never says `{word}` is a dict")
                continue
            if spec.startswith("any shape"):
                if not any(w in near for near in nearby for w in ("any shape", "arbitrary shape")):
                    problems.append(f"SHAPES[{function!r}][{name!r}] = {spec!r}: the prompt never says `{word}` may "
                                    "have any shape near its name; say so, or declare its shape")
                    continue
            else:
                missing = [shape for shape in (_flat(group) for group in re.findall(r"\([^()]*\)", spec))
                           if not any(_shape_follows(text, s, shape) for s in starts)]
                if missing:
                    problems.append(f"SHAPES[{function!r}][{name!r}] = {spec!r}: the prompt never writes `{word}` "
                                    f"followed, as the next shape within {WINDOW} characters, by {missing[0]!r}; "
                                    "state the shape there, or fix the declaration")
                    continue
            _, dtype, bounds = parse(spec)
            if dtype and not any(re.search(DTYPES[dtype][1], near) for near in nearby):
                problems.append(f"SHAPES[{function!r}][{name!r}] = {spec!r}: the prompt never says `{word}` is "
                                f"{'integer' if dtype == 'int' else dtype} near its name; say so, or drop {dtype!r}")
            if bounds:
                written = _flat(RANGE.search(spec).group(0)[2:].strip())
                if not any(written in near for near in nearby):
                    problems.append(f"SHAPES[{function!r}][{name!r}] = {spec!r}: the prompt never writes the range "
                                    f"{written!r} near `{word}`; state it there, or drop it")
    return problems


def _shape_follows(text: str, start: int, shape: str) -> bool:
    """Whether `shape` is the first parenthesis after `start` (within WINDOW), or one of the
    alternatives joined to it by "or": "(N,) or (N, K)"."""
    opening = text.find("(", start, start + WINDOW)
    chain = re.match(r"\([^()]*\)(?:\s*(?:,\s*)?or\s*\([^()]*\))*", text[opening:]) if opening >= 0 else None
    return bool(chain) and shape in re.findall(r"\([^()]*\)", chain.group(0))


def recording_copy(module: types.ModuleType, calls: list) -> types.ModuleType:
    """A copy of `module` whose own functions append (name, arguments) to `calls` when a check
    calls them (calls between the module's functions go to the originals, unrecorded)."""
    copy = types.ModuleType(module.__name__)
    copy.__dict__.update(module.__dict__)
    for name, value in module.__dict__.items():
        if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            setattr(copy, name, _recording(name, value, calls))
    return copy


def _recording(name, function, calls):
    signature = inspect.signature(function)

    @functools.wraps(function)
    def record(*args, **kwargs):
        try:
            arguments = dict(signature.bind(*args, **kwargs).arguments)
        except TypeError:
            arguments = None
        if arguments is not None:
            # Snapshot the arrays as given: the function may change them in place.
            calls.append((name, {k: _snapshot(v) for k, v in arguments.items()}))
        return function(*args, **kwargs)

    return record


def _snapshot(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    return value


def _calls_only_functions_without_arrays(probe, shapes) -> bool:
    """Whether a probe's own source uses the submission only as `sub.f(...)` with SHAPES[f] == {}
    (a Keras model builder, say): then there is nothing to record, and its seconds are saved."""
    source = inspect.getsource(probe)
    body = source.split("(sub):", 1)[1] if "(sub):" in source else source
    uses = re.findall(r"\bsub\b(\.\w+)?", body)
    return bool(uses) and all(use and shapes.get(use[1:]) == {} for use in uses)


def shapes_of(exercise: str):
    grader = ROOT / "graders" / f"{exercise}.py"
    namespace = load_namespace(grader.read_text(), str(grader))
    return namespace, namespace.get("SHAPES")


@pytest.mark.parametrize("exercise", EXERCISES)
def test_hidden_inputs_are_what_the_prompt_declares(exercise):
    namespace, shapes = shapes_of(exercise)
    solution = ROOT / "solutions" / f"{exercise}.py"
    source = solution.read_text()
    functions = [name for owner, name in answer_functions(source) if owner is None and not name.startswith("_")]
    assert shapes is not None, (
        f"graders/{exercise}.py declares no SHAPES. Add, below FORBIDDEN, the argument shapes its prompt "
        "states, e.g. SHAPES = {" + ", ".join(f"{f!r}: {{'x': '(N, F)'}}" for f in functions or ["f"])
        + "} ({} for a function without array arguments; SHAPES = {} when the answer is Keras layer "
        "methods); see tests/test_declared_shapes.py")
    assert isinstance(shapes, dict) and all(isinstance(v, dict) for v in shapes.values()), (
        f"graders/{exercise}.py: SHAPES must map each function name to a dict {{argument: 'shape'}}")
    problems = prompt_problems(ast.get_docstring(ast.parse(source)) or "", shapes)
    if not functions and not shapes:
        assert not problems
        return
    checks = checks_of(namespace)
    module_name = f"declared_shapes_{exercise.replace('/', '_')}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            module = load_module(str(solution), module_name)
        finally:
            sys.modules.pop(module_name, None)
        called = set()
        for chk in checks:
            if _calls_only_functions_without_arrays(chk.probe, shapes):
                called |= set(re.findall(r"\bsub\.(\w+)", inspect.getsource(chk.probe)))
                continue
            calls = []
            run_probe(chk, recording_copy(module, calls))
            for function, arguments in calls:
                called.add(function)
                if function not in shapes:
                    problems.append(f"check `{chk.name}` calls `{function}`, which SHAPES does not declare; add "
                                    f"SHAPES[{function!r}] = {{...}} ({{}} if it takes no arrays)")
                    continue
                problems += [f"check `{chk.name}`: {p}" for p in problems_of_call(function, arguments, shapes[function])]
    problems += [f"SHAPES declares `{f}`, which no check calls; remove it" for f in shapes if f not in called]
    unique = list(dict.fromkeys(problems))
    assert not unique, f"{exercise}:\n  " + "\n  ".join(unique[:20])


def test_matching_and_parsing():
    assert parse("(E,) int in [0, N)") == ([["E"]], "int", ("[", "0", "N", ")"))
    assert parse("(N,) or (N, K)")[0] == [["N"], ["N", "K"]]
    assert _match((3, 4), ["N", "F"], {}) == {"N": 3, "F": 4}
    assert _match((3, 4, 5), ["N", "..."], {}) == {"N": 3}
    assert _match((3,), ["N", "..."], {}) == {"N": 3}
    assert _match((3, 4), ["N", "N"], {}) is None
    assert _match((2, 7, 4), ["B", "H + D", "H"], {}) == {"B": 2, "H": 4} and _match((2, 6, 4), ["B", "H + D", "H"], {"D": 3}) is None
    assert problems_of_call("f", {"h": np.zeros((3, 2)), "r": np.zeros(5, int)}, {"h": "(N, F)", "r": "(E,) int in [0, N)"}) == []
    assert problems_of_call("f", {"h": np.zeros((3, 2)), "r": np.full(5, 3)}, {"h": "(N, F)", "r": "(E,) int in [0, N)"})
    assert problems_of_call("f", {"h": np.zeros((3, 2, 1))}, {"h": "(N, F)"})
    assert problems_of_call("f", {"h": np.zeros((3, 2)), "w": np.zeros((3, 3))}, {"h": "(N, F)", "w": "(F, F')"})
    assert problems_of_call("f", {"h": np.zeros((3, 2)), "extra": np.zeros(3)}, {"h": "(N, F)"})
    assert problems_of_call("f", {"p": {"W1": np.zeros((3, 2))}}, {'p["W1"]': "(n, H)"}) == []
    assert prompt_problems("h (N, F) and `senders`, integer arrays of shape (E,)",
                           {"g": {"h": "(N, F)", "senders": "(E,) int"}}) == []
    assert prompt_problems("h is (N, G), and F is (N, F)", {"g": {"h": "(N, F)"}})
    assert prompt_problems("h (N, F)", {"g": {"h": "(N, F) int"}})
