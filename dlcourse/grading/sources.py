"""Turning a submitted file into Python source to grade, and the static forbidden-name check.

Everything here only reads the submission as text; nothing of it executes in this process.
"""

from __future__ import annotations

import ast
import copy
import pathlib

MAX_BYTES = 2 * 1024 * 1024


def import_jupytext():
    """jupytext, imported without `rfc3987_syntax`: jsonschema (under nbformat) loads that module
    when it is installed (Jupyter's format extras bring it), and it compiles a grammar at import,
    about 2 s for every process that reads a notebook. It only validates IRI strings, which no
    notebook check here needs; jsonschema does without it when it cannot be imported."""
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)
    import jupytext

    return jupytext


class SubmissionProblem(Exception):
    """The file cannot be graded; the message tells the student why and what to do."""


def is_test_cell(cell) -> bool:
    """An nbgrader autograder-test cell (graded, not a solution): it belongs to the course, not
    to the student's code, so it is never part of the source that is graded."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def notebook_code(notebook) -> str:
    """The student's code of a parsed notebook as a Python script (jupytext percent format),
    without nbgrader's test cells; magics are commented out as jupytext does."""
    jupytext = import_jupytext()

    notebook = copy.deepcopy(notebook)
    notebook.cells = [cell for cell in notebook.cells if not is_test_cell(cell)]
    return jupytext.writes(notebook, fmt="py:percent")


def notebook_source(notebook) -> str:
    """The gradable source of a parsed notebook (both `dlcourse grade` and nbgrader's path), or
    SubmissionProblem saying why there is none."""
    return check_source(notebook_code(notebook), "the notebook")


def notebook_to_source(text: str) -> str:
    """The code of a Jupyter notebook's text, or SubmissionProblem when it cannot be read."""
    jupytext = import_jupytext()

    try:
        notebook = jupytext.reads(text, fmt="ipynb")
    except Exception as err:  # noqa: BLE001 -- jupytext raises many kinds on bad JSON
        raise SubmissionProblem(
            f"the notebook could not be read ({type(err).__name__}); re-save it from Jupyter "
            "and submit again."
        ) from None
    return notebook_source(notebook)


def check_syntax(source: str) -> str:
    """`source` itself, or SubmissionProblem naming the line of its syntax error."""
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        raise SubmissionProblem("the code contains characters that are not valid Unicode text; re-save it "
                                "and submit again.") from None
    try:
        ast.parse(source)
    except SyntaxError as err:
        raise SubmissionProblem(f"SyntaxError on line {err.lineno}: {err.msg}; fix it and run `dlcourse check`.") from None
    except ValueError as err:  # e.g. a NUL byte that came through a notebook's JSON escapes
        raise SubmissionProblem(f"the code cannot be parsed ({err}); re-save it and submit again.") from None
    return source


def read_submission(path: pathlib.Path | None, exercise_id: str) -> str:
    """The submitted source of one exercise, or SubmissionProblem."""
    if path is None:
        raise SubmissionProblem(
            f"no file for this exercise; submit {exercise_id}.py or {exercise_id}.ipynb."
        )
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise SubmissionProblem(f"{path.name} is larger than {MAX_BYTES // 1024 // 1024} MB; submit only your code.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubmissionProblem(f"{path.name} is not UTF-8 text; save it with UTF-8 encoding and submit again.") from None
    if path.suffix == ".ipynb":
        return notebook_to_source(text)
    return check_source(text, path.name)


def check_source(source: str, what: str) -> str:
    """`source` if it can be graded: not too large, no NUL bytes, valid Python; else SubmissionProblem."""
    if len(source.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise SubmissionProblem(f"{what} is larger than {MAX_BYTES // 1024 // 1024} MB; submit only your code.")
    if "\x00" in source:
        raise SubmissionProblem(f"{what} contains NUL bytes; submit the plain-text source.")
    return check_syntax(source)


def forbidden_uses(source: str, forbidden: tuple[str, ...]) -> list[str]:
    """The forbidden dotted names (e.g. "keras.layers.Dense") that `source` refers to.

    Resolves import aliases (`from keras import layers as L; L.Dense`) and getattr with a
    constant name. It is a static check: code that builds names at run time evades it, and
    the prompt is what forbids that.
    """
    if not forbidden:
        return []
    tree = ast.parse(source)
    aliases: dict[str, str] = {}
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names.append(alias.name)
                local = alias.asname or alias.name.split(".")[0]
                aliases[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names.append(full)
                aliases[alias.asname or alias.name] = full
    for node in ast.walk(tree):
        dotted = _dotted(node, aliases)
        if dotted:
            names.append(dotted)
    names += [_canonical(n) for n in names]
    return [banned for banned in forbidden if any(_matches(n, banned) for n in names)]


# Other spellings of the same modules: Keras' private tree, Keras 2 and TensorFlow's copy.
_SAME_MODULE = (("keras.src", "keras"), ("tf_keras", "keras"), ("tensorflow.keras", "keras"),
                ("tensorflow.python.keras", "keras"))


def _canonical(name: str) -> str:
    for other, canonical in _SAME_MODULE:
        if name == other or name.startswith(other + "."):
            return canonical + name[len(other):]
    return name


def _matches(name: str, banned: str) -> bool:
    """`name` is `banned`, inside it, or the same object reached by a longer path of the same
    package (keras.layers.core.dense.Dense for keras.layers.Dense)."""
    if name == banned or name.startswith(banned + "."):
        return True
    root, _, rest = banned.partition(".")
    return bool(rest) and name.split(".")[0] == root and name.rsplit(".", 1)[-1] == banned.rsplit(".", 1)[-1]


def _dotted(node, aliases):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
        if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
            base = _dotted(node.args[0], aliases)
            return f"{base}.{node.args[1].value}" if base else None
        return None
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in aliases:
        return ".".join([aliases[node.id], *reversed(parts)])
    return None
