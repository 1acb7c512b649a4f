"""Finding submissions: a folder laid out like exercises/, an archive of one, or a folder of many.

Students do not all keep exercises/' layout, so an exercise's file is looked for where students
put it: `<chapter>/<name>.py` (or `.ipynb`) up to EXTRA_LEVELS folders down (a single top folder
inside an archive, an `exercises/` folder), or a file named by the exercise alone (`<name>.py`,
flat or as far down) when no other chapter has an exercise of that name. When several files
fit one exercise (the released stub beside a solved notebook), a file whose code is the released
stub's loses to the others; the others are all graded and the best score kept (see
`Submission.locate` and `grade.grade_choice`). Nothing here runs a submission's code.
"""

from __future__ import annotations

import ast
import dataclasses
import gzip
import hashlib
import os
import pathlib
import shutil
import tarfile
import tempfile
import zipfile
import zlib

from dlcourse.grading.course import CHAPTERS, CourseError

ARCHIVES = (".zip", ".tar", ".tar.gz", ".tgz")
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
SUFFIXES = (".py", ".ipynb")
EXTRA_LEVELS = 2  # folders a student may put around exercises/' layout
MAX_CANDIDATES = 4  # files graded for one exercise at most (the best-placed ones)
_WALK_DEPTH = 6  # deeper files are never graded; seen this far to say where they are
_WALK_ENTRIES = 20000
_SKIPPED_DIRS = ("__MACOSX", "__pycache__", "node_modules", "site-packages")


@dataclasses.dataclass
class Choice:
    """The files found for one exercise of one submission."""

    files: list[pathlib.Path]  # what to grade, best-placed first; empty when none was found
    note: str = ""  # for the student: why these files (a stub passed over, two edited forms)
    problem: str = ""  # when `files` is empty: the sentence that says so and how to fix it


@dataclasses.dataclass
class Located:
    """Every exercise's files in one submission, and what the submission as a whole is told."""

    choices: dict[str, Choice]
    notes: list[str]


@dataclasses.dataclass
class Submission:
    """One student's work under `root`: exercise files, laid out like exercises/ or nearly."""

    name: str
    root: pathlib.Path
    shown_from: pathlib.Path | None = None  # reports show paths relative to this (an archive's top)
    problem: str = ""  # why nothing in it can be graded (an archive that cannot be unpacked)

    def shown(self, path: pathlib.Path) -> str:
        """`path` as a report shows it: relative to the submission (inside its archive)."""
        base = self.shown_from or self.root
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            return path.name

    def file_for(self, exercise_id: str) -> pathlib.Path | None:
        """The best-placed file for `exercise_id` (no stub comparison), or None."""
        files = self.locate([exercise_id]).choices[exercise_id].files
        return files[0] if files else None

    def locate(self, exercise_ids, stubs: "ReleasedStubs | None" = None, known_ids=None) -> Located:
        """The files of each of `exercise_ids` (see the module's docstring for where they are
        looked for). `known_ids` are all the course's exercises (default: `exercise_ids`): a bare
        `<name>.py` counts only when one of them has that name. `stubs` tells released stubs from
        a student's work; without it every candidate counts as edited."""
        exercise_ids = list(exercise_ids)
        if self.problem:
            return Located({exercise_id: Choice([], problem=self.problem) for exercise_id in exercise_ids},
                           [self.problem])
        known_ids = sorted({*exercise_ids, *(known_ids or ())})
        owners: dict[str, list[str]] = {}
        for exercise_id in known_ids:
            owners.setdefault(exercise_id.split("/")[-1], []).append(exercise_id)
        files, links = self._files()
        ranked: dict[str, list[tuple]] = {exercise_id: [] for exercise_id in known_ids}
        ambiguous: dict[str, list[str]] = {}  # shown path -> the exercises its name fits
        unplaced: list[str] = []  # exercise files too deep to be graded
        unknown: list[str] = []  # .py/.ipynb files in a chapter folder that are no exercise's
        for rel in files:
            parts = rel.parts
            stem, suffix = rel.stem, rel.suffix
            path = self.root.joinpath(*parts)
            layout_id = f"{parts[-2]}/{stem}" if len(parts) >= 2 else None
            if layout_id in ranked:
                where = (0, len(parts) - 2)
                exercise_id = layout_id
            elif len(owners.get(stem, ())) == 1:
                where = (1, len(parts) - 1)
                exercise_id = owners[stem][0]
            elif stem in owners:
                if len(parts) - 1 <= EXTRA_LEVELS:
                    ambiguous[self.shown(path)] = owners[stem]
                continue
            else:
                if len(parts) >= 2 and parts[-2] in CHAPTERS and not stem.startswith("_"):
                    unknown.append(self.shown(path))
                continue
            if where[1] > EXTRA_LEVELS:
                unplaced.append(self.shown(path))
                continue
            ranked[exercise_id].append((where, SUFFIXES.index(suffix), rel.as_posix(), path))
        choices = {}
        for exercise_id in exercise_ids:
            candidates = [entry[-1] for entry in sorted(ranked[exercise_id])[:MAX_CANDIDATES]]
            choices[exercise_id] = self._choose(exercise_id, candidates, stubs, ambiguous)
        notes = self._notes(exercise_ids, choices, files, links, ambiguous, unplaced, unknown)
        return Located(choices, notes)

    def _choose(self, exercise_id, candidates, stubs, ambiguous) -> Choice:
        if not candidates:
            fits = [shown for shown, ids in ambiguous.items() if exercise_id in ids]
            problem = f"no file for this exercise; submit {exercise_id}.py or {exercise_id}.ipynb."
            if fits:
                others = " and ".join(i for i in ambiguous[fits[0]])
                problem = (f"no file for this exercise: {fits[0]} fits {others}, so it was not graded; "
                           f"put it in its chapter folder, as {exercise_id}{pathlib.Path(fits[0]).suffix}.")
            return Choice([], problem=problem)
        return choose(exercise_id, candidates, self.shown, stubs)

    def _notes(self, exercise_ids, choices, files, links, ambiguous, unplaced, unknown) -> list[str]:
        notes = []
        for shown, ids in sorted(ambiguous.items()):
            notes.append(f"{shown} was not graded: its name fits {' and '.join(ids)}; put it in its chapter "
                         f"folder, as {ids[0]}{pathlib.Path(shown).suffix} or {ids[1]}{pathlib.Path(shown).suffix}.")
        if unplaced:
            notes.append(f"{_listing(unplaced)} {_is(unplaced, 'is', 'are')} more than {EXTRA_LEVELS} "
                         "folders deep and not graded; submit a folder laid out like exercises/.")
        if unknown:
            notes.append(f"{_listing(unknown)} {_is(unknown, 'is', 'are')} no exercise of this course "
                         "and not graded; check the file name.")
        if links:
            notes.append(f"{_listing(links)} {_is(links, 'is a symbolic link', 'are symbolic links')} "
                         "and not graded; submit the files themselves.")
        if exercise_ids and not any(c.files for c in choices.values()) and not ambiguous:
            expected = ", ".join(f"{i}.py" for i in exercise_ids[:2]) + (" …" if len(exercise_ids) > 2 else "")
            found = [f.as_posix() for f in files][:3]
            seen = f" (found: {', '.join(found)}{' …' if len(files) > 3 else ''})" if found else ""
            notes.insert(0, f"no exercise files found; expected {expected} (or .ipynb) in a folder laid out "
                            f"like exercises/{seen}.")
        return notes

    def _files(self) -> tuple[list[pathlib.PurePosixPath], list[str]]:
        """The .py/.ipynb files under the root (relative), and the symbolic links among them
        (never followed: a link could point at the course's solutions)."""
        if "_walked" not in self.__dict__:
            files, links, visited = [], [], 0
            for folder, dirs, names in os.walk(self.root):
                rel = pathlib.PurePosixPath(pathlib.Path(folder).relative_to(self.root).as_posix())
                depth = 0 if str(rel) == "." else len(rel.parts)
                kept = []
                for name in sorted(dirs):
                    if _skipped(name) or depth + 1 >= _WALK_DEPTH:
                        continue
                    if os.path.islink(os.path.join(folder, name)):
                        links.append(self.shown(pathlib.Path(folder, name)) + "/")
                    else:
                        kept.append(name)
                dirs[:] = kept
                for name in sorted(names):
                    if _skipped(name) or not name.endswith(SUFFIXES):
                        continue
                    path = pathlib.PurePosixPath(name) if depth == 0 else rel / name
                    if os.path.islink(os.path.join(folder, name)):
                        links.append(self.shown(self.root.joinpath(*path.parts)))
                    else:
                        files.append(path)
                visited += len(names) + len(dirs)
                if visited > _WALK_ENTRIES:  # a submission is a few dozen files, not a home folder
                    break
            self.__dict__["_walked"] = (files, links)
        return self.__dict__["_walked"]


def choose(exercise_id: str, candidates: list[pathlib.Path], shown=str,
           stubs: ReleasedStubs | None = None) -> Choice:
    """Which of several files for one exercise to grade: those whose code is not the released
    stub's (`stubs`; all of them without it), each code once, best-placed first; `shown` writes
    a path for the note."""
    if len(candidates) <= 1:
        return Choice(list(candidates))
    edited, stubbed, copies, seen = [], [], [], set()
    for path in candidates:
        code = code_fingerprint(path)
        if stubs is not None and stubs.is_stub(exercise_id, code):
            stubbed.append(shown(path))
        elif code is not None and code in seen:
            copies.append(shown(path))  # a .py and its own notebook: grade that code once
        else:
            seen.add(code)
            edited.append(path)
    if not edited:
        every = [shown(p) for p in candidates]
        verb = "are both" if len(every) == 2 else "are all"
        return Choice(candidates[:1], note=f"{_listing(every)} {verb} the unchanged stub.")
    said = []
    if len(edited) > 1 and stubs is not None:
        said.append(f"{_listing([shown(p) for p in edited])} {'both' if len(edited) == 2 else 'all'} hold edited "
                    "code for this exercise, so each was graded and the best score kept")
    elif len(edited) > 1:  # no stub to compare with (`dlcourse check`): one of them may be the stub
        said.append(f"{_listing([shown(p) for p in edited])} hold different code, so each was run and the best "
                    "result kept")
    if stubbed:
        said.append(f"{_listing(stubbed)} {_is(stubbed, 'is the unchanged stub', 'are unchanged stubs')}")
    if copies:
        said.append(f"{_listing(copies)} {_is(copies, 'holds', 'hold')} the same code as another file")
    return Choice(edited, note="; ".join(said) + ".")


def _skipped(name: str) -> bool:
    return name.startswith((".", "~")) or name in _SKIPPED_DIRS


def _listing(items) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1] if items else ""


def _is(items, one: str, many: str) -> str:
    return one if len(items) == 1 else many


def code_fingerprint(path: pathlib.Path) -> str | None:
    """The code of a .py or .ipynb file, free of comments, layout, cell markers and the module's
    docstring (a notebook's first markdown cell): equal for a stub and its own notebook. None when
    the file cannot be read as code (then it is certainly not an untouched stub)."""
    from dlcourse.grading.sources import SubmissionProblem, read_submission

    try:
        key = (path.suffix, hashlib.sha256(path.read_bytes()).hexdigest())
    except OSError:
        return None
    if key not in _FINGERPRINTS:  # a class holds many copies of each stub
        try:
            _FINGERPRINTS[key] = _code_of_source(read_submission(path, path.stem))
        except (SubmissionProblem, SyntaxError, ValueError, OSError):
            _FINGERPRINTS[key] = None
    return _FINGERPRINTS[key]


_FINGERPRINTS: dict[tuple[str, str], str | None] = {}


class ReleasedStubs:
    """The code of each exercise's released stub, from the course: exercises/<id>.py and .ipynb,
    and the stub a fresh release writes from solutions/ (so a stale exercises/ still counts)."""

    def __init__(self, course):
        self.course = course
        self._codes: dict[str, set[str]] = {}

    def is_stub(self, exercise_id: str, code: str | None) -> bool:
        if code is None:
            return False
        if exercise_id not in self._codes:
            self._codes[exercise_id] = self._load(exercise_id)
        return code in self._codes[exercise_id]

    def _load(self, exercise_id: str) -> set[str]:
        from dlcourse.grading.release import ReleaseError, stub_source

        paths = [self.course.root / "exercises" / f"{exercise_id}{suffix}" for suffix in SUFFIXES]
        codes = set()
        solution = self.course.root / "solutions" / f"{exercise_id}.py"
        if solution.is_file():
            try:
                codes.add(_code_of_source(stub_source(solution.read_text(encoding="utf-8"))))
            except (ReleaseError, SyntaxError, ValueError):
                pass
        codes.update(code for code in map(code_fingerprint, filter(pathlib.Path.is_file, paths)) if code)
        return codes


def _code_of_source(source: str) -> str:
    """A digest of the source's syntax tree without the module-level strings (its docstring)."""
    tree = ast.parse(source)
    tree.body = [node for node in tree.body if not (
        isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))]
    return hashlib.sha256(ast.dump(tree).encode("utf-8", "surrogatepass")).hexdigest()


def _is_archive(path: pathlib.Path) -> bool:
    return path.is_file() and path.name.lower().endswith(ARCHIVES)


def _entries(folder: pathlib.Path) -> list[pathlib.Path]:
    return [p for p in sorted(folder.iterdir()) if not _skipped(p.name)]


def _holds_code(folder: pathlib.Path, depth: int = EXTRA_LEVELS + 1) -> bool:
    """Whether `folder` has a .py/.ipynb file within `depth` levels."""
    for entry in _entries(folder):
        if entry.is_file() and entry.suffix in SUFFIXES:
            return True
        if depth > 0 and entry.is_dir() and not entry.is_symlink() and _holds_code(entry, depth - 1):
            return True
    return False


def _looks_like_submission(folder: pathlib.Path) -> bool:
    """One student's work rather than a folder of them: chapter folders, an exercises/ folder, or
    loose .py/.ipynb files beside no folder or archive that could be another student's."""
    entries = _entries(folder)
    if any(p.is_dir() and (p.name in CHAPTERS or p.name == "exercises") for p in entries):
        return True
    if not any(p.is_file() and p.suffix in SUFFIXES for p in entries):
        return False
    return not any(_is_archive(p) or (p.is_dir() and _holds_code(p)) for p in entries)


def _archive_stem(path: pathlib.Path) -> str:
    name = path.name
    for suffix in ARCHIVES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


class _Unreadable(Exception):
    """An archive that cannot be unpacked; the message says why, in a few words."""


def _unreadable(archive, reason: _Unreadable, graded: str = "") -> str:
    return (f"{archive} could not be unpacked ({reason}){graded}; re-create the archive from the folder of "
            "exercise files (a .zip or .tar.gz) and submit it again.")


def _extract(archive: pathlib.Path, workdir: pathlib.Path) -> Submission:
    """Extract safely (no absolute paths, no `..`, no links, bounded size); the submission.
    _Unreadable when the archive cannot be unpacked."""
    target = pathlib.Path(tempfile.mkdtemp(prefix="sub-", dir=workdir))
    try:
        _unpack(archive, target)
    except _Unreadable:
        shutil.rmtree(target, ignore_errors=True)
        raise
    # An archive of a single folder (`alice/ch01_perceptron/...`) is that folder.
    entries = _entries(target)
    root = target
    if len(entries) == 1 and entries[0].is_dir() and not _looks_like_submission(target):
        root = entries[0]
    return Submission(_archive_stem(archive), root, shown_from=target)


def _extract_or_note(archive: pathlib.Path, workdir: pathlib.Path) -> Submission:
    """`_extract`, or, for an archive that cannot be unpacked, a submission with no files and a
    `problem`: a class run still grades everyone else, and this student's result line says why."""
    try:
        return _extract(archive, workdir)
    except _Unreadable as reason:
        empty = pathlib.Path(tempfile.mkdtemp(prefix="sub-", dir=workdir))
        return Submission(_archive_stem(archive), empty, problem=_unreadable(
            archive.name, reason, ", so nothing in it was graded"))


def _unpack(archive: pathlib.Path, target: pathlib.Path) -> None:
    """Write the archive's regular files under `target`; _Unreadable when it cannot be done."""
    too_big = _Unreadable(f"it unpacks to more than {MAX_ARCHIVE_BYTES // 2**20} MB")
    try:
        if archive.name.lower().endswith(".zip"):
            with zipfile.ZipFile(archive) as zf:
                members = [m for m in zf.infolist() if not m.is_dir()]
                if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
                    raise too_big
                for m in members:
                    dest = _safe_dest(target, m.filename)
                    if dest:
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        dest.write_bytes(zf.read(m))
        else:
            with tarfile.open(archive) as tf:
                members = [m for m in tf.getmembers() if m.isfile()]
                if sum(m.size for m in members) > MAX_ARCHIVE_BYTES:
                    raise too_big
                for m in members:
                    dest = _safe_dest(target, m.name)
                    if dest:
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        dest.write_bytes(tf.extractfile(m).read())
    except zipfile.BadZipFile as err:
        raise _Unreadable("it is not a zip file" if "not a zip file" in str(err) else "it is damaged") from None
    except tarfile.ReadError as err:  # opening, it lists every compression it tried, one per line
        if "could not be opened" in str(err) or "\n" in str(err):
            raise _Unreadable(f"it is not a {_archive_kind(archive)} file") from None
        raise _Unreadable("it ends early: the file was cut short" if "end of data" in str(err)
                          else "it is damaged") from None
    except EOFError:
        raise _Unreadable("it ends early: the file was cut short") from None
    except (tarfile.TarError, zlib.error, gzip.BadGzipFile, ValueError):
        raise _Unreadable("it is damaged") from None
    except OSError as err:
        raise _Unreadable(f"it could not be read: {err.strerror or type(err).__name__}") from None


def _archive_kind(archive: pathlib.Path) -> str:
    name = archive.name.lower()
    return next((s.lstrip(".") for s in (".tar.gz", ".tgz", ".tar") if name.endswith(s)), "tar")


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
        if _is_archive(path) and len(paths) == 1:  # nothing else to grade: say so and stop
            try:
                found.append(_extract(path, workdir))
            except _Unreadable as reason:
                raise CourseError(_unreadable(raw, reason)) from None
        elif _is_archive(path):
            found.append(_extract_or_note(path, workdir))
        elif path.is_dir() and _looks_like_submission(path):
            found.append(Submission(path.resolve().name, path.resolve()))
        elif path.is_dir():
            inner = [p for p in sorted(path.iterdir()) if not p.name.startswith(".")]
            subs = []
            for child in inner:
                if _is_archive(child):
                    subs.append(_extract_or_note(child, workdir))
                elif child.is_dir():
                    # A student folder without exercise files still gets a (zero) result line,
                    # and its report says what was expected.
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
