"""Course tooling: release stubs, grade submissions in a sandbox, report.

Grader files (graders/<chapter>/<exercise>.py) only need `check` from here. The import is lazy
so that the sandboxed child can start (and isolate itself) before numpy loads.
"""

__all__ = ["check"]


def __getattr__(name):
    if name == "check":
        from dlcourse.grading.checks import check

        return check
    raise AttributeError(f"module 'dlcourse.grading' has no attribute {name!r}")
