"""A griffe extension for the course book: Keras-style docstrings read as they are written.

dlcourse's docstrings follow Keras (`Example:` followed by a doctest at the margin, continuation
lines of `Args:` that name several arguments at once). The Google parser would show those
doctests as running text, and Markdown would read `[0.95, -2.05]` as a link. This extension
fences every doctest (a `>>>` line and what follows it up to a blank line) as `pycon` code, and
joins an argument list that a docstring wraps over two lines ("a, b,\\n c: as for X").
"""

from __future__ import annotations

import re

import griffe

_NAMES_WRAPPED = re.compile(r"^(\s+)([A-Za-z_][\w, ]*,)\s*$")


def fence_doctests(text: str) -> str:
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
                i += 1
            out += [f"{indent}```pycon", *(f"{indent}{b}" for b in block), f"{indent}```"]
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def join_wrapped_names(text: str) -> str:
    lines, out = text.split("\n"), []
    for line in lines:
        match = _NAMES_WRAPPED.match(line)
        if out and out[-1] is not None and match is None and _NAMES_WRAPPED.match(out[-1] or ""):
            out[-1] = out[-1].rstrip() + " " + line.strip()
            continue
        out.append(line)
    return "\n".join(out)


class KerasDocstrings(griffe.Extension):
    def on_instance(self, *, obj, **kwargs):
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(join_wrapped_names(obj.docstring.value))
