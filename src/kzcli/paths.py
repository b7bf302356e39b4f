"""Where the corpus file is and reading a file within bounds: a leaf (it imports only ``os``).

Apart from ``kzcli.document`` so that what needs only a path and bytes
(``kz --version``) imports no model: ``kzcli.corpus`` costs ~2 ms to import,
more on a loaded machine. ``kzcli.document`` re-exports all of it.
"""

from __future__ import annotations

import os

DATA_ENV = "KZ_DATA"


def bundled_path() -> str:
    """Where the shipped corpus is: inside the package (wheel), else the checkout.

    Plain ``os.path`` rather than ``importlib.resources``: the corpus is a real
    file in both layouts, and the resources machinery costs ~20 ms of imports.
    """
    packaged = packaged_path()
    if os.path.isfile(packaged):
        return packaged
    # Editable install: src/kzcli/ -> repository root data/.
    here = os.path.dirname(packaged)
    return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(here))), "data", "report.json")


def packaged_path() -> str:
    """Where a wheel puts the corpus: kzcli/data/report.json."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "report.json")


def resolve_path(explicit: str | None) -> str:
    """``--data`` beats ``KZ_DATA`` beats the bundled corpus."""
    if explicit:
        return explicit
    from_env = os.environ.get(DATA_ENV)
    return from_env if from_env else bundled_path()


def read_bounded(path: str, limit: int) -> bytes:
    """A file's bytes, never more than ``limit``; ValueError saying what is wrong otherwise.

    Bounded by reading, not by ``getsize``: /dev/zero or a pipe reports size 0
    and never ends. One reader for corpora and ingested chapters alike.
    """
    try:
        directory = os.path.isdir(path)
    except ValueError as exc:  # a NUL in the name, say
        raise ValueError(f"is not a usable file name ({exc})") from None
    if directory:
        raise ValueError("is a directory, not a file")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except PermissionError:
        raise ValueError("permission denied") from None
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:  # a NUL in the name, say
        raise ValueError(f"is not a usable file name ({exc})") from None
    if len(raw) > limit:
        raise ValueError(f"is larger than the {limit // (1024 * 1024)} MiB limit")
    return raw
