"""The wheel students install carries the library, tooling and visible checks -- no answers."""

import ast
import subprocess
import sys
import zipfile

from conftest import ROOT
from dlcourse.grading.course import Course
from test_release import _reads, _top_level_names, hidden_only_names


def test_wheel_has_visible_checks_and_no_solutions_or_hidden_tests(tmp_path):
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", tmp_path, ROOT],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("dlcourse-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if n.startswith(("solutions/", "graders/", "tests/", "exercises/"))]
    texts = {n: zipfile.ZipFile(wheel).read(n) for n in names}
    course = Course(ROOT)
    for exercise in course.exercises:
        checks_py = f"dlcourse/checks/{exercise.id}.py"
        assert checks_py in names and f"dlcourse/checks/{exercise.id}.npz" in names
        for chk in exercise.checks:
            shown = f"def {chk.name}(".encode() in texts[checks_py]
            assert shown == chk.visible, (exercise.id, chk.name)
        # Nor the helpers and inputs that only hidden checks use.
        tree = ast.parse(texts[checks_py])
        leaked = hidden_only_names(exercise) & (set(_top_level_names(tree)) | _reads(tree))
        assert not leaked, (exercise.id, sorted(leaked))
        # The packaged checks carry no reference answer (the library may share the math).
        solution = exercise.solution.read_text()
        answer = solution.split("### BEGIN SOLUTION", 1)[1].split("### END SOLUTION", 1)[0]
        distinctive = max((line.strip() for line in answer.splitlines()), key=len)
        checks = [blob for name, blob in texts.items() if name.startswith("dlcourse/checks/")]
        assert not any(distinctive.encode() in blob for blob in checks), (exercise.id, distinctive)
