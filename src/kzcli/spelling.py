"""Whether a typed word is a word of a name spelt otherwise, or another name: the word-level
rules of the name policy (``kzcli.names`` applies them to whole names).

Words arrive folded (``kzcli.text.words``: lower case, no accents). A word of a
name plays one of three roles, and the rules differ by role:

- a person's first name (``GIVEN``) is strict: it may be spelt otherwise
  (a transliteration: Qasym/Kasym, Yelena/Elena; one vowel inside it:
  Iskandar/Iskander, Dadosh/Dadash; from six letters, one inner letter:
  Muktar/Mukhtar), but a different first letter, a letter that marks the other
  gender (Fariz/Fariza) or any larger change is another name (Alena is not
  Elena, Aslan is not Asya);
- a person's surname (``SURNAME``) forgives a typo of one edit from five
  letters (Tulesva), but not an ending that makes it another person's name:
  the other gender's form (Tulesov/Tulesova, Osinovsky/Osinovskaya) or another
  form of the family name (Ospanov/Ospan, Taurbek/Taurbekov);
- any other name's words (``PLAIN``: organisations, places, laws) forgive
  transliterations, typos and beginnings.

A typed word that begins a word of a name (three letters or more) stands for it,
in every role, unless what it leaves off is one of those endings.
"""

from __future__ import annotations

from functools import lru_cache

# How a typed word stands to a word of a name, best first. SPELT is the same word in other
# letters (a transliteration: Toqayev, Tokaev); TYPO one edit away (Tulesva), a weaker sign:
# where one name is spelt otherwise and another mistyped (Toqayev: Tokaev, Bokaev), the spelling wins.
SAME, SPELT, TYPO, BEGINS, OTHER, UNRELATED = range(6)
GIVEN, SURNAME, PLAIN = "given", "surname", "plain"

# The fewest letters of a typed beginning of a word; of a word whose typo is forgiven
# (as search's typo correction, text.TYPO_MIN_LENGTH); of a first name whose inner letter is.
PREFIX_MIN_LENGTH = 3
TYPO_MIN_LENGTH = 5
GIVEN_EDIT_MIN_LENGTH = 6

# One sound written several ways in Latin letters (Cyrillic and Kazakh ж zh/j, дж dzh/dj,
# х kh/h, ғ gh/g, қ q/k, е ye/e, ё yo/e, й and ы y/i, кс x/ks, в w/v), each to one form.
_TRANSLITERATIONS = (
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ye", "e"),
    ("yo", "e"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("y", "i"),
)
VOWELS = frozenset("aeiou")

# Surname endings of a man's and a woman's form of one family name, as skeletons: Russian
# -ov/-ova, -ev/-eva, -in/-ina, -sky/-skaya (also -skaja); Kazakh -uly/-kyzy ("son/daughter of").
_GENDERED_ENDINGS = (("ov", "ova"), ("ev", "eva"), ("in", "ina"), ("ski", "skaia"), ("ski", "skaja"), ("uli", "kizi"))
# Endings that make a surname from a name (Taurbek -> Taurbekov, Ospan -> Ospanov).
_SURNAME_ENDINGS = ("ov", "ova", "ev", "eva", "in", "ina", "ski", "skaia", "skaja", "uli", "kizi")
# A first name's other-gender form (Fariz/Fariza, Yevgeny/Yevgeniya) or a longer name built
# on it (Zhuldyz/Zhuldyzbek, Ainur/Ainurgul).
_GIVEN_ENDINGS = ("a", "ia", "bek", "gul")


@lru_cache(maxsize=8192)
def skeleton(word: str) -> str:
    """A folded word with its transliteration variants made one, and doubled letters single:
    "toqayev" and "tokaev" -> "tokaev", "kassym" and "qasym" -> "kasim"."""
    for written, sound in _TRANSLITERATIONS:
        word = word.replace(written, sound)
    return "".join(char for i, char in enumerate(word) if i == 0 or word[i - 1] != char)


def another_form(typed: str, written: str, role: str) -> bool:
    """Whether ``typed`` is another name built on ``written`` (or the reverse): another
    gender's form, or the same stem with a name-making ending added or left off."""
    a, b = skeleton(typed), skeleton(written)
    for shorter, longer in ((a, b), (b, a)):
        if role == GIVEN:
            if len(shorter) >= PREFIX_MIN_LENGTH and any(shorter + end == longer for end in _GIVEN_ENDINGS):
                return True
            continue
        for male, female in _GENDERED_ENDINGS:
            stem = shorter[: -len(male)]
            if len(stem) >= PREFIX_MIN_LENGTH and shorter.endswith(male) and longer == stem + female:
                return True
        if len(shorter) >= PREFIX_MIN_LENGTH and any(shorter + end == longer for end in _SURNAME_ENDINGS):
            return True
    return False


def edits(a: str, b: str, limit: int = 2) -> int:
    """Edits (insert, delete, substitute, swap neighbours) from ``a`` to ``b``; ``limit + 1`` when over ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


@lru_cache(maxsize=65536)
def relation(typed: str, written: str, role: str) -> int:
    """How ``typed`` stands to ``written``, a word of a name in ``role``: SAME, SPELT, TYPO,
    BEGINS, OTHER (another name: never taken for this one) or UNRELATED."""
    if typed == written:
        return SAME
    if role != PLAIN and another_form(typed, written, role):
        return OTHER
    a, b = skeleton(typed), skeleton(written)
    # Skeletons shrink ("qqqqqq" is "k"): too short a one says nothing about the word.
    if a == b and len(a) >= 2:
        return SPELT
    if len(typed) >= PREFIX_MIN_LENGTH and (
        written.startswith(typed) or (len(a) >= PREFIX_MIN_LENGTH and b.startswith(a))
    ):
        return BEGINS
    if role == GIVEN:
        return _first_name(a, b)
    return TYPO if _typo(typed, written) or _typo(a, b) else UNRELATED


def _typo(a: str, b: str) -> bool:
    """One edit apart, the typed word long enough for that to be a typo (search's rule too)."""
    return len(a) >= TYPO_MIN_LENGTH and len(b) >= TYPO_MIN_LENGTH - 1 and edits(a, b, 1) <= 1


def _first_name(a: str, b: str) -> int:
    """Two first names' skeletons: one spelt otherwise (a vowel inside; from six letters, any
    one inner letter), another name close to it, or unrelated."""
    inner = len(a) > 2 and len(b) > 2 and a[0] == b[0] and a[-1] == b[-1]
    if inner and len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(differ) == 1 and a[differ[0]] in VOWELS and b[differ[0]] in VOWELS:
            return SPELT
    if inner and min(len(a), len(b)) >= GIVEN_EDIT_MIN_LENGTH and edits(a, b, 1) <= 1:
        return SPELT
    # Close enough to be taken for it, and so refused: one change, or two after the same first letter.
    close = edits(a, b) <= (2 if a[:1] == b[:1] else 1)
    return OTHER if close and min(len(a), len(b)) >= PREFIX_MIN_LENGTH else UNRELATED
