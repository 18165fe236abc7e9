"""No half-written outputs: write into a temporary folder beside the target, move into place at the end.

A run writes several files (targets, exports, map, report).  If one step fails
(a missing asset, a full disk, a bug) the user must not be left with a folder
where some files are new and others are from an earlier run, all looking
current.  So the CLI writes every output into a hidden temporary folder beside
the target and, only when every output succeeded, moves each finished file into
place (``os.replace``: on one file system, each file appears whole or not at
all).  On failure the temporary folder is removed, the target is exactly as it
was, and the error carries the note "nothing was written".

Files already in the out folder that this run writes are **replaced**; any other
file there (from an earlier run, or the user's own) is **listed** and left as it
was, never deleted: :attr:`Staged.others` names them so the CLI can say so.

A run killed outright (power cut, ``kill -9``) cannot clean up after itself:
its hidden folder stays.  The next run beside it removes such leftovers when
the process that made them is gone (each holds a ``.coverage-gaps-owner`` file: host and
process id; a folder from another host goes after a day).

::

    check_folder(out)                      # before the analysis: fail fast on a bad path
    with Staged(out) as stage:             # a temporary folder beside out/
        write_exports(result, stage.dir)
        write_report(result, stage.path("report.html"))
    stage.written, stage.replaced, stage.others

``Staged(path, single_file=True)`` does the same for one file (``report -o``,
``targets -o``): ``stage.path()`` is where to write it.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from pathlib import Path

from .errors import OutputError, describe

__all__ = ["NOTHING_WRITTEN", "Staged", "check_file", "check_folder", "remove_leftovers"]

#: The note added to any error raised inside :class:`Staged` (``{target}`` is the out folder or file).
NOTHING_WRITTEN = "Nothing was written: {target} is unchanged."
_PREFIX = ".coverage-gaps-partial-"
_OWNER = ".coverage-gaps-owner"  # inside each partial folder: "host pid"
_FOREIGN_AGE_S = 24 * 3600  # a partial folder from another host is a leftover after this long


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's live process
        return True
    return True


def _leftover(folder: Path) -> bool:
    """True when ``folder`` is a partial folder whose run is gone (killed before it could clean up)."""
    try:
        host, pid = (folder / _OWNER).read_text(encoding="utf-8").split()
        if host == socket.gethostname():
            return not _alive(int(pid))
    except (OSError, ValueError):  # no owner file yet (a run starting now) or unreadable: judge by age
        pass
    try:
        return time.time() - folder.stat().st_mtime > _FOREIGN_AGE_S
    except OSError:
        return False


def remove_leftovers(where: Path) -> list[str]:
    """Remove partial folders in ``where`` left by runs that were killed; their names."""
    removed = []
    for folder in sorted(where.glob(_PREFIX + "*")) if where.is_dir() else []:
        if folder.is_dir() and _leftover(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


def check_folder(out: str | Path, *, option: str = "--out") -> Path:
    """``out`` as a Path, or :class:`OutputError` when it names an existing file (not a folder)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(describe(f"{option} must name a folder, but this is an existing file", file=out,
                                   fix=f"give {option} a folder name (new or existing), e.g. {out.with_suffix('')}"
                                       if out.suffix else f"give {option} a folder name, or move the file away"))
    return out


def check_file(path: str | Path, *, option: str = "-o", example: str = "report.html") -> Path:
    """``path`` as a Path, or :class:`OutputError` when it names an existing folder (not a file)."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(describe(f"{option} must name a file, but this is an existing folder", file=path,
                                   fix=f"give a file name, e.g. {option} {path / example}"))
    if path.parent.exists() and not path.parent.is_dir():
        raise OutputError(describe(f"{option} names a file inside something that is not a folder",
                                   file=path.parent, fix="choose a file in an existing or new folder"))
    return path


def _missing_parents(folder: Path) -> list[Path]:
    """Folders from ``folder`` up that do not exist yet (deepest first)."""
    missing = []
    for p in (folder, *folder.parents):
        if p.exists():
            break
        missing.append(p)
    return missing


class Staged:
    """A context manager that stages outputs and moves them into place only when all succeeded.

    Parameters
    ----------
    target
        The out folder, or with ``single_file=True`` the output file.
    single_file
        Stage one file (``target``) rather than a folder of files.

    Attributes
    ----------
    dir : Path
        The temporary folder to write into (inside the ``with`` block).
    written : list of Path
        Final paths of the files moved into place (after the block).
    replaced : list of str
        Names of the files that existed before and were replaced.
    others : list of str
        Names of other files in the out folder that this run did not write,
        left unchanged (a folder target only).
    """

    def __init__(self, target: str | Path, *, single_file: bool = False):
        self.single_file = single_file
        self.target = check_file(target) if single_file else check_folder(target)
        self.folder = self.target.parent if single_file else self.target
        self.dir: Path | None = None
        self.written: list[Path] = []
        self.replaced: list[str] = []
        self.others: list[str] = []
        self.leftovers: list[str] = []  # partial folders of killed runs, removed on entry
        self._created: list[Path] = []

    def path(self, name: str | None = None) -> Path:
        """Where to write ``name`` (or, for a single file, the file) inside the temporary folder."""
        if self.dir is None:
            raise RuntimeError("Staged.path() is only available inside the with block")
        return self.dir / (self.target.name if self.single_file else name)

    def __enter__(self) -> "Staged":
        self._created = _missing_parents(self.folder.parent if not self.single_file else self.folder)
        for p in reversed(self._created):
            p.mkdir()
        # beside the target, so the final moves stay on one file system
        where = self.folder if self.single_file else self.folder.parent
        self.leftovers = remove_leftovers(where)
        self.dir = Path(tempfile.mkdtemp(prefix=_PREFIX, dir=where))
        (self.dir / _OWNER).write_text(f"{socket.gethostname()} {os.getpid()}", encoding="utf-8")
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        try:
            if exc is None:
                self._commit()
        except BaseException as failure:  # moving into place failed: say what did happen
            failure.add_note(f"Moving the finished outputs into {self.target} failed part-way; moved so far: "
                             f"{', '.join(p.name for p in self.written)}." if self.written
                             else NOTHING_WRITTEN.format(target=self.target))
            raise
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
            if exc is not None:
                for p in self._created:  # deepest first; only folders this run made, and only if empty
                    try:
                        p.rmdir()
                    except OSError:
                        break
        if exc is not None:
            exc.add_note(NOTHING_WRITTEN.format(target=self.target))
        return False

    def _commit(self) -> None:
        staged = sorted(p for p in self.dir.iterdir() if p.is_file() and p.name != _OWNER)
        if not self.single_file:
            self.folder.mkdir(exist_ok=True)
        names = {p.name for p in staged}
        blocked = [self.folder / n for n in sorted(names) if (self.folder / n).is_dir()]
        if blocked:  # checked before anything moves
            raise OutputError(describe("an output file would replace a folder of the same name", file=blocked[0],
                                       fix="move or rename that folder"))
        for src in staged:
            dest = self.folder / src.name
            if dest.exists():
                self.replaced.append(src.name)
            os.replace(src, dest)
            self.written.append(dest)
        if not self.single_file:
            self.others = sorted(p.name for p in self.folder.iterdir()
                                 if p.name not in names and not p.name.startswith(_PREFIX))
