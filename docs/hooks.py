"""mkdocs hooks: the course book's generated pages.

Nothing here holds content of its own. At build time it writes, from the code:

- `api/<subpackage>.md`: one page per subpackage, in lecture order, with a mkdocstrings block for
  every name of the subpackage's `__all__`, grouped by the module that defines it (so a name
  added to `__all__` appears without touching the docs);
- `exercises.md`: every exercise of the course (title, points, the sections it examines, its
  checks) from `solutions/` and `graders/`, with its prompt;
- the home page's lecture map, at the `<!-- lecture map -->` marker of `index.md`, from
  `dlcourse.lecture`: each section of the notes, its library pages, its exercises.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import pathlib
import sys

from mkdocs.structure.files import File

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the checkout's dlcourse, also where `mkdocs` runs from another folder
    sys.path.insert(0, str(ROOT))

# Lecture order; `data` last (it serves every chapter).
SUBPACKAGES = {
    "perceptron": "Chapter 1: from the perceptron to a neural network",
    "training": "Chapter 2: training a neural network",
    "sequence": "Chapter 3: deep sequence modeling",
    "cnn": "Chapter 4: convolutional neural networks",
    "detection": "Chapter 4: object detection",
    "nlp": "Chapter 5: NLP with deep learning",
    "generative": "Chapter 6: generative models",
    "gnn": "Chapter 7: graph neural networks",
    "llm": "Chapter 8: foundation models, the LLM",
    "data": "Datasets",
}

MAP_MARKER = "<!-- lecture map -->"
EXERCISES_MARKER = "<!-- exercises -->"
_EXAMPLES = {  # chapter folder -> its worked example's page, when it exists
    "ch01_perceptron": "examples/ch01_perceptron.py",
    "ch02_training": "examples/ch02_training.py",
    "ch03_sequence": "examples/ch03_sequence.py",
    "ch04_cnn": "examples/ch04_cnn.py",
    "ch05_nlp": "examples/ch05_nlp.py",
    "ch06_generative": "examples/ch06_generative.py",
    "ch07_gnn": "examples/ch07_gnn.py",
    "ch08_llm": "examples/ch08_llm.py",
}


def _import_map(package: str) -> dict[str, str]:
    """{name: dotted module} for the names a subpackage's `__init__` imports or assigns."""
    init = ROOT / "dlcourse" / package / "__init__.py"
    found = {}
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            module = node.module if node.level == 0 else f"dlcourse.{package}.{node.module}"
            for alias in node.names:
                found[alias.asname or alias.name] = module
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = f"dlcourse.{package}"
    return found


def public_names(package: str) -> list[tuple[str, str, str | None]]:
    """(name, module it is grouped under, identifier mkdocstrings renders) for each name of
    `dlcourse.<package>.__all__`, in `__all__`'s order; the identifier is None for a constant
    (a value, not a class or function), which the page shows with its value."""
    module = importlib.import_module(f"dlcourse.{package}")
    imported = _import_map(package)
    rows = []
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        home = getattr(obj, "__module__", None) if inspect.isclass(obj) or inspect.isfunction(obj) else None
        if home and home.startswith(f"dlcourse.{package}") and getattr(obj, "__qualname__", name) == name:
            rows.append((name, home, f"{home}.{name}"))
        else:  # a constant, or a name shared with another chapter: shown where this package imports it
            group = imported.get(name, f"dlcourse.{package}")
            if not group.startswith(f"dlcourse.{package}"):
                group = f"dlcourse.{package}"
            rows.append((name, group, f"dlcourse.{package}.{name}" if home else None))
    return rows


def api_page(package: str) -> str:
    title = SUBPACKAGES[package]
    lines = [f"# `dlcourse.{package}`", "", f"*{title}.*", "",
             f"::: dlcourse.{package}", "    options:", "      show_root_heading: false", "      members: false", ""]
    groups: dict[str, list[tuple[str, str]]] = {}
    for name, group, identifier in public_names(package):
        groups.setdefault(group, []).append((name, identifier))
    for group, names in groups.items():
        if group != f"dlcourse.{package}":
            lines += [f"::: {group}", "    options:", "      show_root_heading: true", "      show_root_full_path: true",
                      "      members: false", "      heading_level: 2", ""]
        else:
            lines += [f"## Defined in `dlcourse.{package}`", ""]
        for name, identifier in names:
            if identifier is None:
                value = repr(getattr(importlib.import_module(f"dlcourse.{package}"), name))
                value = value if len(value) <= 400 else value[:400] + " ..."
                lines += [f"### `{name}` {{ #{group}.{name} }}", "", f"*constant* of `{group}`:", "",
                          "```python", f"{name} = {value}", "```", ""]
            else:
                lines += [f"::: {identifier}", "    options:", "      heading_level: 3", ""]
    return "\n".join(lines)


def module_pages() -> dict[str, str]:
    """{dotted module: api page} for every module that has a heading on an API page."""
    pages = {}
    for package in SUBPACKAGES:
        for _, group, _ in public_names(package):
            pages.setdefault(group, f"api/{package}.md")
    return pages


def _exercise_anchor(exercise_id: str) -> str:
    return exercise_id.replace("/", "-")


def lecture_map_markdown(from_page: str) -> str:
    """The home page's spine: per section of the notes, its library pages and exercises."""
    from dlcourse.lecture import lecture_rows

    up = "../" * from_page.count("/")
    pages = module_pages()
    out = []
    for row in lecture_rows(ROOT):
        depth = row["number"].count(".")
        out.append(f"{'#' * min(depth + 2, 4)} §{row['number']} {row['title']}")
        out.append("")
        if row["modules"]:
            links = [f"[`{m}`]({up}{pages[m]}#{m})" if m in pages else f"`{m}`" for m in row["modules"]]
            out.append("**Library:** " + ", ".join(links))
            out.append("")
        if row["exercises"]:
            links = [f"[`{e}`]({up}exercises.md#{_exercise_anchor(e)})" for e in row["exercises"]]
            out.append("**Exercises:** " + ", ".join(links))
            out.append("")
        if row["beyond"]:
            out.append(f"**Beyond the notes:** {row['beyond']}.")
            out.append("")
        chapter = row["number"].split(".")[0]
        if "." not in row["number"]:
            example = next((page for folder, page in _EXAMPLES.items()
                            if folder.startswith(f"ch{int(chapter):02d}_") and (ROOT / "docs" / page).exists()), None)
            if example:
                out.append(f"**Worked example:** [chapter {chapter}]({up}{example})")
                out.append("")
        if not (row["modules"] or row["exercises"] or row["beyond"]) and "." not in row["number"]:
            out.append("*See its subsections.*" if any(r.startswith(row["number"] + ".") for r in _numbers())
                       else "*Not covered yet.*")
            out.append("")
    return "\n".join(out)


def _numbers():
    from dlcourse.lecture import SECTIONS

    return list(SECTIONS)


def exercises_markdown() -> str:
    from dlcourse.grading.course import Course
    from dlcourse.lecture import format_references

    out = []
    chapter = None
    for exercise in Course(ROOT).exercises:
        if exercise.chapter != chapter:
            chapter = exercise.chapter
            out += [f"## `{chapter}`", ""]
        checks = exercise.checks
        visible = sum(c.visible for c in checks)
        out += [f"### {exercise.title} {{#{_exercise_anchor(exercise.id)}}}", "",
                f"`{exercise.id}` · {exercise.max_score:g} points · {len(checks)} checks, {visible} visible "
                f"(`dlcourse check {exercise.id}`) · {format_references(exercise.lecture) or 'no lecture section'}",
                "", '??? note "The prompt"', "", "    ```text"]
        out += [f"    {line}".rstrip() for line in exercise.prompt.splitlines()]
        out += ["    ```", ""]
    return "\n".join(out)


def on_files(files, config):
    for package in SUBPACKAGES:
        files.append(File.generated(config, f"api/{package}.md", content=api_page(package)))
    return files


def on_page_markdown(markdown, page, config, files):
    if MAP_MARKER in markdown:
        markdown = markdown.replace(MAP_MARKER, lecture_map_markdown(page.file.src_uri))
    if EXERCISES_MARKER in markdown:
        markdown = markdown.replace(EXERCISES_MARKER, exercises_markdown())
    return markdown


def on_config(config):
    # Executed examples see where the course checkout is, and import this checkout's dlcourse.
    os.environ.setdefault("DLCOURSE_COURSE_ROOT", str(ROOT))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # The kernels draw figures inline, whatever backend the environment names.
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return config
