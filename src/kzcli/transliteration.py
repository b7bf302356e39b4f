"""Cyrillic input read in Latin letters, as the report writes names: ``Токаев`` -> Tokaev.

Russian and Kazakh names and words typed in Cyrillic are transliterated
before they are matched (by ``kzcli.names`` and search). The letters come
from anyascii (ISC licence), which reads Russian as the report spells it
(Токаев -> Tokaev, Тулесова -> Tulesova, Алматы -> Almaty: no "y" before
"a" and "e" as BGN/PCGN or Wikipedia write it, "Tokayev") and has Kazakh's
own letters (Қарағанды -> Qaraghandy, Тоқаев -> Toqaev), which the other
libraries measured (cyrtranslit, iuliia, transliterate, unidecode) leave
out or write with apostrophes. Close is enough: the name policy forgives
other spellings of a name (q/k, zh/j; ``kzcli.spelling``) and says so.

Only Cyrillic letters are transliterated; the rest of the input (Latin
words, the query language's quotes, operators and parentheses) stays as
typed. The soft and hard signs (ь, ъ), which anyascii writes as apostrophes,
are left out, as English-language reports spell names (Ильяшев -> Ilyashev).

Loaded only for input that is not ASCII (its import and first call cost
~8 ms, measured with ``python -X importtime``): callers check
``str.isascii()`` first, so a Latin query never imports this module.
"""

from __future__ import annotations

import re

# Cyrillic and its Supplement: Russian, Kazakh (Ә Ғ Қ Ң Ө Ұ Ү Һ І) and the other Cyrillic alphabets.
_CYRILLIC_RE = re.compile(r"[\u0400-\u052f]+")
# The soft and hard signs: no sound of their own in a Latin spelling.
_SIGNS = str.maketrans("", "", "ьъЬЪ")


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC_RE.search(text) is not None


def to_latin(text: str) -> str | None:
    """``text`` with its Cyrillic letters in Latin ones, or None when it has none."""
    if not has_cyrillic(text):
        return None
    from anyascii import anyascii

    return _CYRILLIC_RE.sub(lambda match: anyascii(match.group().translate(_SIGNS)), text)


def reading(text: str) -> str | None:
    """What kz says when it read Cyrillic input in Latin letters, or None when it did not."""
    latin = to_latin(text) if not text.isascii() else None
    return None if latin is None else f"read {text!r} as {latin!r} (transliterated from Cyrillic)"
