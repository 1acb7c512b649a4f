"""The sandboxed child: isolates itself, imports one submission, runs the requested probes.

Started by `dlcourse.grading.runner` as `python -I -m dlcourse.grading.child RESULT_FD`, or forked
by the zygote (`dlcourse.grading.zygote`) that calls `run(RESULT_FD)` the same way. It reads
one JSON request from stdin (the submission's source, the grader's source, the check names),
isolates itself (`dlcourse.grading.sandbox`), and writes frames to RESULT_FD:

    {"event": "isolated", "isolation": ...}      the sandbox is set up (before the student's import)
    {"event": "ready"}                           the submission imported
    {"event": "import-error", "message": ...}    it did not
    {"event": "start", "check": name}            a probe begins (the grader's clock starts)
    {"event": "result", "check": name} + npz     its arrays (numpy's format, no pickle)
    {"event": "error", "check": name, "message": ...}

A frame is a 4-byte length and JSON header, then a 4-byte length and payload. The grader treats
everything here as untrusted: the student's code shares this process and could write frames
itself, which gains nothing -- results are compared against the reference by the grader.
"""

import json
import os
import struct
import sys
import traceback

from dlcourse.grading import sandbox

MAX_MESSAGE = 600


def _die_with_parent():
    """Be killed when the process that started this one dies (the runner for a fresh child, the
    zygote's waiter for a forked one), so a killed grading run leaves no student code behind."""
    import ctypes
    import signal

    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent or parent == 1:
        os._exit(1)


def _send(fd, header, payload=b""):
    data = json.dumps(header).encode()
    os.write(fd, struct.pack(">I", len(data)) + data + struct.pack(">I", len(payload)))
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]


def _student_error(exc, student_file):
    """The exception and the student's own frames -- never the grader's source."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == student_file]
    lines = [f"line {f.lineno} in {f.name}: {f.line}" for f in frames[-3:]]
    if isinstance(exc, SystemExit):
        text = "the code called sys.exit(); a submission must not exit the process"
    elif isinstance(exc, AttributeError) and isinstance(getattr(exc, "obj", None), type(sys)) \
            and getattr(exc.obj, "__file__", None) == student_file:
        text = f"your file does not define `{exc.name}`, which this check calls"
    elif isinstance(exc, NotImplementedError) and not str(exc):
        text = "NotImplementedError: this part is not implemented yet"
    else:
        text = f"{type(exc).__name__}: {exc}"
    message = "; ".join([text] + lines)
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 3] + "..."


def run(fd: int) -> None:
    """Read the request from stdin, isolate, import the submission, run its checks."""
    _die_with_parent()
    request = json.loads(sys.stdin.buffer.read())
    isolation = sandbox.enter(request)
    _send(fd, {"event": "isolated", "isolation": isolation})

    # Everything heavier than the standard library loads only now, inside the sandbox.
    import resource

    from dlcourse.grading.checks import checks_of
    from dlcourse.grading.probe import dump_arrays, load_module, load_namespace, run_probe

    student_file = os.path.join(os.getcwd(), request["module_name"] + ".py")
    with open(student_file, "w", encoding="utf-8") as f:
        f.write(request["source"])
    checks = {c.name: c for c in checks_of(load_namespace(request["grader_source"], "<grader>"), strict=False)}
    for name in ("grader_source", "source"):
        request.pop(name)

    sys.path.insert(0, os.getcwd())
    try:
        module = load_module(student_file, request["module_name"])
    except BaseException as exc:  # noqa: BLE001 -- SystemExit too: it is the student's
        _send(fd, {"event": "import-error", "message": _student_error(exc, student_file)})
        return
    _send(fd, {"event": "ready"})

    cpu_per_check = request.get("cpu_seconds_per_check")
    for name in request["checks"]:
        if cpu_per_check:
            used = resource.getrusage(resource.RUSAGE_SELF)
            spent = used.ru_utime + used.ru_stime
            hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
            soft = int(spent + cpu_per_check) + 1
            resource.setrlimit(resource.RLIMIT_CPU, (min(soft, hard) if hard > 0 else soft, hard))
        _send(fd, {"event": "start", "check": name})
        try:
            payload = dump_arrays(run_probe(checks[name], module))
        except BaseException as exc:  # noqa: BLE001
            _send(fd, {"event": "error", "check": name, "message": _student_error(exc, student_file)})
            continue
        _send(fd, {"event": "result", "check": name}, payload)


if __name__ == "__main__":
    run(int(sys.argv[1]))
