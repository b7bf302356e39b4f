"""When a prebuilt copy (the wheel's snapshot, a ``.kzindex`` file) may stand in for a corpus.

One header for both: the copy's format, kz's version, a fingerprint of the
code that cuts and folds text and builds the index (so an old copy is stale
as soon as any of it changes, even within one version), and the size and
CRC-32 of the corpus file it was made from. The stemmer's version travels
with the search index itself and is checked where the index is used, so that
commands that never stem never import the stemmer.

What the CRC-32s promise: an accident (an edited corpus, a damaged disk, a
copy cut short, bytes flipped) is caught. What they do not: anyone who can
write the file can recompute them, so they prove nothing about who wrote it.
That is why an index file is also checked for what it is (``open_copy``: a
regular file of a sane size, owned by the user running kz or by the corpus's
owner) and every row read from it for what it holds (``kzcli.rows``).
"""

from __future__ import annotations

import os
import stat
import zlib

from kzcli import __version__

# The stored copies: the wheel's snapshot beside report.json, an index file beside any corpus.
SNAPSHOT_NAME = "report.snapshot"
STORE_SUFFIX = ".kzindex"
# Bump when what a snapshot or index file holds changes shape.
FORMAT = 10  # 9: topics; 10: the snapshot keeps each word's postings marshalled on their own
# The modules whose code decides what a stored copy holds: how text is cut,
# folded and stemmed, and how the index and lookup tables are built from it.
_RULES = ("text.py", "search.py", "memory.py", "names.py", "entities.py", "store.py", "rows.py")
# The largest corpus kz reads: the real one is ~100 KB.
MAX_CORPUS_BYTES = 32 * 1024 * 1024
# Opening never blocks (a FIFO), never follows a link where asked not to, never outlives exec.
_NONBLOCKING = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class Unusable(Exception):
    """Why a stored copy cannot stand in for its corpus: said in one line, then kz reads the JSON."""


def max_copy_bytes(corpus_size: int) -> int:
    """The largest index file kz writes or reads for a corpus of ``corpus_size`` bytes.

    An index holds every paragraph and record once, plus the position of every
    word: ~2 to 3 times the corpus for prose, ~16 times at worst (paragraphs of
    one-letter compounds, "a-a-a-...", each part a word of its own). Anything
    bigger is not kz's, and is never checksummed (a 20 GB sparse file took
    seconds on every query).
    """
    return 32 * corpus_size + (1 << 20)


def rules_fingerprint() -> int:
    """CRC-32 of the source of the modules in ``_RULES`` (0 where a module's source is absent)."""
    here = os.path.dirname(os.path.abspath(__file__))
    crc = 0
    for name in _RULES:
        try:
            with open(os.path.join(here, name), "rb") as handle:
                crc = zlib.crc32(handle.read(), crc)
        except OSError:
            crc = zlib.crc32(name.encode(), crc)
    return crc


def header(corpus_size: int, corpus_crc: int) -> tuple[int, str, int, int, int]:
    """What must match for a stored copy to stand in for a corpus of this size and CRC-32."""
    return (FORMAT, __version__, rules_fingerprint(), corpus_size, corpus_crc)


def header_of(source: bytes) -> tuple[int, str, int, int, int]:
    """The header for a corpus whose bytes are ``source`` (read already: no second read of the file)."""
    return header(len(source), zlib.crc32(source))


def open_regular(path: str, follow_links: bool = True) -> tuple[int, os.stat_result]:
    """A read-only descriptor of the regular file at ``path`` and its status; Unusable otherwise.

    Never blocks: a FIFO opens at once (non-blocking) and is refused as not a regular file.
    """
    flags = _NONBLOCKING | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow_links and os.path.islink(path):
            raise Unusable("is a symbolic link") from None
        raise Unusable(f"cannot be opened ({exc.strerror or exc})") from None
    except ValueError as exc:  # a NUL in the name
        raise Unusable(f"cannot be opened ({exc})") from None
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode):
        os.close(fd)
        raise Unusable("is not a regular file")
    return fd, status


def crc_skipping(data: bytes | memoryview, skip: int) -> int:
    """CRC-32 of ``data`` with its 4 bytes at ``skip`` counted as zeros: where an index file keeps
    its own checksum (written by ``store``, checked by ``descriptor_crc``: one computation for both)."""
    return zlib.crc32(data[skip + 4 :], zlib.crc32(b"\0\0\0\0", zlib.crc32(data[:skip])))


def descriptor_crc(fd: int, skip: int | None = None) -> tuple[int, int, int] | None:
    """(size, CRC-32, the 4 bytes at ``skip`` as a number) of an open file, those bytes counted
    as zeros; None if it cannot be read (empty, shorter than ``skip``).

    A large file through mmap, without copying it: ~7 ms for the 23 MB index
    of a corpus 100 times the report, where reading it first took twice that.
    A small one (the report's corpus, checked before its snapshot is used on
    every query from the wheel) is read: importing mmap alone cost ~0.2 to
    0.5 ms of such a query.
    """
    try:
        size = os.fstat(fd).st_size
        if size > _READ_WHOLE_BYTES:
            return _mapped_crc(fd, skip)
        data = b""
        while len(data) < size:
            chunk = os.pread(fd, size - len(data), len(data))
            if not chunk:
                break
            data += chunk
    except (OSError, ValueError):
        return None
    return _crc_of(memoryview(data), skip)


# Files up to this size are read whole to be checksummed; larger ones are mapped.
_READ_WHOLE_BYTES = 4 * 1024 * 1024


def _mapped_crc(fd: int, skip: int | None) -> tuple[int, int, int] | None:
    import mmap

    try:
        with (
            mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as mapped,
            memoryview(mapped) as view,
        ):
            return _crc_of(view, skip)
    except (OSError, ValueError):
        return None


def _crc_of(view: memoryview, skip: int | None) -> tuple[int, int, int] | None:
    if not view:
        return None
    if skip is None:
        return len(view), zlib.crc32(view), 0
    if len(view) < skip + 4:
        return None
    return len(view), crc_skipping(view, skip), int.from_bytes(view[skip : skip + 4], "big")


def file_crc(path: str, skip: int | None = None, limit: int | None = None) -> tuple[int, int, int] | None:
    """``descriptor_crc`` of the file at ``path``; None if it is missing, empty, not a regular
    file (never waiting on a FIFO) or larger than ``limit``."""
    try:
        fd, status = open_regular(path)
    except Unusable:
        return None
    try:
        return None if limit is not None and status.st_size > limit else descriptor_crc(fd, skip)
    finally:
        os.close(fd)


def corpus_header(corpus_path: str) -> tuple[int, str, int, int, int] | None:
    """The header a copy of the corpus at ``corpus_path`` must carry; None if the corpus cannot be
    read (or is larger than kz reads: no stored copy of it is worth checksumming it whole)."""
    found = file_crc(corpus_path, limit=MAX_CORPUS_BYTES)
    return None if found is None else header(found[0], found[1])


def owner(path: str) -> int | None:
    """The user id owning the file at ``path`` (the file a link leads to), None if it cannot be read."""
    try:
        return os.stat(path).st_uid
    except (OSError, ValueError):
        return None


def open_copy(path: str, corpus_path: str, corpus_size: int) -> int:
    """A read-only descriptor of the index file at ``path``.

    Unusable unless it is a regular file (not a link, a FIFO or a folder), owned
    by the user running kz or by the corpus file's owner (whoever can change the
    corpus could as well have made its index; nobody else may), and no larger
    than any index of this corpus can be (``max_copy_bytes``).
    """
    fd, status = open_regular(path, follow_links=False)
    try:
        if hasattr(os, "geteuid"):
            me = os.geteuid()
            corpus_owner = owner(corpus_path)
            if status.st_uid not in (me, corpus_owner):
                raise Unusable(f"belongs to another user (uid {status.st_uid}), neither you nor the corpus's owner")
        if status.st_size > max_copy_bytes(corpus_size):
            raise Unusable(f"is larger ({status.st_size >> 20} MiB) than any index of this corpus can be")
    except BaseException:
        os.close(fd)
        raise
    return fd
