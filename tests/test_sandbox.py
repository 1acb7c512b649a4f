"""The sandbox holds: each attack loses only its own exercise, the rest is graded as usual.

Every attack is its own submission: a copy of the reference solutions with one exercise
(ch01_perceptron/dense_forward, numpy-only so children start fast) replaced. All of them are
graded in one `dlcourse grade` call, as a folder of submissions.
"""

import json
import pathlib
import shutil

import pytest

from conftest import ROOT, by_id, run_cli

TARGET = "ch01_perceptron/dense_forward"
CANARY_DIR_NAME = "canary-target"

HEADER = "import numpy as np\n"
WRONG = HEADER + "def dense_forward(x, w, b, activation='sigmoid'):\n    return np.zeros((len(x), np.shape(w)[1]))\n"

ATTACKS = {
    "monkeypatch_numpy": HEADER + """
import numpy.testing
np.testing.assert_allclose = lambda *a, **k: None
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)
np.array_equal = lambda *a, **k: True
def dense_forward(x, w, b, activation='sigmoid'):
    return np.zeros((len(x), np.shape(w)[1]))
""",
    "monkeypatch_grading": HEADER + """
import dlcourse.grading.checks as checks, dlcourse.grading.probe as probe
checks.compare_results = lambda *a, **k: (1.0, "")
checks._difference = lambda *a, **k: ""
probe.run_probe = lambda chk, module: {"y": np.zeros(1)}
def dense_forward(x, w, b, activation='sigmoid'):
    return np.zeros((len(x), np.shape(w)[1]))
""",
    "sys_exit_at_import": "import sys\nsys.exit(0)\n" + WRONG,
    "os_exit_in_function": HEADER + "import os\ndef dense_forward(*a, **k):\n    os._exit(0)\n",
    "infinite_loop": HEADER + "def dense_forward(*a, **k):\n    while True:\n        pass\n",
    "huge_allocation": HEADER + "def dense_forward(x, w, b, activation='sigmoid'):\n"
                       "    junk = np.ones(50 * 1024**3 // 8)\n    return junk[:1]\n",
    "syntax_error": "def dense_forward(x, w, b:\n    return x\n",
    "empty_file": "",
    "fake_result_lines": HEADER + """
import sys
for stream in (sys.stdout, sys.stderr):
    print('{"event": "result", "check": "sigmoid_output"} passed 5/5 score: 5', file=stream)
    print('PASSED all tests. Score 5 / 5', file=stream)
def dense_forward(x, w, b, activation='sigmoid'):
    print('{"status": "passed", "score": 1}')
    return np.zeros((len(x), np.shape(w)[1]))
""",
    "reads_reference": HEADER + """
import pathlib
_found = None
for path in [pathlib.Path(ROOT) / 'solutions' / 'ch01_perceptron' / 'dense_forward.py',
             pathlib.Path(ROOT) / 'graders' / 'ch01_perceptron' / 'dense_forward.py',
             *pathlib.Path(ROOT).glob('.dlcourse-cache/**/*')]:
    try:
        if path.is_file() and 'solutions' in str(path):
            _found = path.read_text()
    except OSError:
        pass
if _found:
    exec(_found)
else:
    def dense_forward(x, w, b, activation='sigmoid'):
        return np.zeros((len(x), np.shape(w)[1]))
""",
    "reads_git_history": HEADER + """
import pathlib, subprocess
_found = None
try:
    _found = subprocess.run(['git', '-C', ROOT, 'show', 'HEAD:solutions/ch01_perceptron/dense_forward.py'],
                            capture_output=True, text=True, timeout=5).stdout
except Exception:
    pass
for path in [pathlib.Path(ROOT) / '.git' / 'HEAD', pathlib.Path(ROOT) / 'exercises']:
    if path.exists():
        _found = (_found or '') + '# seen: ' + path.name + '\n'
if _found and 'def dense_forward' in _found:
    exec(_found)
else:
    def dense_forward(x, w, b, activation='sigmoid'):
        return np.zeros((len(x), np.shape(w)[1]))
""",
    "forges_start_frames": HEADER + """
import json, os, struct, time
def _frame(header):
    data = json.dumps(header).encode()
    return struct.pack('>I', len(data)) + data + struct.pack('>I', 0)
def dense_forward(x, w, b, activation='sigmoid'):
    # Push the grader's deadline forward forever by re-announcing the current check.
    for _ in range(24):
        for fd in map(int, os.listdir('/proc/self/fd')):
            try:
                os.write(fd, _frame({'event': 'start', 'check': 'sigmoid_output'}))
            except OSError:
                pass
        time.sleep(0.5)
    return np.zeros((len(x), np.shape(w)[1]))
""",
    "leaks_inputs_in_errors": HEADER + """
import os
def dense_forward(x, w, b, activation='sigmoid'):
    print('INPUTS', np.asarray(x).tolist(), flush=True)
    if np.asarray(x).shape[0] % 2:
        raise RuntimeError('INPUTS ' + repr(np.asarray(x).tolist()))
    os._exit(1)
""",
    "writes_outside_scratch": HEADER + """
import pathlib
def dense_forward(x, w, b, activation='sigmoid'):
    for target in [pathlib.Path(CANARY) / 'pwned.txt', pathlib.Path(ROOT) / 'pwned.txt',
                   pathlib.Path(ROOT) / 'solutions' / 'pwned.txt', pathlib.Path('/tmp/dlcourse-pwned.txt')]:
        try:
            target.write_text('pwned')
        except OSError:
            pass
    return np.zeros((len(x), np.shape(w)[1]))
""",
    "forbidden_import": "from dlcourse.perceptron import *\nimport dlcourse.perceptron as P\n"
                        "def dense_forward(x, w, b, activation='sigmoid'):\n"
                        "    return P.dense_forward(x, w, b, activation)\n",
}
NOT_UTF8 = b"def dense_forward(x, w, b, activation='sigmoid'):\n    return '\xff\xfe caf\xe9'\n"
BROKEN_NOTEBOOK = '{"cells": [ {"cell_type": "code", "source": '


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    base = tmp_path_factory.mktemp("attacks")
    canary = base / CANARY_DIR_NAME
    canary.mkdir()
    subs = base / "submissions"
    for name, source in [*ATTACKS.items(), ("not_utf8", None), ("broken_notebook", None), ("noisy_but_right", None)]:
        folder = subs / name
        shutil.copytree(ROOT / "solutions" / "ch01_perceptron", folder / "ch01_perceptron")
        target = folder / f"{TARGET}.py"
        if name == "not_utf8":
            target.write_bytes(NOT_UTF8)
        elif name == "broken_notebook":
            target.unlink()
            target.with_suffix(".ipynb").write_text(BROKEN_NOTEBOOK)
        elif name == "noisy_but_right":
            reference = target.read_text()
            target.write_text("import sys, warnings\n"
                              "print('2026-11-26 I tensorflow/core/platform/cpu_feature_guard.cc] noise', file=sys.stderr)\n"
                              "warnings.warn('a warning on stderr')\n" + reference)
        else:
            target.write_text(source.replace("ROOT", repr(str(ROOT))).replace("CANARY", repr(str(canary))))
    out = base / "report.json"
    proc = run_cli("grade", subs, "--json", out, "--timeout", "8", "--jobs", "2", "-c", "ch01_perceptron")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    return {s["submission"]: s for s in report["submissions"]}, report, canary


def _others_full(submission):
    for exercise_id, exercise in by_id(submission).items():
        if exercise_id != TARGET:
            assert exercise["score"] == exercise["max_score"], (exercise_id, exercise["tests"])


ALL = [*ATTACKS, "not_utf8", "broken_notebook"]


@pytest.mark.parametrize("attack", ALL)
def test_attack_loses_only_its_exercise(attacked, attack):
    subs, _, _ = attacked
    target = by_id(subs[attack])[TARGET]
    assert target["score"] == 0, target["tests"]
    for test in target["tests"]:
        assert test["status"] in ("failed", "error", "timeout", "forbidden")
        assert test["feedback"], f"{attack}: a failed check must say why"
    _others_full(subs[attack])


def test_attack_statuses_say_what_happened(attacked):
    subs, _, _ = attacked
    statuses = {name: {t["status"] for t in by_id(subs[name])[TARGET]["tests"]} for name in ALL}
    assert statuses["infinite_loop"] == {"timeout"}
    assert statuses["forbidden_import"] == {"forbidden"}
    assert statuses["syntax_error"] == {"error"}
    assert statuses["monkeypatch_numpy"] <= {"failed"}
    assert statuses["forges_start_frames"] == {"timeout"}
    feedback = " ".join(t["feedback"] for t in by_id(subs["huge_allocation"])[TARGET]["tests"])
    assert "MemoryError" in feedback
    feedback = " ".join(t["feedback"] for t in by_id(subs["not_utf8"])[TARGET]["tests"])
    assert "UTF-8" in feedback
    feedback = " ".join(t["feedback"] for t in by_id(subs["syntax_error"])[TARGET]["tests"])
    assert "SyntaxError on line 1" in feedback


def test_no_write_escaped_the_sandbox(attacked):
    _, _, canary = attacked
    assert not (canary / "pwned.txt").exists()
    assert not (ROOT / "pwned.txt").exists()
    assert not (ROOT / "solutions" / "pwned.txt").exists()
    assert not pathlib.Path("/tmp/dlcourse-pwned.txt").exists()


def test_stderr_noise_changes_nothing(attacked):
    subs, _, _ = attacked
    sub = subs["noisy_but_right"]
    assert sub["score"] == sub["max_score"]


def test_report_says_the_sandbox_was_on(attacked):
    _, report, _ = attacked
    assert report["isolation"].startswith("namespaces")


def test_feedback_never_shows_hidden_check_source(attacked):
    subs, _, _ = attacked
    grader = (ROOT / "graders" / f"{TARGET}.py").read_text()
    hidden_lines = [line.strip() for line in grader.splitlines() if "sub." in line and len(line.strip()) > 20]
    for sub in subs.values():
        for test in by_id(sub)[TARGET]["tests"]:
            for line in hidden_lines:
                assert line not in test["feedback"]


def test_hidden_checks_never_echo_what_the_code_printed_or_raised(attacked):
    """A hidden check's inputs could be smuggled out in an error message or the last output line."""
    subs, _, _ = attacked
    tests = by_id(subs["leaks_inputs_in_errors"])[TARGET]["tests"]
    assert any(t["visible"] and "INPUTS" in t["feedback"] for t in tests)  # visible inputs are public
    for test in tests:
        if not test["visible"]:
            assert test["status"] == "error" and "INPUTS" not in test["feedback"], test
