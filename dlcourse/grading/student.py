"""`dlcourse check`: a student runs the visible checks of their exercises on their own files.

The packaged checks (dlcourse/checks/<id>.py and .npz) hold only the visible checks; how many
points an exercise is worth in all comes from the prompt's title, "Title (N points)", in the
student's own file (a test holds every prompt's N to its grader's total), so the report can say
how much is left to the hidden checks that run at grading time.
"""

from __future__ import annotations

import ast
import concurrent.futures
import json
import os
import pathlib

import numpy as np

from dlcourse.grading.checks import checks_of
from dlcourse.grading.course import CHAPTERS, TITLE, CourseError
from dlcourse.grading.grade import Cache, Task, grade_choice, unflatten
from dlcourse.grading.probe import load_namespace
from dlcourse.grading.release import CHECKS_DIR, HASH_KEY
from dlcourse.grading.submissions import Choice, choose

SUFFIXES = (".py", ".ipynb")
# Folders that never hold a student's exercise files: a course's hidden tests and Python
# packages (dlcourse/checks, an installed dlcourse) hold files named like exercises.
_NOT_EXERCISES = {"graders", "__pycache__", "site-packages", "node_modules"}


def available(checks_dir: pathlib.Path = CHECKS_DIR) -> list[str]:
    return sorted(
        f"{p.parent.name}/{p.stem}" for chapter in CHAPTERS for p in (checks_dir / chapter).glob("*.py")
    )


def visible_task(exercise_id: str, checks_dir: pathlib.Path = CHECKS_DIR) -> Task:
    source_path = checks_dir / f"{exercise_id}.py"
    golden_path = checks_dir / f"{exercise_id}.npz"
    if not source_path.exists() or not golden_path.exists():
        known = ", ".join(available(checks_dir)) or "none"
        raise CourseError(f"there are no checks for {exercise_id!r}; exercises with checks: {known}.")
    source = source_path.read_text(encoding="utf-8")
    namespace = load_namespace(source, str(source_path))
    with np.load(golden_path, allow_pickle=False) as npz:
        reference = unflatten({k: npz[k] for k in npz.files if k != HASH_KEY})
    return Task(exercise_id, source, checks_of(namespace, strict=False), tuple(namespace.get("FORBIDDEN", ())),
                reference)


def default_paths(exercise_id: str) -> list[pathlib.Path]:
    """The files a student's work for `exercise_id` may be in, of those that exist: ./<id>.py,
    ./<name>.py, the .ipynb of either, and the same under exercises/."""
    name = exercise_id.split("/")[-1]
    found = [pathlib.Path(candidate) for candidate in (
        f"{exercise_id}.py", f"{name}.py", f"{exercise_id}.ipynb", f"{name}.ipynb",
        f"exercises/{exercise_id}.py", f"exercises/{exercise_id}.ipynb") if pathlib.Path(candidate).is_file()]
    if not found:
        raise CourseError(
            f"cannot find your file for {exercise_id}; run from the folder that holds {exercise_id}.py "
            "or pass --path FILE."
        )
    return found


def check(exercise_id: str, path: pathlib.Path | None, limits, files: list[pathlib.Path] | None = None) -> dict:
    """The exercise report of the visible checks on the student's file, with "points": the
    exercise's points in all, visible and hidden, from the file's prompt (None when unknown).
    `files`: the candidates to choose from instead of `default_paths` (as `discover` finds them).

    Without --path, every file found for the exercise whose code differs from the others' is
    checked and the best result shown, with the file it came from: the wheel holds no stub to
    tell an untouched `.py` from a solved `.ipynb` beside it, and the stub scores nothing."""
    task = visible_task(exercise_id)
    if path:
        path = pathlib.Path(path)
        if not path.is_file():
            raise CourseError(f"{path} does not exist; pass the file with your solution as --path FILE.")
        choice = Choice([path])
    else:
        choice = choose(exercise_id, files or default_paths(exercise_id), shown=lambda p: p.as_posix())
    report, isolation = grade_choice(task, choice, lambda p: p.as_posix(), limits, hide=[], cache=Cache(None))
    report["isolation"] = isolation or "not needed"
    report["points"] = stated_points(pathlib.Path(report["file"])) if report.get("file") else None
    return report


def exercise_named(name: str, checks_dir: pathlib.Path = CHECKS_DIR) -> str:
    """The id of the one exercise called `name` (e.g. "dense_forward"), or CourseError."""
    matches = [i for i in available(checks_dir) if i.split("/")[-1] == name]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CourseError(f"{name!r} names {len(matches)} exercises, {' and '.join(matches)}; "
                          f"pass the one you mean, e.g. `dlcourse check {matches[0]}`.")
    return visible_task(name, checks_dir).exercise_id  # raises: no checks, listing the known ids


def exercise_of(path: pathlib.Path, checks_dir: pathlib.Path = CHECKS_DIR) -> str:
    """The exercise a file is for, from its name: <chapter>/<name>.py, else <name>.py alone."""
    path = pathlib.Path(path)
    chapter = path.resolve().parent.name
    if chapter in CHAPTERS and f"{chapter}/{path.stem}" in available(checks_dir):
        return f"{chapter}/{path.stem}"
    if not any(i.split("/")[-1] == path.stem for i in available(checks_dir)):
        raise CourseError(f"{path} is not named after an exercise; name it like the exercise "
                          "(dense_forward.py) or say which one it is: dlcourse check ID --path FILE.")
    return exercise_named(path.stem, checks_dir)


def resolve(target: str | None, path: str | None = None, root: pathlib.Path | None = None,
            checks_dir: pathlib.Path = CHECKS_DIR):
    """([(exercise id, file or None, candidate files or None)], notes) for the command line
    `dlcourse check [TARGET] [--path FILE]`: the arguments of `check` for each exercise.

    TARGET is an id (`ch01_perceptron/dense_forward`), a bare name (`dense_forward`), or a file
    (`ch01_perceptron/dense_forward.py`, `./dense_forward.ipynb`); without TARGET and --path,
    every exercise file under `root` (the current folder). Notes name files found but not checked.
    """
    if target is None and path is None:
        return discover(root or pathlib.Path("."), checks_dir)
    if target is None:
        return [(exercise_of(_existing(path), checks_dir), pathlib.Path(path), None)], []
    if target.endswith(SUFFIXES):
        if path is not None:
            raise CourseError(f"name your file once: `dlcourse check {target}`, or an id with --path {path}.")
        return [(exercise_of(_existing(target), checks_dir), pathlib.Path(target), None)], []
    if len(pathlib.PurePath(target).parts) == 1:
        exercise_id = exercise_named(target, checks_dir)
    elif target in available(checks_dir):
        exercise_id = target
    else:
        exercise_id = visible_task(target, checks_dir).exercise_id  # raises: no checks, listing the known ids
    return [(exercise_id, _existing(path) if path else None, None)], []


def _existing(path) -> pathlib.Path:
    path = pathlib.Path(path)
    if not path.is_file():
        raise CourseError(f"{path} does not exist; pass the file with your solution (a .py or .ipynb file).")
    return path


def discover(root: pathlib.Path, checks_dir: pathlib.Path = CHECKS_DIR):
    """([(id, None, files)], notes): the exercise files in `root` (named <name>.py or .ipynb)
    and below it in chapter folders laid out like exercises/ (<chapter>/<name>.py); for each
    exercise, the files of the folder nearest `root` (`check` chooses among a .py and its .ipynb)."""
    known = set(available(checks_dir))
    by_name: dict[str, list[str]] = {}
    for exercise_id in sorted(known):
        by_name.setdefault(exercise_id.split("/")[-1], []).append(exercise_id)
    places: dict[str, list[pathlib.Path]] = {}  # id -> folders holding a file for it
    notes = []
    for folder, subfolders, files in os.walk(root):
        folder = pathlib.Path(folder)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith((".", "_")) and d not in _NOT_EXERCISES
                               and not (folder / d / "__init__.py").exists())
        chapter = folder.resolve().name
        for stem in sorted({pathlib.Path(f).stem for f in files if f.endswith(SUFFIXES)}):
            if chapter in CHAPTERS and f"{chapter}/{stem}" in known:
                places.setdefault(f"{chapter}/{stem}", []).append(folder)
            elif folder == root and len(by_name.get(stem, ())) == 1:
                places.setdefault(by_name[stem][0], []).append(folder)
            elif folder == root and len(by_name.get(stem, ())) > 1:
                notes.append(f"not checked: {stem}.py names {' and '.join(by_name[stem])}; put it in its "
                             f"chapter folder or run `dlcourse check {by_name[stem][0]} --path FILE`.")
    found = []
    for exercise_id in sorted(places, key=lambda i: (CHAPTERS.index(i.split("/")[0]), i)):
        nearest, *others = sorted(places[exercise_id], key=lambda f: (len(f.relative_to(root).parts), str(f)))
        name = exercise_id.split("/")[-1]
        found.append((exercise_id, None, _files(nearest, name)))
        for other in others:
            skipped = " and ".join(p.as_posix() for p in _files(other, name))
            notes.append(f"not checked: {skipped}, for {exercise_id} too, further down than "
                         f"{_files(nearest, name)[0].as_posix()}; check it with `dlcourse check FILE`.")
    return found, notes


def _files(folder: pathlib.Path, name: str) -> list[pathlib.Path]:
    return [folder / f"{name}{suffix}" for suffix in SUFFIXES if (folder / f"{name}{suffix}").is_file()]


def stated_points(path: pathlib.Path) -> float | None:
    """The points the prompt's title in the student's file announces, "Title (N points)"; None
    when the title is gone or unreadable (it is only ever shown, never used to grade)."""
    try:
        text = pathlib.Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if str(path).endswith(".ipynb"):
        try:
            cells = json.loads(text).get("cells", [])
            prompt = "".join(next(c for c in cells if c.get("cell_type") == "markdown").get("source", ""))
        except (ValueError, AttributeError, StopIteration, TypeError):
            return None
    else:
        try:
            prompt = ast.get_docstring(ast.parse(text)) or ""
        except (SyntaxError, ValueError):  # a syntax error further down leaves the prompt readable
            start = text.find('"""')
            prompt = text[start + 3:] if start >= 0 else ""
    lines = prompt.strip().splitlines()
    match = TITLE.match(lines[0].strip()) if lines else None
    return float(match.group("points")) if match else None


def check_all(arguments, limits, jobs: int = 1, progress=None) -> list[dict]:
    """The reports of `check` on each (exercise id, path, files) of `resolve`, in order, `jobs`
    at a time."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(check, exercise_id, path, limits, files) for exercise_id, path, files in arguments]
        for _ in concurrent.futures.as_completed(futures):
            if progress:
                progress()
        return [future.result() for future in futures]


def _pts(x) -> str:
    return f"{round(x, 4):g}"


def _hidden(points, visible_points, score) -> tuple[str, str]:
    """("1 of 5 points", "4 points are in hidden checks ...") for a score on the visible checks."""
    if points is None or points < visible_points:
        return f"{_pts(score)} of {_pts(visible_points)} visible points", "hidden checks run when your work is graded"
    hidden = points - visible_points
    if not hidden:
        return f"{_pts(score)} of {_pts(points)} points", "this has no hidden checks"
    are = "point is" if hidden == 1 else "points are"
    return f"{_pts(score)} of {_pts(points)} points", f"{_pts(hidden)} {are} in hidden checks that run when your work is graded"


def summary(report: dict) -> str:
    """"visible checks: 1/1 (1 of 5 points); 4 points are in hidden checks that run when your
    work is graded": the visible checks passed, and the points they earned of the exercise's."""
    passed = sum(t["status"] == "passed" for t in report["tests"])
    earned, rest = _hidden(report.get("points"), report["max_score"], report["score"])
    return f"visible checks: {passed}/{len(report['tests'])} ({earned}); {rest}"


def total_summary(reports: list[dict]) -> str:
    """The total under `dlcourse check` of many exercises."""
    passed = sum(t["status"] == "passed" for r in reports for t in r["tests"])
    checks = sum(len(r["tests"]) for r in reports)
    known = all(r.get("points") is not None and r["points"] >= r["max_score"] for r in reports)
    earned, rest = _hidden(sum(r["points"] for r in reports) if known else None,
                           sum(r["max_score"] for r in reports), sum(r["score"] for r in reports))
    plural = "s" if len(reports) != 1 else ""
    return f"total: visible checks {passed}/{checks} in {len(reports)} exercise{plural} ({earned}); {rest}"


def all_passed(reports: list[dict]) -> bool:
    return all(t["status"] == "passed" for r in reports for t in r["tests"])


def print_check(report: dict, console) -> None:
    """One exercise's visible checks with their feedback, and the summary line."""
    from rich.markup import escape
    from rich.table import Table

    from dlcourse.grading.report import STATUS_STYLE, _print_isolation

    console.print(f"[bold]{report['id']}[/]: your file {escape(str(report.get('file')))}")
    table = Table()
    for column, justify in (("check", "left"), ("status", "left"), ("points", "right"), ("feedback", "left")):
        table.add_column(column, justify=justify)
    for t in report["tests"]:
        table.add_row(t["name"], f"[{STATUS_STYLE[t['status']]}]{t['status']}[/]",
                      f"{_pts(t['score'])} / {_pts(t['max_score'])}", escape(t["feedback"]))
    console.print(table)
    if report.get("note"):
        console.print(f"[yellow]note:[/] {escape(report['note'])}")
    console.print(summary(report) + ".")
    _print_isolation(report.get("isolation", ""), console)


def print_checks(reports: list[dict], console) -> None:
    """One line per exercise (with the first failing check's feedback), and a total."""
    from rich.markup import escape
    from rich.table import Table

    from dlcourse.grading.report import _print_isolation

    table = Table()
    for column in ("exercise", "file", "result", "first problem"):
        table.add_column(column)
    for report in reports:
        failing = next((t for t in report["tests"] if t["status"] != "passed"), None)
        problem = f"{failing['name']}: {failing['feedback']}" if failing else ""
        style = "green" if failing is None else "yellow"
        table.add_row(report["id"], escape(str(report.get("file"))), f"[{style}]{summary(report).split(';')[0]}[/]",
                      escape(problem if len(problem) <= 100 else problem[:97] + "..."))
    console.print(table)
    for report in reports:
        if report.get("note"):
            console.print(f"[yellow]note:[/] {report['id']}: {escape(report['note'])}")
    console.print(total_summary(reports) + ".")
    unfinished = [r["id"] for r in reports if not all_passed([r])]
    if unfinished:
        console.print(f"Every check's feedback for one exercise: dlcourse check {unfinished[0]}")
    unsafe = sorted(r["isolation"] for r in reports if r.get("isolation", "").startswith("none"))
    if unsafe:
        _print_isolation(unsafe[0], console)
