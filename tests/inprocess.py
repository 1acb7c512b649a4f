"""Grading trusted variants of a reference solution in this process, for the grader-quality tests.

The boundary mutants (tests/boundary_mutants.py) and the non-answers (tests/test_non_answers.py)
are the reference's own code, changed by the test, so they need no sandbox: `ExerciseGrader`
computes the reference's results once and then scores any module the way `dlcourse grade`
judges a submission (`compare_results`, then `judge` with each check's `requires`). A check that
crashes, or runs past max(2 s, 20 x the reference's time), earns nothing.
"""

from __future__ import annotations

import contextlib
import pathlib
import signal
import sys
import time
import warnings

from dlcourse.grading.checks import checks_of, compare_results, judge
from dlcourse.grading.probe import load_module, load_namespace, run_probe

ROOT = pathlib.Path(__file__).resolve().parent.parent


class Overtime(Exception):
    pass


def _on_alarm(signum, frame):
    raise Overtime()


@contextlib.contextmanager
def time_limit(seconds):
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class ExerciseGrader:
    def __init__(self, exercise: str):
        self.exercise = exercise
        self.tag = exercise.replace("/", "_")
        grader = ROOT / "graders" / f"{exercise}.py"
        self.checks = checks_of(load_namespace(grader.read_text(), str(grader)))
        self.solution = ROOT / "solutions" / f"{exercise}.py"
        self.reference, self.budget = {}, {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = self.load(self.solution, "reference")
            for chk in self.checks:
                start = time.perf_counter()
                self.reference[chk.name] = run_probe(chk, module)
                self.budget[chk.name] = max(2.0, 20 * (time.perf_counter() - start))

    def load(self, path, suffix):
        """The Python file at `path` as a fresh module, or None when it cannot be imported."""
        name = f"inprocess_{self.tag}_{suffix}"
        try:
            # The reference's import may load TensorFlow (seconds); a variant's then costs little.
            with warnings.catch_warnings(), time_limit(3600.0 if suffix == "reference" else 20.0):
                warnings.simplefilter("ignore")
                return load_module(str(path), name)
        except BaseException:  # noqa: BLE001 -- a variant that cannot load earns nothing
            if suffix == "reference":
                raise
            return None
        finally:
            if suffix != "reference":
                sys.modules.pop(name, None)

    def score(self, module, stop_below_full=False) -> dict[str, tuple[float, str]]:
        """{check: (fraction, feedback)} of `module` (None: nothing earned); with
        `stop_below_full` it stops at the first check that loses points."""
        results = {}
        for chk in self.checks:
            if module is None:
                results[chk.name] = (0.0, "the module did not import")
                continue
            try:
                with warnings.catch_warnings(), time_limit(self.budget[chk.name]):
                    warnings.simplefilter("ignore")
                    results[chk.name] = compare_results(chk, run_probe(chk, module), self.reference[chk.name])
            except BaseException as err:  # noqa: BLE001 -- a crash or an overrun loses the check
                results[chk.name] = (0.0, f"{type(err).__name__}: {err}")
            if stop_below_full and results[chk.name][0] < 1.0:
                break
        return judge(self.checks, results)
