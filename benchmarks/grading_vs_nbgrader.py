"""Grading speed: `dlcourse grade` against `nbgrader autograde`, on the same submissions.

Builds an nbgrader course with `dlcourse nbgrader`, releases it with `nbgrader
generate_assignment`, and submits the reference answers for N students. Then it times, per
submission:

- `dlcourse grade` on the students' notebooks (sandboxed, `--jobs` = CPU count);
- plain `nbgrader autograde` (nbgrader's own `Execute`: one Jupyter kernel per notebook, the
  test cells run in the student's kernel -- the set-up dlcourse exists to replace);
- `nbgrader autograde` with dlcourse's config (`SandboxGrade` instead of `Execute`).

Every student's notebooks are different text (signed), so no graded result is reused; the
reference outputs are computed once before timing, and the result cache is emptied before each
of the three runs. Scores are checked equal across the three. Run from the repository root:

    python benchmarks/grading_vs_nbgrader.py [--students 3] [--chapters ch01_perceptron ...]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent


def run(args, cwd, env=None):
    # nbgrader shells out to `alembic`, which lives beside this interpreter (the virtualenv's
    # bin/), on PATH or not.
    env = dict(env or os.environ)
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return proc


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def fill_in(release: pathlib.Path, source: pathlib.Path, target: pathlib.Path, student: str):
    """The released notebook with the reference answers typed into its answer cells, signed by
    the student -- so that no two submissions are the same text and no result is reused."""
    notebook = nbformat.read(release, as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nbformat.read(source, as_version=4).cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = f"# answer by {student}\n" + answers[cell.metadata["nbgrader"]["grade_id"]]
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)


def exported_scores(course_dir: pathlib.Path) -> dict:
    import csv

    with open(course_dir / "grades.csv") as f:
        return {(r["student_id"], r["assignment"]): float(r["raw_score"]) for r in csv.DictReader(f)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3)
    parser.add_argument("--chapters", nargs="+", default=["ch01_perceptron", "ch02_training"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    work = pathlib.Path(tempfile.mkdtemp(prefix="dlcourse-bench-"))
    sandboxed = work / "sandboxed"
    chapter_args = [a for c in args.chapters for a in ("-c", c)]
    run([sys.executable, "-m", "dlcourse.cli", "nbgrader", sandboxed, "--course", ROOT, *chapter_args], ROOT)
    for chapter in args.chapters:
        run([sys.executable, "-m", "nbgrader", "generate_assignment", chapter], sandboxed)
    students = [f"student{i:02d}" for i in range(args.students)]
    for student in students:
        for chapter in args.chapters:
            for release in sorted((sandboxed / "release" / chapter).glob("*.ipynb")):
                fill_in(release, sandboxed / "source" / chapter / release.name,
                        sandboxed / "submitted" / student / chapter / release.name, student)
    plain = work / "plain"
    shutil.copytree(sandboxed, plain)
    (plain / "nbgrader_config.py").write_text("c = get_config()  # nbgrader's defaults\n")

    # Reference outputs once, outside the timings; no graded result is reused.
    results_cache = ROOT / ".dlcourse-cache" / "results"
    submissions = [sandboxed / "submitted" / s for s in students]
    run([sys.executable, "-m", "dlcourse.cli", "grade", submissions[0], "--course", ROOT, *chapter_args], ROOT)
    env = dict(os.environ, DLCOURSE_COURSE=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")

    def dlcourse_grade():
        shutil.rmtree(results_cache, ignore_errors=True)
        report = work / "report.json"
        run([sys.executable, "-m", "dlcourse.cli", "grade", *submissions, "--course", ROOT, "--jobs",
             str(args.jobs), "--json", report, *chapter_args], ROOT)
        return json.loads(report.read_text())

    def autograde(course_dir):
        def go():
            shutil.rmtree(results_cache, ignore_errors=True)
            for chapter in args.chapters:
                run([sys.executable, "-m", "nbgrader", "autograde", chapter], course_dir, env)
            run([sys.executable, "-m", "nbgrader", "export"], course_dir, env)
        return go

    report = {}
    seconds = {
        "dlcourse grade": timed(lambda: report.update(dlcourse_grade())),
        "nbgrader autograde (plain: test cells in the student's kernel)": timed(autograde(plain)),
        "nbgrader autograde (dlcourse config: SandboxGrade)": timed(autograde(sandboxed)),
    }
    ours = {s["submission"]: {} for s in report["submissions"]}
    for s in report["submissions"]:
        for e in s["exercises"]:
            chapter = e["id"].split("/")[0]
            ours[s["submission"]][chapter] = ours[s["submission"]].get(chapter, 0) + e["score"]
    for course_dir in (plain, sandboxed):
        exported = exported_scores(course_dir)
        for student in students:
            for chapter in args.chapters:
                assert abs(exported[(student, chapter)] - ours[student][chapter]) < 1e-6, (course_dir.name, student, chapter)

    per = {name: s / len(students) for name, s in seconds.items()}
    base = per["dlcourse grade"]
    print(f"{len(students)} submissions x {sum(1 for _ in (sandboxed / 'source').rglob('*.ipynb'))} notebooks "
          f"({', '.join(args.chapters)}), {os.cpu_count()} CPUs; scores agree across all three.")
    for name, value in per.items():
        ratio = "" if name == "dlcourse grade" else f"   dlcourse grade is {value / base:.1f}x faster"
        print(f"  {name:<66} {value:7.2f} s per submission{ratio}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
