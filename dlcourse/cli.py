"""The `dlcourse` command: release, check, grade, nbgrader, list."""

from __future__ import annotations

import os
import pathlib
import shutil
import sys
import tempfile
import threading
import time

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn,
                           TimeElapsedColumn)
from rich.text import Text

from dlcourse.grading.course import Course, CourseError
from dlcourse.grading.runner import Limits

# Piped output (CI logs, `| less`) keeps ids whole instead of wrapping at 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


def _limits(timeout, memory):
    return Limits(memory_mb=memory, timeout_cap=timeout)


def _fail(message: str):
    err_console.print(f"[bold red]error:[/] {escape(message)}")  # `pip install "dlcourse[gnn]"` is not markup
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


class _Running(ProgressColumn):
    """The exercise graded longest right now and for how long, rendered at every refresh: a hang
    shows as a ticking clock beside the exercise that hangs, not as a frozen bar."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._since: dict = {}  # (submission, exercise id) -> when it started, oldest first

    def event(self, name: str, exercise_id: str, started: bool) -> None:
        with self._lock:
            if started:
                self._since[(name, exercise_id)] = time.monotonic()
            else:
                self._since.pop((name, exercise_id), None)

    def render(self, task):
        with self._lock:
            if not self._since:
                return Text("")
            (name, exercise_id), since = next(iter(self._since.items()))
            more = len(self._since) - 1
        seconds = int(time.monotonic() - since)
        return Text(f"now {seconds // 60}:{seconds % 60:02d} {name} {exercise_id}"
                    + (f" (+{more} more)" if more else ""), style="dim", no_wrap=True, overflow="ellipsis")


def _grade_with_progress(run_grade, the_course, submissions, limits, cache, jobs, hidden, exercises):
    """Grade with a live display on stderr: submissions done (a class) or exercises done (one
    submission), the time so far, and the exercise graded longest right now."""
    many = len(submissions) > 1
    if not many and not err_console.is_terminal:  # a log gets the table, not a spinner's last frame
        return run_grade(the_course, submissions, limits, cache, jobs, hidden, exercises=exercises)
    running = _Running()
    label = "grading" if many else f"grading {escape(submissions[0].name)}"
    with Progress(SpinnerColumn(), TextColumn(label), BarColumn(bar_width=20), MofNCompleteColumn(),
                  TimeElapsedColumn(), running, console=err_console, transient=not many) as bar:
        task = bar.add_task("", total=len(submissions) if many else len(exercises))

        def on_exercise(name, exercise_id, started):
            running.event(name, exercise_id, started)
            if not many and not started:
                bar.advance(task)

        # grade() reports each exercise's start and end (`on_exercise`).
        return run_grade(the_course, submissions, limits, cache, jobs, hidden,
                         progress=(lambda name: bar.advance(task)) if many else None, exercises=exercises,
                         on_exercise=on_exercise)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--course", type=click.Path(file_okay=False), help="Course checkout (default: found from here).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the full report as JSON.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Write a class CSV (one row per submission).")
@click.option("--feedback", "feedback_dir", type=click.Path(file_okay=False), help="Write one feedback file per submission.")
@click.option("--gradescope", "gradescope_dir", type=click.Path(file_okay=False),
              help="Write the results.json Gradescope's autograder would give each submission (DIR/<name>/ for a "
                   "class), to preview it; Gradescope cannot import these: upload `dlcourse gradescope build`'s zip.")
@click.option("--stats", "stats_dir", type=click.Path(file_okay=False),
              help="Write the class statistics (stats.csv) and a score histogram (scores.png) here "
                   "(default: next to --csv, for a class).")
@click.option("--assignment", "-a", metavar="NAME",
              help="Grade, report and fill the CSV for this assignment of course.toml only "
                   "(without a course.toml: one per chapter, named after it).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default=True,
              help="Exercises graded in parallel.")
@click.option("--cluster", metavar="ADDRESS|local:N",
              help="Run the sandboxed checks on a Dask cluster: a scheduler's address (tcp://host:8786) or "
                   "local:N worker processes here; needs dlcourse[cluster]. Judging stays on this machine.")
@click.option("--no-cache", is_flag=True, help="Grade everything again instead of resuming from .dlcourse-cache/.")
@click.option("--chapters", "-c", multiple=True, metavar="CHAPTER",
              help="Grade only these chapters (repeatable), e.g. -c ch01_perceptron; default: all.")
@_with_common
def grade(paths, course, json_path, csv_path, feedback_dir, gradescope_dir, stats_dir, assignment, jobs, cluster,
          no_cache, chapters, timeout, memory):
    """Grade submissions (folders like exercises/, archives, or a folder of them) with hidden tests.

    Exits 0 whenever grading completed, whatever the scores.
    """
    import contextlib
    import functools

    from dlcourse.grading import report as reports
    from dlcourse.grading.grade import Cache, grade as run_grade
    from dlcourse.grading.submissions import discover

    the_course = Course.find(course)
    if assignment and chapters:
        raise CourseError("pass either --assignment or --chapters, not both (an assignment names its exercises "
                          "in course.toml).")
    chosen = the_course.assignment(assignment) if assignment else None
    # Every argument is checked before the progress display starts, so an error stands alone.
    selected = chosen.exercises if chosen else the_course.select(chapters)
    if not selected:
        raise CourseError(f"{the_course.root} has no exercises (solutions/<chapter>/<name>.py with a grader).")
    # Earlier reports (other students' scores) are hidden from student code: the report files
    # and folders themselves, never the folders around them (that could be /tmp or $HOME).
    outputs = [pathlib.Path(p).resolve() for p in (json_path, csv_path, feedback_dir, gradescope_dir, stats_dir)
               if p]
    cache = Cache(None if no_cache else the_course.root / ".dlcourse-cache")
    with tempfile.TemporaryDirectory(prefix="dlcourse-grade-") as workdir:
        submissions = discover(list(paths), pathlib.Path(workdir))
        hidden = [pathlib.Path(workdir), *(o for o in outputs if o != pathlib.Path.cwd().resolve())]
        limits = _limits(timeout, memory)
        try:
            with contextlib.ExitStack() as on_cluster:
                if cluster:  # connected (and its workers' versions checked) before the progress display
                    from dlcourse.grading.cluster import connect

                    say = lambda message: err_console.print(f"[yellow]warning:[/] {escape(message)}")  # noqa: E731
                    run_grade = functools.partial(run_grade, run=on_cluster.enter_context(connect(cluster, say)))
                report = _grade_with_progress(run_grade, the_course, submissions, limits, cache, jobs, hidden,
                                              selected)
        except KeyboardInterrupt:
            err_console.print("interrupted: what was graded is cached; run the same command again to resume.")
            # Not sys.exit, which would wait for the grading threads: every child dies with us.
            from dlcourse.grading.runner import stop_zygote

            stop_zygote()
            shutil.rmtree(workdir, ignore_errors=True)
            sys.stdout.flush()
            os._exit(130)
    if chosen:
        from dlcourse.grading.assignments import apply

        apply(report, chosen)
    reports.print_report(report, console)

    if json_path:
        reports.write_json(report, pathlib.Path(json_path))
    if csv_path:
        reports.write_csv(report, pathlib.Path(csv_path))
    if feedback_dir:
        reports.write_feedback(report, pathlib.Path(feedback_dir))
    if gradescope_dir:
        reports.write_gradescope(report, pathlib.Path(gradescope_dir))
    reports.print_statistics(report, console)
    if stats_dir or (csv_path and len(report["submissions"]) > 1):
        if stats_dir:
            stats_csv, plot = pathlib.Path(stats_dir) / "stats.csv", pathlib.Path(stats_dir) / "scores.png"
        else:
            base = pathlib.Path(csv_path)
            stats_csv, plot = base.with_name(f"{base.stem}-stats.csv"), base.with_name(f"{base.stem}-scores.png")
        reports.write_statistics(report, stats_csv, plot)
        console.print(f"class statistics: {stats_csv}, histogram: {plot}")


@main.command()
@click.argument("target", required=False, metavar="[EXERCISE|FILE]")
@click.option("--path", type=click.Path(dir_okay=False), help="Your file (default: ./<id>.py or ./<name>.py).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default=True,
              help="Exercises checked in parallel (without EXERCISE).")
@_with_common
def check(target, path, jobs, timeout, memory):
    """Run the visible checks of an exercise on your file; without EXERCISE, of every exercise here.

    EXERCISE is an id (ch01_perceptron/dense_forward), a name (dense_forward) or your file
    (ch01_perceptron/dense_forward.py, ./dense_forward.ipynb). Without it, every exercise file in
    this folder and in chapter folders below it (laid out like exercises/) is checked. Exits 0
    when every visible check passed. Hidden checks run only when your work is graded.
    """
    from dlcourse.grading import student

    pairs, notes = student.resolve(target, path)
    if not pairs:
        raise CourseError("no exercise files here: run in the folder with your exercises "
                          "(ch01_perceptron/dense_forward.py, ...), or name one: dlcourse check ID.")
    limits = _limits(timeout, memory)
    if target is None and path is None:
        with Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err_console, transient=True) as bar:
            task = bar.add_task("", total=len(pairs))
            reports = student.check_all(pairs, limits, jobs, progress=lambda: bar.update(task, advance=1))
        student.print_checks(reports, console)
    else:
        exercise_id, path, files = pairs[0]
        reports = [student.check(exercise_id, path, limits, files)]
        student.print_check(reports[0], console)
    for note in notes:
        err_console.print(f"[yellow]note:[/] {escape(note)}")
    sys.exit(0 if student.all_passed(reports) else 1)


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
              help="One assignment per chapter, for these chapters only (repeatable), e.g. -c ch01_perceptron.")
@click.option("--assignment", "-a", "assignments", multiple=True, metavar="NAME",
              help="Only these assignments of course.toml (repeatable); default: all of them.")
def nbgrader(course_dir, course, chapters, assignments):
    """Create or update an nbgrader course in COURSE_DIR: config, one nbgrader assignment per
    assignment of course.toml (one per chapter without a course.toml, or with -c).

    Files you have edited are kept. Then use nbgrader as usual, from COURSE_DIR:
    `nbgrader generate_assignment NAME`, `nbgrader autograde NAME`, `nbgrader export`.
    """
    try:
        from dlcourse.grading import nbgrader_bridge
    except ModuleNotFoundError as err:
        if (err.name or "").partition(".")[0] != "nbgrader":
            raise
        raise CourseError('`dlcourse nbgrader` needs nbgrader, which is not installed; install it with '
                          '`pip install "dlcourse[nbgrader]"`.') from None

    the_course = Course.find(course)
    root = pathlib.Path(course_dir).resolve()
    outcome = nbgrader_bridge.build(the_course, root, chapters, assignments)
    for path in outcome.written:
        console.print(f"wrote {path.relative_to(root)}")
    for path in outcome.kept:
        err_console.print(f"[yellow]kept[/] {path.relative_to(root)}: you changed it; delete it to regenerate.")
    console.print(f"nbgrader course at {root}: {len(outcome.written)} written, {len(outcome.unchanged)} unchanged, "
                  f"{len(outcome.kept)} kept. Next: cd {root} && nbgrader generate_assignment ASSIGNMENT")


@main.group(cls=_Group)
def gradescope():
    """Grade on Gradescope: build the autograder zip, or run it (what Gradescope does)."""


@gradescope.command(name="build")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--course", type=click.Path(file_okay=False), help="Course checkout (default: found from here).")
@click.option("--assignment", "-a", metavar="NAME",
              help="The assignment of course.toml to grade (default: every exercise of the course).")
@click.option("--wheel", type=click.Path(dir_okay=False, exists=True),
              help="Bundle this dlcourse wheel (default: one built from the checkout dlcourse runs from).")
@click.option("--pypi", is_flag=True, help="Bundle no wheel: setup.sh installs this dlcourse version from PyPI.")
def gradescope_build(out, course, assignment, wheel, pypi):
    """Write Gradescope's autograder zip to OUT (upload it under "Configure Autograder").

    It holds setup.sh (installs dlcourse into a virtual environment), run_autograder (grades
    /autograder/submission with the hidden tests, writes results/results.json) and the
    assignment's solutions/ and graders/.
    """
    from dlcourse.grading import gradescope as gradescopes

    the_course = Course.find(course)
    held = gradescopes.build(the_course, pathlib.Path(out), assignment, wheel, pypi)
    console.print(f"wrote {out}: {len(held['exercises'])} exercises, {held['points']:g} points; "
                  f"setup.sh installs {held['install']}.")


@gradescope.command(name="run")
@click.option("--root", type=click.Path(file_okay=False), default="/autograder", show_default=True,
              help="Gradescope's folder: source/ (the unpacked zip), submission/, results/.")
@click.option("--prepare", is_flag=True, help="Only compute the reference results (setup.sh does this once).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default=True,
              help="Exercises graded in parallel.")
@_with_common
def gradescope_run(root, prepare, jobs, timeout, memory):
    """Grade ROOT/submission as Gradescope's run_autograder does; writes ROOT/results/results.json."""
    from dlcourse.grading import gradescope as gradescopes

    gradescopes.run(pathlib.Path(root), prepare=prepare, jobs=jobs, limits=_limits(timeout, memory))


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


@main.group(cls=_Group)
def docs():
    """The course book (mkdocs): build it, or serve it with live reload."""


def _mkdocs(command, course, args):
    """Run `mkdocs COMMAND -f <course>/mkdocs.yml ARGS` in this Python; its exit code is ours."""
    import importlib.util
    import subprocess

    missing = [name for name in ("mkdocs", "material", "mkdocstrings_handlers.python", "mkdocs_jupyter")
               if importlib.util.find_spec(name.partition(".")[0]) is None]
    if missing:
        raise CourseError(f"`dlcourse docs` needs the docs extra ({', '.join(missing)} missing); install it with "
                          '`pip install "dlcourse[docs]"`.')
    root = Course.find(course).root
    if not (root / "mkdocs.yml").is_file():
        raise CourseError(f"{root} has no mkdocs.yml; run `dlcourse docs` in the dlcourse checkout, or pass --course.")
    sys.exit(subprocess.call([sys.executable, "-m", "mkdocs", command, "-f", str(root / "mkdocs.yml"), *args],
                             cwd=root))


@docs.command(name="build")
@click.option("--course", type=click.Path(file_okay=False), help="Course checkout (default: found from here).")
@click.option("--site-dir", "-d", type=click.Path(file_okay=False), help="Where to write the site (default: site/).")
@click.option("--quick", is_flag=True, help="Reduced mode: the worked examples train for fewer epochs "
              "(DLCOURSE_DOCS_QUICK=1).")
def docs_build(course, site_dir, quick):
    """Build the course book with `mkdocs build --strict`: API reference, exercises, worked examples."""
    if quick:
        os.environ["DLCOURSE_DOCS_QUICK"] = "1"
    _mkdocs("build", course, ["--strict", *(["--site-dir", str(pathlib.Path(site_dir).resolve())] if site_dir else [])])


@docs.command(name="serve")
@click.option("--course", type=click.Path(file_okay=False), help="Course checkout (default: found from here).")
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--quick", is_flag=True, help="Reduced mode (DLCOURSE_DOCS_QUICK=1).")
def docs_serve(course, dev_addr, quick):
    """Serve the course book on localhost with `mkdocs serve`, rebuilding when a page changes."""
    if quick:
        os.environ["DLCOURSE_DOCS_QUICK"] = "1"
    _mkdocs("serve", course, ["--dev-addr", dev_addr])


if __name__ == "__main__":
    main()
