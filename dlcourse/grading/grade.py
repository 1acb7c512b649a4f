"""Grading: references first, then every (submission, exercise) in a sandboxed child.

A result is cached under the course's .dlcourse-cache/ by the hash of what determines it (the
submitted file, the exercise's solution and grader, the limits), so an interrupted run resumes
where it stopped and identical files (untouched stubs) are graded once.

Deadlines are calibrated from the reference: each check's wall time on the reference solution is
measured when its results are computed and cached with them, and a submission's check may take
max(DEADLINE_FLOOR_S, DEADLINE_MULTIPLE x the reference's time), never more than the check's own
`timeout` (nor `--timeout`). The import gets max(IMPORT_FLOOR_S, the same multiple of the
reference's import). So a hang costs seconds, machine noise has a margin of 25x, and a given cache
always grades alike.

Where the checks run is one function, `run` (`runner.run_checks`'s signature): here by default,
or on a Dask cluster (`dlcourse.grading.cluster`). Everything else -- references, comparison,
caching, reports -- happens in this process whichever it is.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import json
import os
import pathlib
import re
import tempfile

import numpy as np

from dlcourse import __version__
from dlcourse.grading.checks import compare_results, judge
from dlcourse.grading.course import Course, CourseError, Exercise
from dlcourse.grading.probe import dump_arrays, load_arrays
from dlcourse.grading.runner import IMPORT_TIMEOUT_S, Deadlines, Limits, prewarm, run_checks
from dlcourse.grading.sources import SubmissionProblem, forbidden_uses, read_submission
from dlcourse.grading.submissions import Choice, ReleasedStubs, Submission
from dlcourse.grading.zygote import preload_for


DEADLINE_FLOOR_S = 3.0
DEADLINE_MULTIPLE = 25.0
IMPORT_FLOOR_S = 20.0
_SECONDS = "__seconds__"  # the pseudo-check under which a cached reference keeps its timings
_IMPORT = "__import__"


class Cache:
    """Small files keyed by content hashes, written atomically; `None` disables it."""

    def __init__(self, folder: pathlib.Path | None):
        self.folder = folder

    def _path(self, kind, key, suffix):
        return self.folder / kind / f"{key}{suffix}"

    def get_bytes(self, kind, key, suffix):
        if self.folder is None:
            return None
        path = self._path(kind, key, suffix)
        return path.read_bytes() if path.exists() else None

    def put_bytes(self, kind, key, suffix, data: bytes):
        if self.folder is None:
            return
        path = self._path(kind, key, suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)


def content_key(*parts) -> str:
    """A short hash of strings/bytes (and reprs of other values), for caches and staleness."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _digest(per_check: dict[str, dict]) -> str:
    digest = hashlib.sha256()
    for flat, value in sorted(_flatten(per_check).items()):
        digest.update(f"{flat}:{value.dtype.str}:{value.shape}".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    return digest.hexdigest()


def _flatten(per_check: dict[str, dict]) -> dict[str, np.ndarray]:
    return {f"{name}/{key}": value for name, arrays in per_check.items() for key, value in arrays.items()}


def unflatten(arrays: dict[str, np.ndarray]) -> dict[str, dict]:
    per_check: dict[str, dict] = {}
    for flat, value in arrays.items():
        name, _, key = flat.partition("/")
        per_check.setdefault(name, {})[key] = value
    return per_check


def reference_results(exercise: Exercise, limits: Limits, cache: Cache, checks=None) -> dict[str, dict]:
    """{check name: arrays} of the reference solution (computed in a child, then cached)."""
    return timed_reference(exercise, limits, cache, checks)[0]


def timed_reference(exercise: Exercise, limits: Limits, cache: Cache, checks=None):
    """({check name: arrays}, {check name: seconds, "__import__": seconds}) of the reference
    solution: computed in a child that the parent times, then cached together."""
    checks = checks if checks is not None else exercise.checks
    key = content_key(__version__, "timed", exercise.fingerprint(), [c.name for c in checks])
    cached = cache.get_bytes("reference", key, ".npz")
    if cached is not None:
        per_check = unflatten(load_arrays(cached))
        seconds = per_check.pop(_SECONDS, {})
        return per_check, {name: float(value) for name, value in seconds.items()}
    request = {
        "module_name": exercise.name,
        "source": exercise.solution.read_text(encoding="utf-8"),
        "grader_source": exercise.grader.read_text(encoding="utf-8"),
        "checks": [c.name for c in checks],
        "hide": [],
    }
    # The reference always gets each check's full time: `--timeout` caps student code only.
    trusted = dataclasses.replace(limits, timeout_cap=None)
    outcomes, _, import_seconds = run_checks(request, Deadlines({c.name: c.timeout for c in checks}), trusted)
    broken = [f"{name}: {o.message}" for name, o in outcomes.items() if o.status != "ok"]
    if broken or len(outcomes) != len(checks):
        raise CourseError(
            f"the reference solution of {exercise.id} fails its own grader ({'; '.join(broken) or 'no results'}); "
            "fix solutions/ or graders/ before grading."
        )
    per_check = {name: o.arrays for name, o in outcomes.items()}
    seconds = {name: o.seconds for name, o in outcomes.items()} | {_IMPORT: import_seconds}
    stored = {name: np.float64(value) for name, value in seconds.items() if value is not None}
    cache.put_bytes("reference", key, ".npz", dump_arrays(_flatten({**per_check, _SECONDS: stored})))
    return per_check, seconds


def _test_entry(chk, status, fraction=0.0, feedback=""):
    return {
        "name": chk.name,
        "score": round(chk.points * fraction, 4),
        "max_score": chk.points,
        "status": status,
        "feedback": feedback,
        "visible": chk.visible,
    }


@dataclasses.dataclass
class Task:
    """What grading one exercise needs, whether from the course (grade) or the wheel (check)."""

    exercise_id: str
    grader_source: str
    checks: list
    forbidden: tuple
    reference: dict  # {check name: arrays}
    reference_seconds: dict = dataclasses.field(default_factory=dict)  # {check or "__import__": s}

    @property
    def name(self):
        return self.exercise_id.split("/")[-1]

    @property
    def max_score(self):
        return sum(c.points for c in self.checks)

    @property
    def deadlines(self) -> Deadlines:
        """Each check's deadline from the reference's time (the check's full `timeout` where the
        time is unknown, as for `dlcourse check` on a student's own machine)."""
        measured = {c.name: self.reference_seconds[c.name] for c in self.checks if c.name in self.reference_seconds}
        checks = {c.name: min(c.timeout, max(DEADLINE_FLOOR_S, DEADLINE_MULTIPLE * measured[c.name]))
                  if c.name in measured else c.timeout for c in self.checks}
        import_s = self.reference_seconds.get(_IMPORT)
        import_s = IMPORT_TIMEOUT_S if import_s is None else min(
            IMPORT_TIMEOUT_S, max(IMPORT_FLOOR_S, DEADLINE_MULTIPLE * import_s))
        return Deadlines(checks, import_s, measured)

    def key(self, limits) -> str:
        deadlines = self.deadlines
        return content_key(__version__, self.exercise_id, self.grader_source, [c.name for c in self.checks],
                           sorted(deadlines.checks.items()), deadlines.import_s,
                           limits.memory_mb, limits.cpu_seconds_per_check, limits.timeout_cap, limits.isolate)


def task_for(exercise: Exercise, limits: Limits, cache: Cache) -> Task:
    reference, seconds = timed_reference(exercise, limits, cache)
    return Task(exercise.id, exercise.grader.read_text(encoding="utf-8"), exercise.checks,
                exercise.forbidden, reference, seconds)


class NotGraded(Exception):
    """Grading a file could not finish for a reason that is not the submission's (e.g. the
    cluster's workers kept dying): its message becomes that exercise's error, and nothing is
    cached, so that a rerun tries again."""


def grade_file(task: Task, path, limits: Limits, hide, cache: Cache, run=None):
    """Grade one submitted file (None when missing); returns (exercise report, isolation)."""
    try:
        source = read_submission(path, task.exercise_id)
    except SubmissionProblem as problem:
        return problem_report(task, problem), None
    return grade_source(task, source, limits, hide, cache, run)


def grade_choice(task: Task, choice: Choice, shown, limits: Limits, hide, cache: Cache, run=None):
    """Grade the file(s) found for one exercise and keep the best; the report names the file
    graded (`shown(path)`, None when there was none) and why it was chosen."""
    if not choice.files:
        report = problem_report(task, SubmissionProblem(choice.problem or f"no file for {task.exercise_id}."))
        return {**report, "file": None}, None
    graded = [(grade_file(task, path, limits, hide, cache, run), path) for path in choice.files]
    best = max(range(len(graded)), key=lambda k: (graded[k][0][0]["score"], -k))
    (report, isolation), path = graded[best]
    report = {**report, "file": shown(path)}
    note = choice.note
    if len(graded) > 1:
        scores = ", ".join(f"{shown(p)} {r['score']:g}/{r['max_score']:g}" for (r, _), p in graded)
        note = f"{note.rstrip('.')} ({scores})."
    if note:
        report["note"] = note
    weakest = [i for (_, i), _ in graded if i and i.startswith("none")]
    return report, weakest[0] if weakest else isolation


def problem_report(task: Task, problem: SubmissionProblem) -> dict:
    """The report of a submission that could not be graded at all (unreadable, no file, ...)."""
    return _report(task, [_test_entry(c, "error", feedback=str(problem)) for c in task.checks])


def grade_source(task: Task, source: str, limits: Limits, hide, cache: Cache, run=None):
    """Grade the student's source of one exercise, cached by content; (report, isolation).
    `run` runs the checks (`run_checks` here when None, or a cluster's runner)."""
    key = content_key(task.key(limits), source, _digest(task.reference))
    cached = cache.get_bytes("results", key, ".json")
    if cached is not None:
        stored = json.loads(cached)
        return stored["report"], stored["isolation"]
    report, isolation = _grade_source(task, source, limits, hide, run)
    cache.put_bytes("results", key, ".json", json.dumps({"report": report, "isolation": isolation}).encode())
    return report, isolation


def _grade_source(task: Task, source: str, limits: Limits, hide, run=None):
    if uses := forbidden_uses(source, task.forbidden):
        message = f"your code uses {', '.join(uses)}, which this exercise does not allow; write it yourself."
        return _report(task, [_test_entry(c, "forbidden", feedback=message) for c in task.checks]), None
    request = {
        "module_name": task.name,
        "source": source,
        "grader_source": task.grader_source,
        "checks": [c.name for c in task.checks],
        "hide": [str(p) for p in hide],
    }
    outcomes, isolation, _ = (run or run_checks)(request, task.deadlines, limits)
    status, results = {}, {}
    for chk in task.checks:
        outcome = outcomes.get(chk.name)
        if outcome is None:
            status[chk.name], results[chk.name] = "error", (0.0, "no result came back for this check.")
        elif outcome.status != "ok":
            message = outcome.message if chk.visible or outcome.status != "error" else _hidden_error(outcome.message)
            status[chk.name], results[chk.name] = outcome.status, (0.0, message)
        else:
            results[chk.name] = compare_results(chk, outcome.arrays, task.reference[chk.name])
    judged = judge(task.checks, results)
    tests = []
    for chk in task.checks:
        fraction, feedback = judged[chk.name]
        tests.append(_test_entry(chk, status.get(chk.name, "passed" if fraction >= 1.0 else "failed"),
                                 fraction, feedback))
    return _report(task, tests), isolation


_SAFE_ERRORS = re.compile(
    r"^(?:your file could not be (?:imported|loaded): .*"  # before any hidden input existed
    r"|the process ended during this check: .*"  # written by the grader, not the child
    r"|the results could not be read back"
    r"|the code called sys\.exit\(\); a submission must not exit the process"
    r"|your file does not define `[A-Za-z_]\w{0,40}`, which this check calls"
    r"|NotImplementedError: this part is not implemented yet)$", re.DOTALL)


def _hidden_error(message: str) -> str:
    """What a student sees of an error in a hidden check: the exception's type, never its text,
    which the student's code could fill with the check's hidden inputs."""
    head = message.split("; line ")[0]
    if _SAFE_ERRORS.match(head):
        if head.startswith("the process ended"):
            head = head.split(" (last output:")[0]  # printed while the hidden inputs were there
        return head
    kind = re.match(r"([A-Za-z_][\w.]{0,60}):", message)
    name = kind.group(1) if kind else "an error"
    return (f"your code raised {name} in this hidden check (its message stays hidden with the check's "
            "inputs); test your function on other shapes and edge cases.")


def _report(task, tests):
    score = round(sum(t["score"] for t in tests), 4)
    return {"id": task.exercise_id, "score": score, "max_score": task.max_score, "tests": tests}


HEAVY_DELAY = 8  # submissions: about one TensorFlow import's worth of numpy exercises


def grade(course: Course, submissions: list[Submission], limits: Limits, cache: Cache,
          jobs: int = 1, extra_hidden=(), progress=None, chapters=(), exercises=None, on_exercise=None,
          run=None) -> dict:
    """Grade every submission on every exercise of the course (or of `chapters`, or the given
    `exercises`, e.g. an assignment's); returns the report. `progress(name)` is called as each
    submission is done, `on_exercise(name, exercise id, started)` as each exercise starts
    (True) and ends (False).

    `run` runs one (submission, exercise)'s checks: `run_checks` in `jobs` local children when
    None, or a cluster's runner (`cluster.DaskRunner`), which may also offer `prewarm(sources)`
    (for its workers' zygotes) and `slots` (how many exercises to keep in flight there). The
    references are computed here either way, `jobs` at a time."""
    exercises = course.select(chapters) if exercises is None else list(exercises)
    if not exercises:
        raise CourseError(f"{course.root} has no exercises (solutions/<chapter>/<name>.py with a grader).")
    sources = {e.id: (e.grader.read_text(encoding="utf-8"), e.solution.read_text(encoding="utf-8"))
               for e in exercises}
    if limits.zygote:  # first, so that TensorFlow's import overlaps with finding the files too
        prewarm(source for pair in sources.values() for source in pair)
        if hasattr(run, "prewarm"):
            run.prewarm([source for pair in sources.values() for source in pair])
    hide = [*course.hidden_paths, *(s.root for s in submissions), *extra_hidden]
    stubs = ReleasedStubs(course)
    known = [e.id for e in course.exercises]
    located = [sub.locate([e.id for e in exercises], stubs, known) for sub in submissions]
    # A submission's exercises that need TensorFlow are queued behind the other exercises of the
    # next HEAVY_DELAY submissions, so that its import (seconds, once, in the zygote) overlaps
    # with numpy exercises instead of holding every worker idle; later submissions still finish
    # one by one, for the progress bar.
    heavy = {e.id for e in exercises if preload_for(*sources[e.id])}
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs, getattr(run, "slots", 0)))
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as references:
            tasks = list(references.map(lambda e: task_for(e, limits, cache), exercises))
        order = sorted(((i, j) for i in range(len(submissions)) for j in range(len(tasks))),
                       key=lambda ij: ij[0] + HEAVY_DELAY * (tasks[ij[1]].exercise_id in heavy))

        def graded(i, j):
            if on_exercise:
                on_exercise(submissions[i].name, tasks[j].exercise_id, True)
            try:
                return grade_choice(tasks[j], located[i].choices[tasks[j].exercise_id], submissions[i].shown,
                                    limits, hide, cache, run)
            finally:
                if on_exercise:
                    on_exercise(submissions[i].name, tasks[j].exercise_id, False)

        futures = {(i, j): pool.submit(graded, i, j) for i, j in order}
        owner = {future: i for (i, _), future in futures.items()}
        left = {i: len(tasks) for i in range(len(submissions))}
        for future in concurrent.futures.as_completed(owner):
            left[owner[future]] -= 1
            if progress and not left[owner[future]]:
                progress(submissions[owner[future]].name)
    except BaseException:
        # Ctrl-C: queue no more work and do not wait for what runs (the caller exits, and every
        # child dies with this process); what finished is in the cache, so a rerun resumes.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    isolations = set()
    results = []
    for i, sub in enumerate(submissions):
        reports = []
        for j, task in enumerate(tasks):
            try:
                report, isolation = futures[(i, j)].result()
            except Exception as err:  # noqa: BLE001 -- one odd file must not stop the class
                problem = SubmissionProblem(str(err) if isinstance(err, NotGraded) else
                                            f"dlcourse could not grade this file ({type(err).__name__}); "
                                            "tell your instructor.")
                report, isolation = problem_report(task, problem), None
                files = located[i].choices[task.exercise_id].files
                report["file"] = sub.shown(files[0]) if files else None
            reports.append(report)
            if isolation:
                isolations.add(isolation)
        results.append({
            "submission": sub.name,
            "score": round(sum(r["score"] for r in reports), 4),
            "max_score": sum(r["max_score"] for r in reports),
            "exercises": reports,
            "notes": located[i].notes,  # about the submission as a whole: nothing found, odd names
        })
    return {"submissions": results, "isolation": _weakest(isolations)}


def _weakest(isolations: set) -> str:
    """The isolation to report for a run: any child without namespaces makes the run unsafe."""
    for prefix in ("none", "namespaces"):
        found = sorted(i for i in isolations if i.startswith(prefix))
        if found:
            return found[0]
    return "not needed (no student code ran)"
