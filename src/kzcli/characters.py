"""The one character policy: what no corpus string may hold and no output shows raw.

Unsafe characters are those a terminal acts on or that hide what a text says:
C0 and C1 controls and DEL (escape sequences, tabs, newlines), the bidi
controls (ALM, LRM, RLM, LRE to RLO, LRI to PDI), zero-width and invisible
characters (ZWSP, ZWNJ, ZWJ, the word joiner and invisible operators, the
byte order mark) and the line and paragraph separators (U+2028, U+2029).

``kz validate`` rejects a corpus holding one (``kzcli.validation``), the
index file's rows are held to the same rule (``kzcli.store``), and whatever
kz prints goes through ``printable`` (plain text, CSV, Rich, citations,
messages) or ``json_safe`` (JSON), so a character that slipped past both is
shown as an escape (``\\x1b``, ``\\u202e``), never acted on.

A leaf module (it imports only ``re``, and compiles nothing until needed):
output and validation use it without loading the text analysis of
``kzcli.text``, whose ``printable`` is this one.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Unsafe beyond the controls: bidi, zero-width and invisible characters, separators.
INVISIBLE = "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# The whole policy, as a regular expression character class (the JSON Schema states the same).
UNSAFE_CLASS = f"\x00-\x1f\x7f-\x9f{INVISIBLE}"
# What a corpus or index string may not hold: the policy, and lone surrogates (JSON's \ud800
# escapes decode to code points no UTF-8 file can hold; a pair decodes to one character).
FORBIDDEN_IN_CORPUS = f"[{UNSAFE_CLASS}\ud800-\udfff]"
# The same without tab and newline, for plain output whose fields and records they separate.
_KEEPING_LAYOUT = f"[\x00-\x08\x0b-\x1f\x7f-\x9f{INVISIBLE}\ud800-\udfff]"


@lru_cache(maxsize=4)
def _pattern(characters: str) -> re.Pattern[str]:
    # Compiled on first use (~0.3 ms): most runs print nothing that needs it.
    return re.compile(characters)


def _plainly_printable(text: str) -> bool:
    """True when ``text`` surely holds nothing unsafe, checked in C: every character printable,
    the no-break spaces of the report's prose counted as spaces (Python calls them unprintable)."""
    return text.isprintable() or ("\xa0" in text and text.replace("\xa0", " ").isprintable())


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, layout: bool = False) -> str:
    """``text`` with every unsafe character (and lone surrogate) shown as an escape: ``\\x1b``, ``\\u202e``.

    ``layout`` keeps tabs and newlines: plain output's own field and record
    separators (a corpus string holds neither, so they can only be kz's).
    Used on everything kz prints but JSON, so an escape sequence in a query,
    a corpus or an index file can never move the cursor, recolour the
    terminal or reorder a line, and a newline in a message never splits it.
    """
    shown = text.replace("\t", "").replace("\n", "") if layout else text
    if _plainly_printable(shown):
        return text  # the common case, checked in C: no pattern compiled
    return _pattern(_KEEPING_LAYOUT if layout else FORBIDDEN_IN_CORPUS).sub(_escape, text)


def json_safe(serialised: str) -> str:
    """Serialised JSON with the unsafe characters JSON leaves raw (DEL, C1, bidi, zero-width,
    separators) written as \\u escapes: the same data, nothing a terminal acts on.
    (``json.dumps`` escapes C0 controls itself; its own newlines are layout.)"""
    if serialised.isascii():
        return serialised if "\x7f" not in serialised else serialised.replace("\x7f", "\\u007f")
    return _pattern(f"[\x7f-\x9f{INVISIBLE}]").sub(lambda m: f"\\u{ord(m.group()):04x}", serialised)


def first_unsafe(text: str) -> int | None:
    """Where the first unsafe character (or lone surrogate) of ``text`` is, or None."""
    if _plainly_printable(text):
        return None
    found = _pattern(FORBIDDEN_IN_CORPUS).search(text)
    return None if found is None else found.start()


def describe(character: str) -> str:
    """What kind of unsafe character this is, and its code point: for validation's messages."""
    code = ord(character)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        kind = "a control character"
    elif 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate"
    elif code in (0x2028, 0x2029):
        kind = "a line or paragraph separator"
    elif code in (0x061C, 0x200E, 0x200F) or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        kind = "a bidi control"
    else:
        kind = "a zero-width or invisible character"
    return f"{kind} (U+{code:04X})"
