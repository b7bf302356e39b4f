"""``kz --version``: kz's version, the report in use and a short checksum of its corpus file.

For a bug report or a paper's methods section: which kz, which report, which
bytes. The checksum is the first 12 hex digits of the corpus file's SHA-256,
so ``sha256sum data/report.json`` shows the same digits. Only the report
block is parsed (``report_block``): a large ``--data`` corpus is hashed, not
loaded, validated or indexed.
"""

from __future__ import annotations

import json
from typing import Any

CHECKSUM_DIGITS = 12


def report_block(text: str) -> dict[str, Any] | None:
    """The top-level ``report`` object of a corpus's JSON text, decoding the members before it and no further.

    kz writes ``report`` second, after ``schema_version``, so the sections are never parsed; None when the
    text is not a JSON object or has no object under ``report``.
    """
    import re

    whitespace = re.compile(r"[ \t\n\r]*")  # JSON's four

    def skip(at: int) -> int:
        found = whitespace.match(text, at)  # always matches, if only the empty string
        return found.end() if found else at

    decoder = json.JSONDecoder()
    try:
        at = skip(0)
        if text[at] != "{":
            return None
        at += 1
        while True:
            at = skip(at)
            if text[at] != '"':
                return None
            key, at = decoder.raw_decode(text, at)
            at = skip(at)
            if text[at] != ":":
                return None
            value, at = decoder.raw_decode(text, skip(at + 1))
            if key == "report":
                return value if isinstance(value, dict) else None
            at = skip(at)
            if text[at] != ",":
                return None
            at += 1
    except (ValueError, IndexError, RecursionError):
        return None


def describe(data: str | None) -> list[str]:
    """The lines after ``kz VERSION``: the report, then the corpus (its path when one was given) and checksum.

    CorpusError when the corpus file cannot be read: ``kz --version`` has then
    said its own version, and exits 3 as every command does without a corpus.
    """
    from kzcli.characters import printable
    from kzcli.errors import CorpusError
    from kzcli.paths import bundled_path, read_bounded, resolve_path
    from kzcli.validity import MAX_CORPUS_BYTES

    path = resolve_path(data or None)
    try:
        raw = read_bounded(path, MAX_CORPUS_BYTES)
    except ValueError as exc:
        raise CorpusError(path, str(exc)) from None
    checksum = sha256_hex(raw)[:CHECKSUM_DIGITS]
    block = report_block(raw.decode("utf-8", errors="replace"))
    if block is None:
        report = "not found (kz validate says why)"
    else:
        shown = [str(block.get(key, "")) for key in ("title", "series", "publisher")]
        report = f"{shown[0]} ({', '.join(part for part in shown[1:] if part)})"
    where = path if data or path != bundled_path() else "bundled"
    return [printable(f"report: {report}"), printable(f"corpus: {where}, sha256 {checksum}")]


def sha256_hex(data: bytes) -> str:
    """SHA-256 from CPython's own implementation, the one ``hashlib`` falls back on: ``hashlib``
    loads OpenSSL first, ~3 ms on an idle machine and 10 to 15 on a loaded one, where the
    builtin module loads in ~0.4 ms. ``hashlib`` still, where a build has no builtin one."""
    import importlib

    for name in ("_sha2", "_sha256", "hashlib"):  # Python 3.12+, Python 3.10 and 3.11, any
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "sha256"):
            return str(module.sha256(data).hexdigest())
    raise RuntimeError("no SHA-256 in this Python")
