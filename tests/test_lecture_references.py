"""Prompts and library modules name the notes' sections they teach; prompts name what they forbid.

- Every exercise prompt has a `Lecture: §N Title` line right under its title, and every library
  module of a chapter's subpackage one in its docstring, naming sections that exist
  (dlcourse.lecture.SECTIONS, itself checked against the notes' contents when the notes are here).
- Every prompt's "You may not use ..." sentence lists exactly the names its grader's FORBIDDEN
  holds, so a student is never marked down for a name the prompt did not forbid.
"""

import importlib
import pathlib
import pkgutil
import re

import pytest

from dlcourse.grading.course import Course
from dlcourse.lecture import SECTIONS, LectureReferenceError, references

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTES = ROOT.parent / "shared" / "lecture" / "000_2c5d8b44ed33f218.txt"
EXERCISES = Course(ROOT).exercises
# The library's lecture subpackages (grading, data and the packaged checks are tooling).
LIBRARY = ("perceptron", "training", "sequence", "cnn", "detection", "gnn", "nlp", "generative", "llm")


def _library_modules():
    import dlcourse

    for name in LIBRARY:
        if not (pathlib.Path(dlcourse.__file__).parent / name).is_dir():
            continue
        package = importlib.import_module(f"dlcourse.{name}")
        yield package.__name__, package.__doc__
        for info in pkgutil.iter_modules(package.__path__):
            path = pathlib.Path(package.__path__[0]) / f"{info.name}.py"
            if path.exists():
                import ast

                yield f"{package.__name__}.{info.name}", ast.get_docstring(ast.parse(path.read_text()))


@pytest.mark.skipif(not NOTES.exists(), reason="the lecture notes are not beside this checkout")
def test_sections_are_the_notes_contents():
    text = NOTES.read_text(encoding="utf-8")
    contents = text[text.index("Contents"): text.index("1 From Perceptron to Neural Network\n")]
    listed = dict(re.findall(r"^(\d+(?:\.\d+)*)\s+(.+?)\s+\d+\s*$", contents, re.MULTILINE))
    assert listed == SECTIONS


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_prompt_names_its_lecture_sections(exercise):
    lines = exercise.prompt.strip().splitlines()
    assert len(lines) > 1 and lines[1].startswith("Lecture: "), (
        f"{exercise.id}: the prompt's second line should be 'Lecture: §N Title' (the notes' section)")
    assert references(exercise.prompt)


@pytest.mark.parametrize("module, docstring", list(_library_modules()), ids=lambda v: v if isinstance(v, str) and v.startswith("dlcourse") else "")
def test_library_module_names_its_lecture_sections(module, docstring):
    assert references(docstring or ""), f"{module}: its docstring needs a line 'Lecture: §N Title'"


@pytest.mark.parametrize("line, words", [
    ("Lecture: §2.9 Optimization", "names no section"),
    ("Lecture: §2.2 Optimisation", "the notes call it 'Optimization'"),
    ("Lecture: 2.2 Optimization", "is not of the form"),
])
def test_bad_references_are_one_clear_sentence(line, words):
    with pytest.raises(LectureReferenceError, match=words):
        references(f"Title (1 point)\n{line}\n")


_SENTENCE = re.compile(r"You may not use (?P<names>.+?)\.(?:\s|$)")


def prompt_forbids(prompt: str) -> list[str]:
    """The names of a prompt's "You may not use A, B (why) or C." sentence, in its order."""
    match = _SENTENCE.search(" ".join(prompt.split()))
    if not match:
        return []
    names = re.sub(r"\([^()]*\)", "", match.group("names"))
    return [item.strip().strip("`") for item in re.split(r",|\bor\b|\bnor\b|\band\b", names) if item.strip()]


def test_prompt_forbids_reads_the_sentence():
    prompt = "Do it.\nYou may not use keras, `tensorflow` (no autodiff)\nor dlcourse.training. Then go."
    assert prompt_forbids(prompt) == ["keras", "tensorflow", "dlcourse.training"]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_prompt_forbids_what_its_grader_forbids(exercise):
    listed = prompt_forbids(exercise.prompt)
    for name in listed:
        assert re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", name), (
            f"{exercise.id}: {name!r} in 'You may not use ...' is not a dotted name; "
            "write the module or object as the grader's FORBIDDEN spells it, reasons in parentheses")
    assert sorted(listed) == sorted(exercise.forbidden), (
        f"{exercise.id}: the prompt forbids {sorted(listed)}, its grader {sorted(exercise.forbidden)}")


def test_readme_lecture_map_is_up_to_date(tmp_path):
    from dlcourse.lecture import write_readme_map

    copy = tmp_path / "README.md"
    copy.write_text((ROOT / "README.md").read_text())
    assert not write_readme_map(copy, ROOT), "README's lecture map is stale: run `python -m dlcourse.lecture README.md`"
