"""Isolation of the child process that runs student code (Linux namespaces + rlimits).

`enter(request)` is called by the child (`dlcourse.grading.child`) before it runs anything of the
request -- unsharing a user namespace needs a single-threaded process: a fresh child calls it
before importing numpy (whose BLAS starts threads), and a child forked by the zygote
(`dlcourse.grading.zygote`) has one thread by construction. It gives the process:

- a new user, mount, network and PID namespace (no network interface is up; the whole process
  tree dies with it). The student's code runs as that namespace's PID 1, to which the kernel
  delivers no signal that has its default action -- RLIMIT_CPU's SIGXCPU included -- so SIGXCPU
  gets a handler in C, libc's `_exit`, which ends the process at once even inside a C loop
  (exit status 24, the signal's number);
- a read-only view of every filesystem, with the course's solutions/ and graders/ and every
  submission folder covered by empty tmpfs mounts (a hidden file, e.g. nbgrader's gradebook.db,
  reads as empty), and a private writable tmpfs as the scratch folder and working directory;
- a second, nested user namespace, so the student code holds no capability over those mounts
  and cannot unmount them;
- resource limits: address space (memory), CPU seconds, file size, no core dumps.

Where namespaces are unavailable (a kernel or container that forbids them) the child still gets
its limits, and the returned description starts with "none:" so that reports say so loudly.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_NOATIME = 0x400
MS_NODIRATIME = 0x800
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
MS_RELATIME = 1 << 21
MS_STRICTATIME = 1 << 24
PR_SET_PDEATHSIG = 1

_OPTION_FLAGS = {
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "noatime": MS_NOATIME,
    "nodiratime": MS_NODIRATIME,
    "relatime": MS_RELATIME,
    "strictatime": MS_STRICTATIME,
}

_libc = ctypes.CDLL(None, use_errno=True)


def _call(fn, *args):
    if fn(*args) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def _mount(source, target, fstype, flags, data=None):
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    _call(_libc.mount, enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data))


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def _map_identity(uid, gid):
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"0 {uid} 1")
    _write("/proc/self/gid_map", f"0 {gid} 1")


def _mount_points():
    points = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            points.append((fields[4].replace("\\040", " "), fields[5]))
    return points


def _readonly_everything():
    for point, options in _mount_points():
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY
        for option in options.split(","):
            flags |= _OPTION_FLAGS.get(option, 0)
        try:
            _mount(None, point, None, flags)
        except OSError:
            pass  # e.g. a mount hidden below another; its parent is read-only already


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _covers(folder, path) -> bool:
    folder, path = os.path.realpath(folder), os.path.realpath(path)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _isolate_filesystem(hide, scratch):
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _readonly_everything()
    try:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    except OSError:
        pass  # the outer /proc stays; other users' processes are still not ptrace-able
    for path in hide:
        if _covers(path, scratch) or _covers(path, sys.prefix) or _covers(path, _PACKAGE):
            continue  # hiding it would hide the child's own scratch folder or Python itself
        if os.path.isdir(path):
            _mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=0555")
        elif os.path.isfile(path):  # e.g. nbgrader's gradebook.db: it reads as empty
            _mount("/dev/null", path, None, MS_BIND)
    _mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV, "size=512m,mode=0700")


def _limit(memory_mb, cpu_seconds, file_mb):
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_mb:
        # On top of what is mapped already, so a child forked from a zygote that holds
        # TensorFlow gets the same room as a fresh one.
        size = _mapped_bytes() + int(memory_mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    if cpu_seconds:
        resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds) + 1))
    if file_mb:
        size = int(file_mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def _mapped_bytes() -> int:
    """This process's address space now (VmSize), 0 where /proc does not say."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _exit_on_sigxcpu() -> None:
    """SIGXCPU ends this process (a namespace's PID 1 ignores it otherwise): libc's _exit as its
    handler, so no Python code has to run for it."""
    handler = ctypes.CFUNCTYPE(None, ctypes.c_int)(("_exit", _libc))
    _libc.signal.restype = ctypes.c_void_p
    _libc.signal(ctypes.c_int(signal.SIGXCPU), handler)
    global _KEEP_HANDLER
    _KEEP_HANDLER = handler  # a ctypes function pointer must outlive its registration


_KEEP_HANDLER = None


def enter(request: dict) -> str:
    """Isolate this process as the request asks; return a one-line description of the isolation.

    With namespaces this forks: the caller continues in the child, which is PID 1 of a new PID
    namespace, while the original process waits for it and exits with its status.
    """
    scratch = request["scratch"]
    description = "none: isolation was switched off"
    if request.get("isolate", True):
        uid, gid = os.getuid(), os.getgid()
        try:
            _call(_libc.unshare, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID)
            _map_identity(uid, gid)
        except OSError as err:
            description = f"none: Linux namespaces are unavailable here ({err.strerror})"
        else:
            pid = os.fork()
            if pid:
                # The outer process only waits; its death (killpg by the grader) takes the
                # namespace down through PDEATHSIG below.
                os.closerange(0, 65536)
                _, status = os.waitpid(pid, 0)
                os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
            _call(_libc.prctl, PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            try:
                _isolate_filesystem(request.get("hide", ()), scratch)
                _call(_libc.unshare, CLONE_NEWUSER)  # drop our capabilities over the mounts
                _map_identity(0, 0)
                description = "namespaces: read-only filesystem, hidden course files, no network"
            except OSError as err:
                # Half-isolated is not isolated: refuse rather than run student code like this.
                raise RuntimeError(f"sandbox set-up failed: {err}") from err
            _exit_on_sigxcpu()
    os.makedirs(scratch, exist_ok=True)
    os.chdir(scratch)
    _limit(request.get("memory_mb"), request.get("cpu_seconds"), request.get("file_mb", 64))
    return description
