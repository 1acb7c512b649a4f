"""Finding a submission's files: layouts students really submit, and a stub beside a solved notebook."""

import json
import os
import shutil
import tarfile
import zipfile

import jupytext
import nbformat

from conftest import ROOT, by_id, run_cli
from dlcourse.grading.course import Course, Exercise
from dlcourse.grading.grade import Cache, grade
from dlcourse.grading.report import feedback_markdown
from dlcourse.grading.runner import Limits
from dlcourse.grading.submissions import ReleasedStubs, Submission, code_fingerprint, discover

TARGET = "ch01_perceptron/dense_forward"
STUB = ROOT / "exercises" / f"{TARGET}.py"
SOLUTION = (ROOT / "solutions" / f"{TARGET}.py").read_text()


def _notebook(source: str) -> str:
    return jupytext.writes(jupytext.reads(source, fmt="py:percent"), fmt="ipynb")


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_class_of_mislaid_submissions_is_graded_where_the_files_are(tmp_path):
    c = tmp_path / "class"
    # Extra folders: an exercises/ folder, and a zip whose single top folder holds exercises/.
    shutil.copytree(ROOT / "exercises" / "ch01_perceptron", c / "erin" / "exercises" / "ch01_perceptron")
    _write(c / "erin" / "exercises" / f"{TARGET}.py", SOLUTION)
    with zipfile.ZipFile(c / "frank.zip", "w") as zf:
        zf.writestr(f"frank/exercises/{TARGET}.py", SOLUTION)
    _write(c / "dave" / "dense_forward.py", SOLUTION)  # flat, named by the exercise
    _write(c / "nobody" / "answers.py", SOLUTION)  # nothing an exercise is called
    # The released stub beside a solved notebook; and both forms edited, the .py wrongly.
    _write(c / "amy" / f"{TARGET}.ipynb", _notebook(SOLUTION))
    shutil.copy(STUB, c / "amy" / f"{TARGET}.py")
    _write(c / "bea" / f"{TARGET}.py", SOLUTION.replace("np.tanh(z)", "np.tanh(2 * z)"))
    _write(c / "bea" / f"{TARGET}.ipynb", _notebook(SOLUTION))

    out = tmp_path / "out"
    proc = run_cli("grade", c, "-c", "ch01_perceptron", "--json", out / "r.json", "--feedback", out / "fb")
    assert proc.returncode == 0, proc.stderr
    subs = {s["submission"]: s for s in json.loads((out / "r.json").read_text())["submissions"]}
    graded = {name: by_id(sub)[TARGET] for name, sub in subs.items()}
    assert {name: e["score"] for name, e in graded.items()} == {
        "amy": 5, "bea": 5, "dave": 5, "erin": 5, "frank": 5, "nobody": 0}
    assert {name: e["file"] for name, e in graded.items()} == {
        "amy": f"{TARGET}.ipynb", "bea": f"{TARGET}.ipynb", "dave": "dense_forward.py",
        "erin": f"exercises/{TARGET}.py", "frank": f"frank/exercises/{TARGET}.py", "nobody": None}
    assert "ch01_perceptron/dense_forward.py is the unchanged stub" in graded["amy"]["note"]
    assert "3/5" in graded["bea"]["note"] and "best score kept" in graded["bea"]["note"]
    assert all(not s["notes"] for name, s in subs.items() if name != "nobody")
    (note,) = subs["nobody"]["notes"]
    assert note.startswith("no exercise files found; expected ch01_perceptron/")
    assert "answers.py" in note
    assert "no exercise files found" in proc.stdout  # the class table says it too
    feedback = (out / "fb" / "nobody.md").read_text()
    assert "no exercise files found" in feedback and "no file for this exercise" in feedback
    assert f"File graded: `{TARGET}.ipynb`. ch01_perceptron/dense_forward.py is the unchanged stub" in \
        (out / "fb" / "amy.md").read_text()


def test_flat_files_graded_alone_and_the_table_tells_missing_from_error(tmp_path):
    sub = tmp_path / "dave"
    _write(sub / "dense_forward.py", SOLUTION)
    shutil.copy(ROOT / "exercises" / "ch01_perceptron" / "losses.py", sub / "losses.py")  # the stub: an error
    proc = run_cli("grade", sub, "-c", "ch01_perceptron", "--json", tmp_path / "r.json")
    assert proc.returncode == 0, proc.stderr
    (report,) = json.loads((tmp_path / "r.json").read_text())["submissions"]
    exercises = by_id(report)
    assert exercises[TARGET]["score"] == 5 and exercises[TARGET]["file"] == "dense_forward.py"
    assert exercises["ch01_perceptron/losses"]["file"] == "losses.py"
    assert exercises["ch01_perceptron/minibatch_sgd"]["file"] is None
    rows = {line.split("│")[1].strip(): line for line in proc.stdout.splitlines() if line.count("│") > 3}
    assert " M " in rows["ch01_perceptron/minibatch_sgd"] and " E " not in rows["ch01_perceptron/minibatch_sgd"]
    assert " E " in rows["ch01_perceptron/losses"] and " M " not in rows["ch01_perceptron/losses"]
    assert "dense_forward.py" in rows[TARGET]


def _course_with(*extra):
    course = Course(ROOT)
    course.__dict__["exercises"] = [course.exercise(TARGET), *extra]
    return course


def test_a_bare_name_two_chapters_share_is_not_guessed(tmp_path):
    real = Course(ROOT).exercise(TARGET)
    twin = Exercise("ch03_sequence/dense_forward", real.solution, real.grader)  # same name, other chapter
    _write(tmp_path / "sub" / "dense_forward.py", SOLUTION)
    report = grade(_course_with(twin), discover([str(tmp_path / "sub")], tmp_path), Limits(), Cache(None),
                   chapters=("ch01_perceptron",))
    (sub,) = report["submissions"]
    (exercise,) = sub["exercises"]
    assert exercise["score"] == 0 and exercise["file"] is None
    assert "fits ch01_perceptron/dense_forward and ch03_sequence/dense_forward" in exercise["tests"][0]["feedback"]
    assert any("dense_forward.py was not graded" in n and "chapter folder" in n for n in sub["notes"])


def test_a_symbolic_link_is_not_followed(tmp_path):
    """A link to the course's own solution would otherwise be read, and score full marks."""
    (tmp_path / "sub" / "ch01_perceptron").mkdir(parents=True)
    os.symlink(ROOT / "solutions" / f"{TARGET}.py", tmp_path / "sub" / f"{TARGET}.py")
    report = grade(_course_with(), discover([str(tmp_path / "sub")], tmp_path), Limits(), Cache(None))
    (sub,) = report["submissions"]
    assert sub["score"] == 0 and sub["exercises"][0]["file"] is None
    assert any("is a symbolic link and not graded" in n for n in sub["notes"])


def test_one_mislaid_submission_is_not_taken_for_a_class(tmp_path):
    _write(tmp_path / "erin" / "exercises" / f"{TARGET}.py", SOLUTION)
    _write(tmp_path / "dave" / "dense_forward.py", SOLUTION)
    _write(tmp_path / "dave" / "data" / "notes.txt", "")
    for name in ("erin", "dave"):
        (sub,) = discover([str(tmp_path / name)], tmp_path)
        assert sub.name == name and sub.file_for(TARGET).read_text() == SOLUTION
    assert sorted(s.name for s in discover([str(tmp_path)], tmp_path)) == ["dave", "erin"]


def test_too_deep_and_misnamed_files_are_named(tmp_path):
    _write(tmp_path / "a" / "b" / "c" / f"{TARGET}.py", SOLUTION)  # three extra folders
    _write(tmp_path / "ch01_perceptron" / "dense_foward.py", SOLUTION)  # a typo
    located = Submission("s", tmp_path).locate([TARGET])
    assert located.choices[TARGET].files == []
    assert any(f"a/b/c/{TARGET}.py is more than 2 folders deep" in n for n in located.notes)
    assert any("ch01_perceptron/dense_foward.py is no exercise" in n for n in located.notes)


def test_stub_code_is_recognised_in_either_form_and_after_a_resave(tmp_path):
    stubs = ReleasedStubs(Course(ROOT))
    notebook = nbformat.read(ROOT / "exercises" / f"{TARGET}.ipynb", as_version=4)
    notebook.metadata["language_info"] = {"name": "python"}  # what Jupyter adds when it saves
    notebook.cells[-1].outputs = [nbformat.v4.new_output("stream", text="NotImplementedError\n")]
    notebook.cells[-1].source += "\n# I will do this later"
    nbformat.write(notebook, tmp_path / "dense_forward.ipynb")
    for path in (STUB, ROOT / "exercises" / f"{TARGET}.ipynb", tmp_path / "dense_forward.ipynb"):
        assert stubs.is_stub(TARGET, code_fingerprint(path)), path
    _write(tmp_path / "solved.py", SOLUTION)
    assert not stubs.is_stub(TARGET, code_fingerprint(tmp_path / "solved.py"))
    _write(tmp_path / "broken.py", "def dense_forward(:\n")
    assert not stubs.is_stub(TARGET, code_fingerprint(tmp_path / "broken.py"))


def test_check_picks_the_solved_notebook_over_the_stub(tmp_path):
    shutil.copy(STUB, tmp_path / "dense_forward.py")
    _write(tmp_path / "dense_forward.ipynb", _notebook(SOLUTION))
    proc = run_cli("check", TARGET, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "dense_forward.ipynb" in proc.stdout and "passed" in proc.stdout


def _damaged_archives(folder):
    """A .tar.gz that is no archive, a .tar cut short, a .zip with a damaged member."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bob.tar.gz").write_bytes(b"\x00not an archive" * 20)
    _write(folder / "src" / f"{TARGET}.py", SOLUTION * 20)
    with tarfile.open(folder / "whole.tar", "w") as tf:
        tf.add(folder / "src" / "ch01_perceptron", "ch01_perceptron")
    whole = (folder / "whole.tar").read_bytes()
    (folder / "cid.tar").write_bytes(whole[: len(whole) // 2])
    with zipfile.ZipFile(folder / "dan.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{TARGET}.py", SOLUTION * 20)
    damaged = bytearray((folder / "dan.zip").read_bytes())
    damaged[80:120] = b"\xff" * 40
    (folder / "dan.zip").write_bytes(bytes(damaged))
    shutil.rmtree(folder / "src")
    (folder / "whole.tar").unlink()
    return ["bob.tar.gz", "cid.tar", "dan.zip"]


def test_a_damaged_archive_alone_is_one_sentence(tmp_path):
    for name in _damaged_archives(tmp_path):
        proc = run_cli("grade", tmp_path / name, "-c", "ch01_perceptron", check=False)
        message = " ".join(proc.stderr.split())  # the terminal wraps long lines
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert message.startswith(f"error: {tmp_path / name} could not be unpacked (it "), message
        assert message.endswith("re-create the archive from the folder of exercise files (a .zip or .tar.gz) and "
                                "submit it again."), message
        assert message.count(". ") == 0 and "method gz" not in message, message


def test_a_damaged_archive_in_a_class_gets_a_result_line_and_the_others_are_graded(tmp_path):
    names = _damaged_archives(tmp_path / "class")
    _write(tmp_path / "class" / "alice" / f"{TARGET}.py", SOLUTION)
    report = grade(_course_with(), discover([str(tmp_path / "class")], tmp_path), Limits(), Cache(None))
    subs = {s["submission"]: s for s in report["submissions"]}
    assert sorted(subs) == ["alice", "bob", "cid", "dan"]
    assert subs["alice"]["score"] == 5 and not subs["alice"]["notes"]
    for name in names:
        sub = subs[name.partition(".")[0]]
        (note,) = sub["notes"]
        assert sub["score"] == 0 and note.startswith(f"{name} could not be unpacked (it "), note
        assert "nothing in it was graded; re-create the archive" in note and "\n" not in note
        assert {t["feedback"] for t in sub["exercises"][0]["tests"]} == {note}
        assert f"**Note:** {note}" in feedback_markdown(sub)
