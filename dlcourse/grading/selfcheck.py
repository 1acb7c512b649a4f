"""Developer self-check: run an exercise's checks in-process, reference against a file.

    python -m dlcourse.grading.selfcheck ch01_perceptron/dense_forward [--submission FILE]

Runs every check of graders/<id>.py on solutions/<id>.py (and on FILE, default the
generated stub when it exists) and prints each check's verdict. Trusted code only -- the
real grader (`dlcourse grade`) runs submissions in the sandbox.
"""

import argparse
import pathlib
import traceback

from dlcourse.grading.checks import checks_of, compare_results, judge
from dlcourse.grading.probe import load_module, load_namespace, run_probe


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("exercise")
    parser.add_argument("--course", default=".")
    parser.add_argument("--submission")
    args = parser.parse_args(argv)
    course = pathlib.Path(args.course)
    grader = course / "graders" / f"{args.exercise}.py"
    checks = checks_of(load_namespace(grader.read_text(), str(grader)))
    name = pathlib.Path(args.exercise).name
    reference = load_module(str(course / "solutions" / f"{args.exercise}.py"), name + "_reference")
    submission = load_module(args.submission, name) if args.submission else reference
    results = {}
    for chk in checks:
        expected = run_probe(chk, reference)
        try:
            got = run_probe(chk, submission)
        except Exception:
            results[chk.name] = (0.0, f"ERROR\n{traceback.format_exc(limit=-2)}")
            continue
        results[chk.name] = compare_results(chk, got, expected)
    judged = judge(checks, results)
    for chk in checks:
        fraction, feedback = judged[chk.name]
        tag = "PASS " if fraction == 1 else "FAIL "
        print(f"{tag} {chk.name} ({chk.points:g} pts, {'visible' if chk.visible else 'hidden'}) {feedback}")
    earned = sum(judged[c.name][0] * c.points for c in checks)
    print(f"score {earned:g} / {sum(c.points for c in checks):g}")


if __name__ == "__main__":
    main()
