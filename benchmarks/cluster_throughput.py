"""Grading throughput on Dask: 1 against 2 worker processes, and against local grading.

Grades a class of N submissions (copies of the reference solutions of the chosen chapters, each
file with its own comment so that no result is reused) through `grade()`:

- locally, the embedded default (`--jobs W`, W = the most workers below), the peer;
- on a `LocalCluster` of 1, then 2 (then more, `--workers 1 2 4`) worker processes with one
  thread each, as `dlcourse grade --cluster local:N` starts it.

The references are computed once beforehand and every run starts from a cache that holds only
them. Each cluster is warmed first (one other submission: its workers' zygotes start and import
what they preload), so the times are steady-state grading. Prints submissions per second and the
ratios.

Run from the repository root:  python benchmarks/cluster_throughput.py [--students 8] [-c ch01_perceptron]
"""

from __future__ import annotations

import argparse
import logging
import os
import pathlib
import shutil
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dlcourse.grading.cluster import DaskRunner, _distributed  # noqa: E402
from dlcourse.grading.course import Course  # noqa: E402
from dlcourse.grading.grade import Cache, grade, task_for  # noqa: E402
from dlcourse.grading.runner import Limits  # noqa: E402
from dlcourse.grading.submissions import discover  # noqa: E402


def write_class(folder: pathlib.Path, exercises, students: int, tag: str) -> None:
    for student in range(students):
        for exercise in exercises:
            target = folder / f"student{student:03d}" / f"{exercise.id}.py"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(exercise.solution.read_text(encoding="utf-8") + f"\n# {tag} {student}\n")


def timed(course, exercises, submissions, references: pathlib.Path, jobs: int, run=None):
    cache_dir = pathlib.Path(tempfile.mkdtemp(prefix="dlcourse-bench-cache-"))
    shutil.copytree(references, cache_dir / "reference")
    start = time.perf_counter()
    report = grade(course, submissions, Limits(), Cache(cache_dir), jobs=jobs, run=run, exercises=exercises)
    seconds = time.perf_counter() - start
    shutil.rmtree(cache_dir, ignore_errors=True)
    full = all(s["score"] == s["max_score"] for s in report["submissions"])
    if not full:
        lost = [(s["submission"], e["id"], t["feedback"]) for s in report["submissions"] for e in s["exercises"]
                for t in e["tests"] if t["score"] < t["max_score"]]
        sys.exit(f"a reference copy lost points, so the benchmark measures nothing sensible: {lost[:3]}")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("-c", "--chapters", nargs="*", default=["ch01_perceptron"])
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    args = parser.parse_args()
    distributed = _distributed()

    course = Course(ROOT)
    exercises = course.select(args.chapters)
    work = pathlib.Path(tempfile.mkdtemp(prefix="dlcourse-bench-"))
    references = Cache(work / "references")
    for exercise in exercises:
        task_for(exercise, Limits(), references)  # once, here: the instructor's references
    write_class(work / "warm", exercises, 1, "warm-up")
    warm = discover([str(work / "warm")], work / "extract-warm")

    def the_class(tag):
        write_class(work / tag, exercises, args.students, tag)
        return discover([str(work / tag)], work / f"extract-{tag}")

    most = max(args.workers)
    timed(course, exercises, warm, work / "references" / "reference", most)  # this machine's zygotes, too
    local = args.students / timed(course, exercises, the_class("local"), work / "references" / "reference", most)
    rates = {}
    for workers in args.workers:
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, \
                distributed.Client(cluster) as client:
            runner = DaskRunner(client)
            runner.check_workers()
            timed(course, exercises, warm, work / "references" / "reference", 1, runner)
            rates[workers] = args.students / timed(course, exercises, the_class(f"w{workers}"),
                                                   work / "references" / "reference", 1, runner)
    shutil.rmtree(work, ignore_errors=True)

    print(f"{args.students} submissions x {len(exercises)} exercises ({', '.join(args.chapters)}), "
          f"{os.cpu_count()} CPUs")
    print(f"  local grading, --jobs {most} (the peer): {local:.2f} submissions/s")
    for workers, rate in rates.items():
        print(f"  --cluster local:{workers}: {rate:.2f} submissions/s "
              f"({rate / rates[min(rates)]:.2f}x of 1 worker, {rate / local:.2f}x of local grading)")
    print("What scales it further: more worker machines (one `dask worker --nthreads <cores>` each, so that "
          "a machine's children share one zygote); this process only compares arrays (milliseconds an "
          "exercise) and the scheduler handles thousands of tasks a second, so throughput grows with the "
          "workers' cores until those bind.")


if __name__ == "__main__":
    main()
