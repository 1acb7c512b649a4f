"""Deadlines from the reference's time: what a hanging submission costs, and that noise costs nothing.

Grades, with `dlcourse grade --jobs 2 --no-cache` (references computed once beforehand):

1. the reference solutions (a normal submission): full marks, in the time its checks take (no
   correct answer comes near a deadline, so calibration leaves this time as it was);
2. a submission whose every answer is `while True: pass` (the stubs with the NotImplementedError
   replaced): its wall time, against what the same checks cost at the full 60 s timeout;
3. the solutions with one hanging exercise: what that one exercise adds;
4. the solutions while four CPU-burning processes run and a second grading run competes (more
   than twice the 2 CPUs' worth of load): still full marks.

Run from the repository root:  python benchmarks/hanging_submissions.py [-c ch01_perceptron ...]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dlcourse.grading.checks import DEFAULT_TIMEOUT_S  # noqa: E402
from dlcourse.grading.course import Course  # noqa: E402


def grade(paths, chapters, jobs=2, extra=()):
    out = pathlib.Path(tempfile.mkdtemp()) / "report.json"
    args = [sys.executable, "-m", "dlcourse.cli", "grade", *map(str, paths), "--json", str(out), "--jobs", str(jobs),
            *[a for c in chapters for a in ("-c", c)], *extra]
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"grading failed:\n{proc.stderr[-3000:]}")
    return seconds, json.loads(out.read_text())


def scores(report):
    return [(s["score"], s["max_score"]) for s in report["submissions"]]


def hanging_copy(folder, exercises, hang_all=True, only=None):
    """exercises/ with `while True: pass` for every answer (or solutions/ with one exercise so)."""
    for exercise in exercises:
        target = folder / f"{exercise}.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        if hang_all or exercise == only:
            lines = (ROOT / "exercises" / f"{exercise}.py").read_text().splitlines()
            target.write_text("\n".join(
                line.replace("raise NotImplementedError()", "while True:\n" + line[:len(line) - len(line.lstrip())]
                             + "    pass") for line in lines) + "\n")
        else:
            shutil.copy(ROOT / "solutions" / f"{exercise}.py", target)
    return folder


def burn(stop_at):
    while time.time() < stop_at:
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--chapters", nargs="*", default=[])
    args = parser.parse_args()
    course = Course(ROOT)
    exercises = [e for e in course.select(args.chapters)]
    ids = [e.id for e in exercises]
    n_checks = sum(len(e.checks) for e in exercises)
    work = pathlib.Path(tempfile.mkdtemp(prefix="dlcourse-hang-"))
    grade([ROOT / "solutions"], args.chapters)  # references into the cache, outside every timing

    calibrated, report = grade([ROOT / "solutions"], args.chapters, extra=["--no-cache"])
    full = scores(report)
    print(f"{len(ids)} exercises, {n_checks} checks, 2 jobs")
    print(f"1. normal submission (solutions/): {calibrated:.1f} s, {full[0][0]:g}/{full[0][1]:g} points")

    hang_all = hanging_copy(work / "all", ids)
    seconds, report = grade([hang_all], args.chapters, extra=["--no-cache"])
    statuses = [t["status"] for e in report["submissions"][0]["exercises"] for t in e["tests"]]
    old = n_checks * DEFAULT_TIMEOUT_S / 2
    print(f"2. every answer hangs: {seconds:.0f} s ({statuses.count('timeout')} of {n_checks} checks timed out, "
          f"score {scores(report)[0][0]:g}); at the full {DEFAULT_TIMEOUT_S:g} s timeout the same checks would "
          f"take about {old:.0f} s: {old / seconds:.0f}x longer")

    worst = max(exercises, key=lambda e: len(e.checks))
    one = hanging_copy(work / "one", ids, hang_all=False, only=worst.id)
    seconds_one, report = grade([one], args.chapters, extra=["--no-cache"])
    print(f"3. one hanging exercise ({worst.id}, {len(worst.checks)} checks) adds {seconds_one - calibrated:.1f} s "
          f"to a normal submission (score {scores(report)[0][0]:g}/{full[0][1]:g})")

    stop_at = time.time() + 3600
    burners = [multiprocessing.Process(target=burn, args=(stop_at,), daemon=True) for _ in range(4)]
    for b in burners:
        b.start()
    try:
        rival = subprocess.Popen([sys.executable, "-m", "dlcourse.cli", "grade", str(ROOT / "solutions"), "--no-cache",
                                  "--jobs", "2", *[a for c in args.chapters for a in ("-c", c)]],
                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        loaded, report = grade([ROOT / "solutions"], args.chapters, extra=["--no-cache"])
        rival.wait()
    finally:
        for b in burners:
            b.terminate()
    timeouts = sum(t["status"] == "timeout" for e in report["submissions"][0]["exercises"] for t in e["tests"])
    print(f"4. under 4 CPU burners and a second grading run: {loaded:.0f} s, {scores(report)[0][0]:g}/"
          f"{full[0][1]:g} points, {timeouts} timeouts")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
