"""Writing files that nobody can redirect, and that never destroy what was not checked.

Every file kz writes (export, ingest, index, --install-completion) goes through here, by these rules:

- **Created by kz.** A file is made by ``mkstemp`` beside its target (a new
  name, O_EXCL, mode 0600) and written through that descriptor; a CSV folder
  is made by ``mkdtemp`` (mode 0700) and its tables are created inside it
  relative to the folder's own descriptor (O_EXCL, O_NOFOLLOW). Nothing is
  opened by a name somebody else could have planted first (a symlink into the
  user's files, a FIFO). SQLite databases are built in memory and written as
  bytes the same way (``sqlite_image``), so SQLite never creates a file (or a
  journal) by name.
- **Synced, then renamed into place**, the folder synced after the rename.
- **The target is checked again at rename time.** Where nothing was, nothing
  may have appeared (``renameat2`` RENAME_NOREPLACE). Where ``--force``
  allowed replacing a file or a CSV folder, it must still be that same one
  (device and inode; a CSV folder still holding only CSV files): the new one
  is exchanged with it in one step (RENAME_EXCHANGE), and the old one is
  deleted only once it is confirmed to be what was checked, else swapped
  back. Otherwise nothing is replaced and kz says so (exit 74).
- A replaced file or folder keeps its permission bits; a new file gets 0644
  (a folder 0755) less the umask.
- On any failure, and on SIGINT, SIGTERM or SIGHUP (``kzcli.stopping``
  turns each into an exception), the temporary file or folder is removed.

Without ``renameat2`` (not Linux, or a file system without it) kz falls back
on ``link`` (cannot replace) for a new file and on a check just before
``rename`` for a replacement, which leaves a moment's window: noted, not hidden.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import IO, TYPE_CHECKING, Any

from kzcli import stopping
from kzcli.errors import OutputError, UsageError
from kzcli.named import NamedTuple

if TYPE_CHECKING:
    import sqlite3

_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def between_steps(step: str, path: str) -> None:
    """Called between the steps of a write (``step`` names the one just done); does nothing.

    Tests replace it to act at that moment (a folder appearing at the target
    while an export runs), so that a race is reproduced on every run.
    """


class Target(NamedTuple):
    """Where a write goes, and what was there when it was checked (``found``; None: nothing)."""

    path: str
    directory: bool
    found: os.stat_result | None


def check_target(path: str, force: bool, directory: bool = False) -> Target:
    """The target, if kz may write it: refuse any target ``--force`` must not replace.

    --force replaces what an export of the same kind would have written: a
    file with a file, a folder holding nothing but .csv files with a CSV
    folder. Never a link, device or pipe, never a folder with a file, and
    never a folder holding anything else (a user's project is not a table).
    """
    if not path.strip():
        raise UsageError("an output path is needed (or - for standard output)")
    try:
        found: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    if found is not None:
        if not force:
            raise UsageError(f"{path} already exists; use --force to replace it")
        _check_replaceable(path, found, directory)
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise UsageError(f"cannot write {path}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        # The path is fine; the machine refuses it: an output failure (74), not bad usage.
        raise OutputError(f"cannot write {path}: directory {parent} is not writable")
    return Target(os.path.normpath(path), directory, found)


def _check_replaceable(path: str, found: os.stat_result, directory: bool) -> None:
    if not (stat.S_ISREG(found.st_mode) or stat.S_ISDIR(found.st_mode)):
        raise UsageError(f"{path} is not a regular file or directory; kz will not replace it")
    if stat.S_ISDIR(found.st_mode) and not directory:
        raise UsageError(f"{path} is a folder; kz will not replace a folder with a file")
    if stat.S_ISDIR(found.st_mode) and not _only_tables(path):
        raise UsageError(f"{path} holds files other than CSV tables; kz will not replace it")
    if stat.S_ISREG(found.st_mode) and directory:
        raise UsageError(f"{path} is a file; a CSV export writes a folder")


def _only_tables(folder: str) -> bool:
    """Whether ``folder`` holds nothing but regular ``.csv`` files (a link named x.csv is not one)."""
    try:
        return all(
            name.endswith(".csv") and stat.S_ISREG(os.lstat(os.path.join(folder, name)).st_mode)
            for name in os.listdir(folder)
        )
    except OSError:
        return False


# --- writing beside the target -------------------------------------------------


def _beside(target: str) -> tuple[str, str]:
    """The folder a temporary goes in (the target's own, so the rename stays on one file system) and its prefix."""
    return os.path.dirname(os.path.abspath(target)), f".{os.path.basename(target)}."


def _mode(target: Target, new: int) -> int:
    """A replaced file's own permission bits; ``new`` less the umask for a new one."""
    if target.found is not None:
        return stat.S_IMODE(target.found.st_mode)
    current = os.umask(0)
    os.umask(current)
    return new & ~current


@contextmanager
def staged_file(target: Target, encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """A new file beside ``target``, open for writing (text, or bytes when ``encoding`` is None).

    When the block ends without an error it is synced and renamed onto the
    target by the rules above; otherwise it is removed.
    """
    parent, prefix = _beside(target.path)
    descriptor, temporary = -1, ""
    try:
        with stopping.held():  # no signal between making the file and knowing its name
            descriptor, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=parent)
        with open(descriptor, "w" if encoding else "wb", encoding=encoding, closefd=False) as handle:
            yield handle
        os.fchmod(descriptor, _mode(target, 0o644))
        os.fsync(descriptor)
        made = os.fstat(descriptor)
        between_steps("written", temporary)
        _place(temporary, target, made)
    except BaseException:
        if descriptor >= 0:
            _discard_file(temporary, descriptor)
        raise
    finally:
        if descriptor >= 0:
            os.close(descriptor)


def _discard_file(temporary: str, descriptor: int) -> None:
    """Remove the temporary, if the name still leads to the file kz made."""
    with suppress(OSError):
        if _is(temporary, os.fstat(descriptor)):
            os.unlink(temporary)


class Folder:
    """A folder kz made, written only through its descriptor: a name planted in it is never followed."""

    def __init__(self, descriptor: int) -> None:
        self.descriptor = descriptor
        self.names: list[str] = []

    @contextmanager
    def create(self, name: str) -> Iterator[IO[str]]:
        """A new UTF-8 text file ``name`` in the folder, synced when the block ends."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        descriptor = os.open(name, flags, 0o644, dir_fd=self.descriptor)
        self.names.append(name)
        with open(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(descriptor)


@contextmanager
def staged_folder(target: Target) -> Iterator[Folder]:
    """A new private folder beside ``target`` for a CSV export; renamed onto it on success, else removed."""
    parent, prefix = _beside(target.path)
    temporary, folder = "", Folder(-1)
    try:
        with stopping.held():  # no signal between making the folder and holding it
            temporary = tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=parent)
            folder.descriptor = os.open(temporary, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        descriptor = folder.descriptor
        made = os.fstat(descriptor)
        if not _is(temporary, made):
            raise OutputError(f"cannot write {target.path}: its temporary folder was replaced by someone else")
        yield folder
        os.fchmod(descriptor, _mode(target, 0o755))
        os.fsync(descriptor)
        between_steps("written", temporary)
        _place(temporary, target, made)
    except BaseException:
        if temporary:
            _discard_folder(temporary, folder)
        raise
    finally:
        if folder.descriptor >= 0:
            os.close(folder.descriptor)


def _discard_folder(temporary: str, folder: Folder) -> None:
    if folder.descriptor < 0:  # made, never opened: empty
        with suppress(OSError):
            os.rmdir(temporary)
        return
    for name in folder.names:
        with suppress(OSError):
            os.unlink(name, dir_fd=folder.descriptor)
    with suppress(OSError):
        if _is(temporary, os.fstat(folder.descriptor)):
            os.rmdir(temporary)


def sqlite_image(fill: Callable[[sqlite3.Connection], None]) -> bytes:
    """The bytes of a SQLite database that ``fill`` builds, made in memory: SQLite creates no file by name."""
    import sqlite3

    db = sqlite3.connect(":memory:")
    try:
        fill(db)
        db.commit()
        image = _serialized(db)
        return image if image is not None else _image_through_private_folder(db)
    finally:
        db.close()


def _serialized(db: sqlite3.Connection) -> bytes | None:
    """The database's bytes (Python 3.11+), or None where ``serialize`` does not exist."""
    serialize = getattr(db, "serialize", None)
    return None if serialize is None else bytes(serialize())


def _image_through_private_folder(db: sqlite3.Connection) -> bytes:
    """Python 3.10 has no ``serialize``: copy the database into a file in a private folder
    (``mkdtemp``, mode 0700, in the system's temporary directory) and read it back."""
    import sqlite3

    with tempfile.TemporaryDirectory(prefix="kz-") as folder:
        path = os.path.join(folder, "image.db")
        copy = sqlite3.connect(path)
        try:
            db.backup(copy)
        finally:
            copy.close()
        with open(path, "rb") as handle:
            return handle.read()


# --- into place ------------------------------------------------------------------


def _same(one: os.stat_result, other: os.stat_result) -> bool:
    """The same file or folder: device, inode and kind."""
    return (one.st_dev, one.st_ino, stat.S_IFMT(one.st_mode)) == (
        other.st_dev,
        other.st_ino,
        stat.S_IFMT(other.st_mode),
    )


def _is(path: str, made: os.stat_result) -> bool:
    """Whether ``path`` leads to the very file or folder ``made`` describes (never following a link)."""
    try:
        return _same(os.lstat(path), made)
    except OSError:
        return False


def _renameat2(source: str, destination: str, flags: int) -> bool:
    """Linux's renameat2; False where this system or file system does not have it."""
    import ctypes

    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if call(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(destination), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), destination)


def _changed(target: Target) -> OutputError:
    what = "appeared" if target.found is None else "changed"
    return OutputError(f"cannot write {target.path}: it {what} while kz was writing; kz replaced nothing")


def _place(temporary: str, target: Target, made: os.stat_result) -> None:
    """Rename the finished temporary onto the target, if the target is still what was checked."""
    if not _is(temporary, made):
        raise OutputError(f"cannot write {target.path}: its temporary file was replaced by someone else")
    if target.found is None:
        _place_new(temporary, target)
    else:
        _place_over(temporary, target)
    between_steps("placed", target.path)
    if not _is(target.path, made):
        raise OutputError(f"cannot write {target.path}: someone else replaced it as kz put it there")
    _sync_folder(os.path.dirname(os.path.abspath(target.path)))


def _place_new(temporary: str, target: Target) -> None:
    """Where nothing was checked, only where nothing is now."""
    try:
        if _renameat2(temporary, target.path, _RENAME_NOREPLACE):
            return
        if target.directory:
            os.rename(temporary, target.path)  # fails on a file or a folder with anything in it
        else:
            os.link(temporary, target.path)  # fails on anything at all
            os.unlink(temporary)
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        raise _changed(target) from None
    except OSError as exc:
        if exc.errno == errno.ENOTEMPTY:
            raise _changed(target) from None
        raise


def _still_checked(path: str, target: Target) -> bool:
    assert target.found is not None
    try:
        now = os.lstat(path)
    except OSError:
        return False
    return _same(now, target.found) and (not target.directory or _only_tables(path))


def _place_over(temporary: str, target: Target) -> None:
    """Replace what ``--force`` allowed, only while it is still that."""
    if not os.path.lexists(target.path):
        _place_new(temporary, target._replace(found=None))  # removed meanwhile: nothing to replace
        return
    if not _still_checked(target.path, target):
        raise _changed(target)
    if _renameat2(temporary, target.path, _RENAME_EXCHANGE):
        # The old one is now at the temporary's name: confirm it is what was checked, else swap back.
        if not _still_checked(temporary, target):
            _renameat2(temporary, target.path, _RENAME_EXCHANGE)
            raise _changed(target)
        _remove_replaced(temporary, target.directory)
        return
    if not target.directory:
        os.replace(temporary, target.path)  # no exchange here: checked just above
        return
    aside = f"{temporary}.replaced"
    os.rename(target.path, aside)
    if not _still_checked(aside, target):
        os.rename(aside, target.path)
        raise _changed(target)
    os.rename(temporary, target.path)
    _remove_replaced(aside, True)


def _remove_replaced(path: str, directory: bool) -> None:
    """Delete what was replaced: a file, or a CSV folder's .csv files and then the folder if that emptied it."""
    if not directory:
        os.unlink(path)
        return
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        for name in os.listdir(descriptor):
            if name.endswith(".csv") and stat.S_ISREG(os.lstat(name, dir_fd=descriptor).st_mode):
                os.unlink(name, dir_fd=descriptor)
    finally:
        os.close(descriptor)
    # Anything else put there meanwhile is kept, in the folder under its hidden name.
    with suppress(OSError):
        os.rmdir(path)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (where a folder can be opened and synced)."""
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
