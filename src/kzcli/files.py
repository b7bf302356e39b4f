"""Writing files safely: refuse what must not be replaced, write beside the target, rename into place.

Every file kz writes (export, ingest, index) goes through here, so an
interrupted write leaves nothing half-written and ``--force`` replaces only
what kz itself would have written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from kzcli.errors import OutputError, UsageError


def check_target(path: str, force: bool, directory: bool = False) -> None:
    """Refuse any target ``--force`` must not replace.

    --force replaces what an export of the same kind would have written: a
    file with a file, a folder holding nothing but .csv files with a CSV
    folder. Never a link, device or pipe, never a folder with a file, and
    never a folder holding anything else (a user's project is not a table).
    """
    if not path.strip():
        raise UsageError("an output path is needed (or - for standard output)")
    if os.path.lexists(path) and not force:
        raise UsageError(f"{path} already exists; use --force to replace it")
    if os.path.islink(path) or (os.path.lexists(path) and not (os.path.isfile(path) or os.path.isdir(path))):
        raise UsageError(f"{path} is not a regular file or directory; kz will not replace it")
    if os.path.isdir(path):
        if not directory:
            raise UsageError(f"{path} is a folder; kz will not replace a folder with a file")
        entries = os.listdir(path)
        if any(not name.endswith(".csv") or not os.path.isfile(os.path.join(path, name)) for name in entries):
            raise UsageError(f"{path} holds files other than CSV tables; kz will not replace it")
    elif os.path.isfile(path) and directory:
        raise UsageError(f"{path} is a file; a CSV export writes a folder")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise UsageError(f"cannot write {path}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        # The path is fine; the machine refuses it: an output failure (74), not bad usage.
        raise OutputError(f"cannot write {path}: directory {parent} is not writable")


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with suppress(FileNotFoundError):
            os.unlink(path)


def _swap_into_place(temporary: str, target: str) -> None:
    """Rename ``temporary`` to ``target``, replacing whatever is there."""
    if not os.path.lexists(target):
        os.rename(temporary, target)
        return
    if os.path.isfile(target) and os.path.isfile(temporary):
        os.replace(temporary, target)  # atomic for file over file
        return
    # A directory is involved: move the old one aside, move in, then drop the old.
    aside = f"{temporary}.old"
    os.rename(target, aside)
    try:
        os.rename(temporary, target)
    except OSError:
        os.rename(aside, target)
        raise
    _remove(aside)


@contextmanager
def staged(target: str, directory: bool) -> Iterator[str]:
    """A temporary file or directory next to ``target``, renamed onto it on success only."""
    parent = os.path.dirname(os.path.abspath(target))
    prefix = f".{os.path.basename(target)}."
    if directory:
        temporary = tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=parent)
    else:
        handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=parent)
        os.close(handle)
    try:
        yield temporary
        if directory:
            os.chmod(temporary, 0o755 & ~_umask())
        else:
            os.chmod(temporary, 0o644 & ~_umask())
        _swap_into_place(temporary, target)
    except BaseException:
        _remove(temporary)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
