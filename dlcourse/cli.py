"""The `dlcourse` command: release, check, grade, nbgrader, list."""

from __future__ import annotations

import os
import pathlib
import shutil
import sys
import tempfile

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dlcourse.grading.course import Course, CourseError
from dlcourse.grading.runner import Limits

# Piped output (CI logs, `| less`) keeps ids whole instead of wrapping at 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


def _limits(timeout, memory):
    return Limits(memory_mb=memory, timeout_cap=timeout)


def _fail(message: str):
    err_console.print(f"[bold red]error:[/] {message}")
    sys.exit(2)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CourseError as err:
            _fail(str(err))


_common = [
    click.option("--timeout", type=click.FloatRange(min=0.5), default=None,
                 help="Cap every check's wall-clock limit at this many seconds."),
    click.option("--memory", type=click.IntRange(min=256), default=4096, show_default=True,
                 help="Memory limit of each sandboxed child, in MiB."),
]


def _with_common(fn):
    for option in reversed(_common):
        fn = option(fn)
    return fn


@click.group(cls=_Group)
@click.version_option(package_name="dlcourse")
def main():
    """dlcourse: the Advanced Deep Learning Architecture course -- release, check, grade."""


def _grade_with_progress(run_grade, the_course, submissions, limits, cache, jobs, hidden, chapters):
    if len(submissions) <= 1:
        return run_grade(the_course, submissions, limits, cache, jobs, hidden, chapters=chapters)
    with Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err_console) as bar:
        task = bar.add_task("", total=len(submissions))
        return run_grade(the_course, submissions, limits, cache, jobs, hidden,
                         progress=lambda name: bar.update(task, advance=1, description=name), chapters=chapters)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--course", type=click.Path(file_okay=False), help="Course checkout (default: found from here).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the full report as JSON.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Write a class CSV (one row per submission).")
@click.option("--feedback", "feedback_dir", type=click.Path(file_okay=False), help="Write one feedback file per submission.")
@click.option("--gradescope", "gradescope_dir", type=click.Path(file_okay=False), help="Write Gradescope results.json.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default=True,
              help="Exercises graded in parallel.")
@click.option("--no-cache", is_flag=True, help="Grade everything again instead of resuming from .dlcourse-cache/.")
@click.option("--chapters", "-c", multiple=True, metavar="CHAPTER",
              help="Grade only these chapters (repeatable), e.g. -c ch01_perceptron; default: all.")
@_with_common
def grade(paths, course, json_path, csv_path, feedback_dir, gradescope_dir, jobs, no_cache, chapters, timeout,
          memory):
    """Grade submissions (folders like exercises/, archives, or a folder of them) with hidden tests.

    Exits 0 whenever grading completed, whatever the scores.
    """
    from dlcourse.grading import report as reports
    from dlcourse.grading.grade import Cache, grade as run_grade
    from dlcourse.grading.submissions import discover

    the_course = Course.find(course)
    # Earlier reports (other students' scores) are hidden from student code: the report files
    # and folders themselves, never the folders around them (that could be /tmp or $HOME).
    outputs = [pathlib.Path(p).resolve() for p in (json_path, csv_path, feedback_dir, gradescope_dir) if p]
    cache = Cache(None if no_cache else the_course.root / ".dlcourse-cache")
    with tempfile.TemporaryDirectory(prefix="dlcourse-grade-") as workdir:
        submissions = discover(list(paths), pathlib.Path(workdir))
        hidden = [pathlib.Path(workdir), *(o for o in outputs if o != pathlib.Path.cwd().resolve())]
        limits = _limits(timeout, memory)
        try:
            report = _grade_with_progress(run_grade, the_course, submissions, limits, cache, jobs, hidden, chapters)
        except KeyboardInterrupt:
            err_console.print("interrupted: what was graded is cached; run the same command again to resume.")
            # Not sys.exit, which would wait for the grading threads: every child dies with us.
            from dlcourse.grading.runner import stop_zygote

            stop_zygote()
            shutil.rmtree(workdir, ignore_errors=True)
            sys.stdout.flush()
            os._exit(130)
    reports.print_report(report, console)

    if json_path:
        reports.write_json(report, pathlib.Path(json_path))
    if csv_path:
        reports.write_csv(report, pathlib.Path(csv_path))
    if feedback_dir:
        reports.write_feedback(report, pathlib.Path(feedback_dir))
    if gradescope_dir:
        reports.write_gradescope(report, pathlib.Path(gradescope_dir))


@main.command()
@click.argument("exercise_id")
@click.option("--path", type=click.Path(dir_okay=False), help="Your file (default: ./<id>.py or ./<name>.py).")
@_with_common
def check(exercise_id, path, timeout, memory):
    """Run the visible checks of EXERCISE_ID (e.g. ch01_perceptron/dense_forward) on your file."""
    from dlcourse.grading.report import print_exercise
    from dlcourse.grading.student import check as run_check

    report = run_check(exercise_id.removesuffix(".py"), path, _limits(timeout, memory))
    print_exercise(report, console)
    sys.exit(0 if report["score"] == report["max_score"] else 1)


@main.command()
@click.option("--course", type=click.Path(file_okay=False), help="Course checkout (default: found from here).")
@click.option("--check", "check_only", is_flag=True, help="Only report stale generated files; exit 1 if any.")
@click.option("--bundle", type=click.Path(file_okay=False),
              help="Also copy the stubs and notebooks to this folder, to hand out to students.")
def release(course, check_only, bundle):
    """Generate exercises/ (stubs and notebooks) and the packaged visible checks from solutions/."""
    from dlcourse.grading import release as releases

    the_course = Course.find(course)
    if check_only:
        problems = releases.stale(the_course)
        if problems:
            err_console.print("exercises/ or dlcourse/checks/ is stale -- run `dlcourse release`:")
            for problem in problems:
                err_console.print(f"  {problem}")
            sys.exit(1)
        console.print(f"up to date: {len(the_course.exercises)} exercises")
        return
    changed = releases.release(the_course, Limits(), log=lambda m: err_console.print(f"[dim]{m}[/]"))
    for path in changed:
        console.print(f"wrote {path.relative_to(the_course.root) if path.is_relative_to(the_course.root) else path}")
    console.print(f"released {len(the_course.exercises)} exercises ({len(changed)} files changed)")
    if bundle:
        target = releases.write_bundle(the_course, pathlib.Path(bundle))
        console.print(f"student bundle: {target}")


@main.command()
@click.argument("course_dir", type=click.Path(file_okay=False))
@click.option("--course", type=click.Path(file_okay=False), help="Course checkout (default: found from here).")
@click.option("--chapters", "-c", multiple=True, metavar="CHAPTER",
              help="Only these chapters (repeatable), e.g. -c ch01_perceptron; default: all.")
def nbgrader(course_dir, course, chapters):
    """Create or update an nbgrader course in COURSE_DIR: config, one assignment per chapter.

    Files you have edited are kept. Then use nbgrader as usual, from COURSE_DIR:
    `nbgrader generate_assignment CHAPTER`, `nbgrader autograde CHAPTER`, `nbgrader export`.
    """
    from dlcourse.grading import nbgrader_bridge

    the_course = Course.find(course)
    root = pathlib.Path(course_dir).resolve()
    outcome = nbgrader_bridge.build(the_course, root, chapters)
    for path in outcome.written:
        console.print(f"wrote {path.relative_to(root)}")
    for path in outcome.kept:
        err_console.print(f"[yellow]kept[/] {path.relative_to(root)}: you changed it; delete it to regenerate.")
    console.print(f"nbgrader course at {root}: {len(outcome.written)} written, {len(outcome.unchanged)} unchanged, "
                  f"{len(outcome.kept)} kept. Next: cd {root} && nbgrader generate_assignment CHAPTER")


@main.command(name="list")
@click.option("--course", type=click.Path(file_okay=False), help="Course checkout (default: found from here).")
def list_exercises(course):
    """List the exercises with their points and the lecture sections they examine."""
    from rich.table import Table

    the_course = Course.find(course)
    table = Table()
    for column in ("exercise", "title", "lecture", "points", "checks (visible)"):
        table.add_column(column)
    for ex in the_course.exercises:
        checks = ex.checks
        lecture = ", ".join(f"§{number}" for number, _ in ex.lecture) or "-"
        table.add_row(ex.id, ex.title, lecture, f"{ex.max_score:g}", f"{len(checks)} ({sum(c.visible for c in checks)})")
    console.print(table)


if __name__ == "__main__":
    main()
