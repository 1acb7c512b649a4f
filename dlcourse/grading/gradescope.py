"""The Gradescope autograder: `dlcourse gradescope build OUT.zip` and what runs inside it.

Gradescope builds an image from the zip (unpacked to /autograder/source, then `setup.sh`), and for
each submission runs `run_autograder`, which must leave /autograder/results/results.json. The zip
holds:

- `setup.sh`: makes a virtual environment /autograder/dlcourse-venv and pip-installs dlcourse into
  it -- by default from a wheel of the instructor's own dlcourse bundled in the zip (so Gradescope
  grades with exactly the code the instructor grades with; its dependencies come from PyPI), or
  with `--pypi` `dlcourse==<version>` from PyPI -- then computes the reference results once, so
  that each submission only runs the student's code;
- `run_autograder`: `dlcourse gradescope run`, which grades /autograder/submission like
  `dlcourse grade` (sandbox, limits, deadlines) and writes results.json;
- the assignment's `solutions/` and `graders/` files (they are never in the wheel), a
  `course.toml` holding that one assignment, and `dlcourse-autograder.json` naming it.

`DLCOURSE_AUTOGRADER_ROOT` moves /autograder (to try the autograder on your machine) and
`DLCOURSE_PYTHON` names the Python that has dlcourse; Gradescope needs neither.
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

from dlcourse import __version__
from dlcourse.grading.assignments import COURSE_FILE, Assignment
from dlcourse.grading.course import Course, CourseError, Exercise

CONFIG = "dlcourse-autograder.json"
VENV = "dlcourse-venv"

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (written by
# `dlcourse gradescope build`). It installs into a virtual environment
#   {what},
# then computes the reference results once, for every submission to reuse.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="${{DLCOURSE_AUTOGRADER_ROOT:-/autograder}}"
PY=python3
if ! command -v python3 >/dev/null || ! python3 -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    apt-get update -q
    apt-get install -y -q python3.11 python3.11-venv || apt-get install -y -q python3 python3-venv
    PY=$(command -v python3.11 || command -v python3)
fi
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {{
    echo "dlcourse needs Python >= 3.11: choose a newer Ubuntu base image in Gradescope's autograder settings." >&2
    exit 1
}}
"$PY" -m venv "$ROOT/{venv}"
"$ROOT/{venv}/bin/python" -m pip install -q --upgrade pip
"$ROOT/{venv}/bin/python" -m pip install -q {install}
"$ROOT/{venv}/bin/python" -m dlcourse.cli gradescope run --root "$ROOT" --prepare
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission (written by `dlcourse gradescope build`): it grades
# /autograder/submission with the hidden tests in /autograder/source, in dlcourse's sandbox, and
# writes /autograder/results/results.json.
set -euo pipefail
ROOT="${{DLCOURSE_AUTOGRADER_ROOT:-/autograder}}"
PY="${{DLCOURSE_PYTHON:-$ROOT/{venv}/bin/python}}"
exec "$PY" -m dlcourse.cli gradescope run --root "$ROOT"
"""


# -- building the zip ------------------------------------------------------------------------

def _checkout() -> pathlib.Path | None:
    """The source tree dlcourse runs from (an editable install), or None."""
    top = pathlib.Path(__file__).resolve().parents[2]
    project = top / "pyproject.toml"
    if project.is_file() and 'name = "dlcourse"' in project.read_text(encoding="utf-8"):
        return top
    return None


def build_wheel(folder: pathlib.Path) -> pathlib.Path:
    """A wheel of the dlcourse this process runs, built offline from a copy of its source tree
    (the checkout itself gets no build/ folder)."""
    top = _checkout()
    if top is None:
        raise CourseError("dlcourse is not running from a source checkout, so no wheel can be built; pass "
                          "--wheel FILE (e.g. from `pip download dlcourse --no-deps`) or --pypi.")
    with tempfile.TemporaryDirectory(prefix="dlcourse-wheel-") as tmp:
        source = pathlib.Path(tmp) / "src"
        shutil.copytree(top / "dlcourse", source / "dlcourse",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            if (top / name).is_file():
                shutil.copy(top / name, source / name)
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                               "--no-index", "-q", "-w", str(folder), str(source)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise CourseError(f"building the dlcourse wheel failed ({last}); install the build tools with "
                              "`pip install -e \".[dev]\"`, or pass --wheel FILE or --pypi.")
    (wheel,) = folder.glob("dlcourse-*.whl")
    return wheel


def _course_file(assignment: Assignment) -> str:
    """A course.toml holding only `assignment` (the zip carries only its exercises)."""
    lines = ["# The one assignment this Gradescope autograder grades (written by `dlcourse gradescope build`).",
             f"[assignments.{assignment.name}]"]
    if assignment.title:
        lines.append(f"title = {json.dumps(assignment.title)}")
    if assignment.due:
        lines.append(f"due = {assignment.due.isoformat()}")
    lines.append("exercises = [" + ", ".join(json.dumps(e.id) for e in assignment.exercises) + "]")
    weights = {e.id: assignment.weight(e.id) for e in assignment.exercises if assignment.weight(e.id) != 1}
    if weights:
        lines.append("weights = { " + ", ".join(f"{json.dumps(k)} = {v:g}" for k, v in weights.items()) + " }")
    return "\n".join(lines) + "\n"


def _add(zf: zipfile.ZipFile, name: str, data: bytes, executable=False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def build(course: Course, out: pathlib.Path, assignment: str | None = None, wheel: str | None = None,
          pypi: bool = False) -> dict:
    """Write the autograder zip to `out`; returns what it holds ({"exercises", "install", "points"})."""
    out = pathlib.Path(out)
    if out.suffix.lower() != ".zip":
        raise CourseError(f"{out} does not end in .zip; Gradescope takes the autograder as a .zip file.")
    if wheel and pypi:
        raise CourseError("pass either --wheel or --pypi, not both.")
    chosen = course.assignment(assignment) if assignment else None
    exercises: list[Exercise] = list(chosen.exercises) if chosen else course.exercises
    if not exercises:
        raise CourseError(f"{course.root} has no exercises (solutions/<chapter>/<name>.py with a grader).")
    with tempfile.TemporaryDirectory(prefix="dlcourse-gradescope-") as tmp:
        if pypi:
            install, what = f"'dlcourse=={__version__}'", f"dlcourse {__version__} from PyPI"
            bundled = None
        else:
            if wheel:
                bundled = pathlib.Path(wheel)
                if not bundled.is_file() or not bundled.name.startswith("dlcourse-") or bundled.suffix != ".whl":
                    raise CourseError(f"{wheel} is not a dlcourse wheel file (dlcourse-*.whl).")
            else:
                bundled = build_wheel(pathlib.Path(tmp))
            install = f'"$PWD/wheels/{bundled.name}"'
            what = f"the bundled wheels/{bundled.name} (its dependencies from PyPI)"
        config = {"dlcourse": __version__, "assignment": chosen.name if chosen else None,
                  "exercises": [e.id for e in exercises],
                  "built": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with zipfile.ZipFile(partial, "w") as zf:
            _add(zf, "setup.sh", SETUP_SH.format(what=what, venv=VENV, install=install).encode(), executable=True)
            _add(zf, "run_autograder", RUN_AUTOGRADER.format(venv=VENV).encode(), executable=True)
            _add(zf, CONFIG, (json.dumps(config, indent=1) + "\n").encode())
            if chosen:
                _add(zf, COURSE_FILE, _course_file(chosen).encode())
            if bundled:
                _add(zf, f"wheels/{bundled.name}", bundled.read_bytes())
            for exercise in exercises:
                _add(zf, f"solutions/{exercise.id}.py", exercise.solution.read_bytes())
                _add(zf, f"graders/{exercise.id}.py", exercise.grader.read_bytes())
        os.replace(partial, out)
    return {"exercises": [e.id for e in exercises], "install": what,
            "points": sum(e.max_score for e in exercises), "assignment": chosen}


# -- inside Gradescope -----------------------------------------------------------------------

def results_json(sub: dict, isolation: str) -> dict:
    """Gradescope's results.json (report.gradescope_results: one test per check, scaled by the
    exercise's weight), its output saying which file was graded for each exercise."""
    from dlcourse.grading.report import gradescope_results

    results = gradescope_results(sub)
    graded = [f"{ex['id']}: {ex['file']}" for ex in sub["exercises"] if ex.get("file")]
    missing = [ex["id"] for ex in sub["exercises"] if not ex.get("file")]
    lines = [f"Graded {len(graded)} of {len(sub['exercises'])} exercises."]
    if graded:
        lines.append("Files graded: " + "; ".join(graded) + ".")
    if missing:
        lines.append("No file found for: " + ", ".join(missing) + " (upload <name>.py or <name>.ipynb, or a zip "
                     "of the folder laid out like exercises/).")
    results["output"] = "\n".join([*lines, *([results["output"]] if results.get("output") else [])])
    results["stdout_visibility"] = "hidden"
    if isolation.startswith("none"):
        # Gradescope shows stdout to instructors only (stdout_visibility "hidden").
        print(f"WARNING: student code ran WITHOUT isolation ({isolation}); it could read the hidden tests.")
    return results


def run(root: pathlib.Path, prepare: bool = False, jobs: int | None = None, limits=None) -> dict | None:
    """Grade `root`/submission with the course in `root`/source; write `root`/results/results.json
    and return it. With `prepare`, only compute and cache the reference results (in setup.sh)."""
    from dlcourse.grading.grade import Cache, grade, task_for
    from dlcourse.grading.runner import Limits
    from dlcourse.grading.submissions import Submission

    root = pathlib.Path(root).resolve()
    source = root / "source"
    try:
        config = json.loads((source / CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise CourseError(f"{source / CONFIG} is missing or unreadable; rebuild the zip with "
                          "`dlcourse gradescope build` and upload it again.") from None
    course = Course(source)
    chosen = course.assignment(config["assignment"]) if config.get("assignment") else None
    exercises = list(chosen.exercises) if chosen else course.exercises
    limits = limits or Limits()
    cache = Cache(source / ".dlcourse-cache")
    if prepare:
        for exercise in exercises:
            task_for(exercise, limits, cache)
        print(f"reference results cached for {len(exercises)} exercises")
        return None
    # Gradescope keeps the folders of an uploaded zip but flattens files uploaded one by one: the
    # submission is located as `dlcourse grade` locates any (flat names, extra folders, no links).
    submission = root / "submission"
    submission.mkdir(exist_ok=True)
    # Everything Gradescope keeps in /autograder (the course, the submission, its metadata with
    # other attempts' scores, the results) is hidden from student code; the sandbox keeps the
    # Python it runs on (the venv) visible.
    hidden = [p for p in sorted(root.iterdir()) if p.name != VENV]
    report = grade(course, [Submission("submission", submission)], limits, cache, jobs or os.cpu_count() or 1,
                   extra_hidden=hidden, exercises=exercises)
    if chosen:
        from dlcourse.grading.assignments import apply

        apply(report, chosen)
    (sub,) = report["submissions"]
    results = results_json(sub, report.get("isolation", ""))
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"{sub['score']:g} / {sub['max_score']:g} points ({results['score']:g} on Gradescope); "
          f"isolation: {report.get('isolation', '')}; wrote {out}")
    return results
