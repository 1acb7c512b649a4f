"""Finding submissions: a folder laid out like exercises/, an archive of one, or a folder of many."""

from __future__ import annotations

import dataclasses
import pathlib
import tarfile
import tempfile
import zipfile

from dlcourse.grading.course import CHAPTERS, CourseError

ARCHIVES = (".zip", ".tar", ".tar.gz", ".tgz")
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024


@dataclasses.dataclass
class Submission:
    """One student's work: `root` holds chapter folders with .py or .ipynb files."""

    name: str
    root: pathlib.Path

    def file_for(self, exercise_id: str) -> pathlib.Path | None:
        for suffix in (".py", ".ipynb"):
            path = self.root / f"{exercise_id}{suffix}"
            if path.is_file():
                return path
        return None


def _is_archive(path: pathlib.Path) -> bool:
    return path.is_file() and path.name.lower().endswith(ARCHIVES)


def _looks_like_submission(folder: pathlib.Path) -> bool:
    return any((folder / chapter).is_dir() for chapter in CHAPTERS)


def _archive_stem(path: pathlib.Path) -> str:
    name = path.name
    for suffix in ARCHIVES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _extract(archive: pathlib.Path, workdir: pathlib.Path) -> pathlib.Path:
    """Extract safely (no absolute paths, no `..`, no links, bounded size); return the root."""
    target = pathlib.Path(tempfile.mkdtemp(prefix="sub-", dir=workdir))
    try:
        if archive.name.lower().endswith(".zip"):
            with zipfile.ZipFile(archive) as zf:
                members = [m for m in zf.infolist() if not m.is_dir()]
                if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
                    raise CourseError(f"{archive} unpacks to more than 200 MB; it cannot be graded.")
                for m in members:
                    dest = _safe_dest(target, m.filename)
                    if dest:
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        dest.write_bytes(zf.read(m))
        else:
            with tarfile.open(archive) as tf:
                members = [m for m in tf.getmembers() if m.isfile()]
                if sum(m.size for m in members) > MAX_ARCHIVE_BYTES:
                    raise CourseError(f"{archive} unpacks to more than 200 MB; it cannot be graded.")
                for m in members:
                    dest = _safe_dest(target, m.name)
                    if dest:
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        dest.write_bytes(tf.extractfile(m).read())
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as err:
        raise CourseError(f"{archive} is not a readable archive ({err}); re-create it and try again.") from None
    # An archive of a single folder (`alice/ch01_perceptron/...`) is that folder.
    entries = [p for p in target.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(entries) == 1 and entries[0].is_dir() and not _looks_like_submission(target):
        return entries[0]
    return target


def _safe_dest(root: pathlib.Path, name: str) -> pathlib.Path | None:
    parts = pathlib.PurePosixPath(name.replace("\\", "/")).parts
    if not parts or parts[0] == "/" or ".." in parts:
        return None
    return root.joinpath(*parts)


def discover(paths: list[str], workdir: pathlib.Path) -> list[Submission]:
    """The submissions named by the command line's PATHs, in a stable order."""
    found: list[Submission] = []
    for raw in paths:
        path = pathlib.Path(raw)
        if not path.exists():
            raise CourseError(f"{raw} does not exist; pass a submission folder, an archive, or a folder of submissions.")
        if _is_archive(path):
            found.append(Submission(_archive_stem(path), _extract(path, workdir)))
        elif path.is_dir() and _looks_like_submission(path):
            found.append(Submission(path.resolve().name, path.resolve()))
        elif path.is_dir():
            inner = [p for p in sorted(path.iterdir()) if not p.name.startswith(".")]
            subs = []
            for child in inner:
                if _is_archive(child):
                    subs.append(Submission(_archive_stem(child), _extract(child, workdir)))
                elif child.is_dir():
                    # A student folder that lacks chapter folders still gets a (zero) result line.
                    subs.append(Submission(child.name, child.resolve()))
            if not subs:
                raise CourseError(
                    f"{raw} holds no submissions: expected chapter folders such as "
                    "ch01_perceptron/ (one submission) or one folder or archive per student."
                )
            found.extend(subs)
        else:
            raise CourseError(f"{raw} is neither a folder nor a .zip/.tar.gz archive of a submission.")
    names = [s.name for s in found]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise CourseError(f"two submissions are both called {sorted(duplicates)[0]!r}; rename one so grades cannot mix.")
    return found
