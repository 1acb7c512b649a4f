"""Children forked by the zygote grade exactly like freshly started ones, and it falls back safely."""

import dataclasses

import pytest

from conftest import ROOT
from dlcourse.grading import runner, zygote
from dlcourse.grading.course import Course
from dlcourse.grading.grade import Cache, grade_source, task_for
from dlcourse.grading.runner import Limits

KERAS_EXERCISE = "ch01_perceptron/hidden_layer_network"

EXITS_DURING_A_CHECK = '''
import os
import numpy as np
from keras import ops


class HiddenLayerNetwork:
    def __init__(self, *args, **kwargs):
        os._exit(3)
'''


def _grade(source, limits, exercise_id=KERAS_EXERCISE):
    course = Course(ROOT)
    exercise = course.exercise(exercise_id)
    task = task_for(exercise, limits, Cache(ROOT / ".dlcourse-cache"))
    report, isolation = grade_source(task, source, limits, course.hidden_paths, Cache(None))
    return report, isolation


def _without_output(feedback):
    return feedback.split(" (last output:")[0]


def _comparable(report):
    return [(t["name"], t["score"], t["status"]) for t in report["tests"]]


@pytest.mark.parametrize("which", ["solution", "stub", "exits"])
def test_forked_children_grade_like_fresh_ones(which):
    exercise = Course(ROOT).exercise(KERAS_EXERCISE)
    source = {
        "solution": exercise.solution.read_text(),
        "stub": (ROOT / "exercises" / f"{KERAS_EXERCISE}.py").read_text(),
        "exits": EXITS_DURING_A_CHECK,
    }[which]
    forked, forked_isolation = _grade(source, Limits(zygote=True))
    fresh, fresh_isolation = _grade(source, Limits(zygote=False))
    assert _comparable(forked) == _comparable(fresh)
    # The same feedback, except the hint of the child's last output line (start-up noise).
    assert [_without_output(t["feedback"]) for t in forked["tests"]] == \
        [_without_output(t["feedback"]) for t in fresh["tests"]]
    assert forked_isolation == fresh_isolation
    if which == "solution":
        assert forked["score"] == forked["max_score"]
    else:
        assert forked["score"] == 0


def test_a_zygote_that_cannot_fork_falls_back_to_fresh_children(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError("no fork today")

    monkeypatch.setattr(zygote.Zygote, "spawn", refuse)
    exercise = Course(ROOT).exercise(KERAS_EXERCISE)
    report, _ = _grade(exercise.solution.read_text(), Limits())
    assert report["score"] == report["max_score"]


def test_keras_is_preloaded_only_for_sources_that_use_it():
    assert zygote.preload_for("import numpy as np\n", "x = 1\n") == []
    assert zygote.preload_for("import numpy as np\n", "from keras import ops\n") == ["tensorflow", "keras"]
    assert zygote.preload_for("import dlcourse.sequence\n") == ["tensorflow", "keras"]
    assert zygote.preload_for("# keras is not imported here\n") == []


def test_limits_default_to_the_zygote():
    assert Limits().zygote is True
    assert dataclasses.replace(Limits(), zygote=False).zygote is False
    assert runner.Limits is Limits


def test_a_numpy_exercise_after_a_keras_one_gets_the_same_memory():
    """The zygote keeps TensorFlow mapped once a Keras exercise asked for it; the memory limit is
    counted on top of what a child has mapped, so later numpy-only children keep their room."""
    _grade(Course(ROOT).exercise(KERAS_EXERCISE).solution.read_text(), Limits(memory_mb=1024))
    exercise = Course(ROOT).exercise("ch01_perceptron/dense_forward")
    source = exercise.solution.read_text() + "\n_ballast = np.ones(700 * 2**20 // 8)\n"
    limits = Limits(memory_mb=1024)
    forked, _ = _grade(source, limits, exercise.id)
    fresh, _ = _grade(source, dataclasses.replace(limits, zygote=False), exercise.id)
    assert forked["score"] == fresh["score"] == forked["max_score"], forked["tests"]
