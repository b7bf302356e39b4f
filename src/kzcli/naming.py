"""Names in a chapter's running text, for ``kz ingest``: capitalised words joined into names,
and a first guess at what each names (person, organisation, place or law).

A guess, said as one: every entity ingest drafts is marked unreviewed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kzcli.dates import MONTH_KEYS
from kzcli.scan import FUNCTION_WORDS, Found, opens_sentence, scan
from kzcli.text import fold


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PERSON_TITLES = _wordset(
    "President Prime Minister Deputy Mr Mrs Ms Dr Judge Prosecutor General Activist Journalist "
    "Blogger Lawyer Senator Ambassador Commissioner Rapporteur Chairman Chairwoman Chair Governor "
    "Mayor Speaker Editor Reporter Professor Defender Officer Director Head Leader Spokesperson "
    "Spokesman Spokeswoman Poet Writer"
)
_LAW_WORDS = _wordset(
    "Law Laws Code Convention Covenant Protocol Act Constitution Charter Treaty Declaration "
    "Amendment Amendments Decree Resolution Article Bill Principles Rules Guidelines Regulations "
    "Statute Agreement"
)
_ORG_WORDS = _wordset(
    "Court Courts Ministry Committee Council Party Union Commission Office Bureau Service Police "
    "Parliament Government Agency Organization Organisation Association Movement Foundation Fund "
    "Group Bank Nations Watch Network Center Centre Institute Federation Department Coalition Front "
    "Alliance Assembly Senate Mazhilis Company Corporation University School Prison Colony Army "
    "Forces Guard Procuracy Secretariat Mission Delegation Board Authority Authorities Church "
    "Community Club Society Unit Team Media Radio Television TV News Inc Ltd LLP Choice State Review "
    "Partnership Programme Program Plan Strategy Initiative Info Times Post Press Daily Channel "
    "Portal"
)
_PLACE_CUES = _wordset("in from to near across throughout into outside inside around")
_NAME_JOINERS = ("of", "on", "for", "the", "of the", "for the", "on the", "against", "de", "and", "in", "in the")
# Joiners that only continue a name already joined by of/on/for ("... Co-operation in Europe").
_INSTITUTION_ONLY_JOINERS = ("and", "in", "in the")
# Capitalised words that open a sentence without being names (when the text never uses them in lower case).
_NOT_NAMES = (
    _wordset(
        "he she it we they i you his her its our their him them this that these those there here however "
        "but and yet also then thus still meanwhile moreover instead nevertheless yes no"
    )
    | FUNCTION_WORDS
)
_COMPOUND_SUFFIX_RE = re.compile(r"-(?:based|related|led|run|owned|backed|born|style|linked|affiliated)$")


@dataclass
class NameRun:
    name: str
    start: int
    end: int
    acronym: str | None
    cue: str  # the word before the name, lower-cased ("in", "activist", ...)
    initial: bool  # opens a sentence, where any word is capitalised


# A name opening a sentence (where any word is capitalised): what may follow the sentence's
# end ("." and closing quotes or brackets) and precede the name (an opening one).
_CLOSERS, _OPENERS = '"\u201d\u2019)]', '"\u201c\u2018(['


def strip_possessive(word: str) -> str:
    return re.sub(r"[\u2019']s$", "", word)


def _joined_runs(paragraph: str, words: list[Found]) -> list[list[Found]]:
    """Capitalised words joined where a space, a hyphen or a joining word stands between them."""
    runs: list[list[Found]] = []
    # Whether each run is already joined by of/on/for (what lets "and"/"in" join more): kept
    # as the run grows, where searching its whole text at every word was quadratic.
    institutional: list[bool] = []
    for word in words:
        if runs:
            previous = runs[-1][-1]
            gap = paragraph[previous.end : word.start]
            joiner = gap.strip().lower()
            possessive = bool(re.search(r"[\u2019']s$", previous.text))
            joined_by_word = gap.startswith(" ") and gap.endswith(" ") and joiner in _NAME_JOINERS
            adjacent = not possessive and (gap in (" ", "-") or joined_by_word)
            if adjacent and (joiner not in _INSTITUTION_ONLY_JOINERS or institutional[-1]):
                runs[-1].append(word)
                institutional[-1] = institutional[-1] or bool(_INSTITUTION_JOINER_RE.search(gap))
                continue
        runs.append([word])
        institutional.append(False)
    return runs


def name_runs(paragraph: str, ordinary: frozenset[str]) -> list[NameRun]:
    """Capitalised words joined into names: "Asya Tulesova", "Ministry of Internal Affairs"."""
    found: list[NameRun] = []
    for whole in _joined_runs(paragraph, [f for f in scan(paragraph, ordinary) if f.kind == "name"]):
        titles = 0
        while titles < len(whole) - 1 and whole[titles].text in _PERSON_TITLES:
            titles += 1
        run = whole[titles:]
        if len(run) == 1 and run[0].text in _PERSON_TITLES:
            continue
        start, end = run[0].start, run[-1].end
        name = _COMPOUND_SUFFIX_RE.sub("", strip_possessive(paragraph[start:end]))
        if len(name) < 2 or fold(name) in MONTH_KEYS or fold(name) in _NOT_NAMES:
            continue
        acronym_match = _ACRONYM_RE.match(paragraph, end)
        acronym = acronym_match.group("acronym") if acronym_match and len(run) > 1 else None
        cue = _word_before(paragraph, start).lower()
        initial = opens_sentence(paragraph, start, _OPENERS, _CLOSERS, quoted_start=True)
        found.append(NameRun(name, start, start + len(name), acronym, cue, initial))
    return found


_INSTITUTION_JOINER_RE = re.compile(r"\s(?:of|on|for)\s")
_ACRONYM_RE = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z0-9&.\-]*[A-Z0-9])\)")


def _word_before(paragraph: str, start: int) -> str:
    """The run of ASCII letters before ``start``, past any non-word characters ("in" of "in Almaty"),
    or "" when a digit, an underscore or another letter comes first. Read backwards: the work is
    the gap and the word, not the paragraph before them."""
    stop = start
    while stop > 0 and not (paragraph[stop - 1].isalnum() or paragraph[stop - 1] == "_"):
        stop -= 1
    begin = stop
    while begin > 0 and paragraph[begin - 1].isascii() and paragraph[begin - 1].isalpha():
        begin -= 1
    return paragraph[begin:stop]


def guess_type(name: str, cues: set[str], country: str = "") -> tuple[str, str]:
    """(type, why) for a name, from its words and the words before its mentions."""
    if country and fold(name) == fold(country):
        return "place", "the chapter's country"
    words = [strip_possessive(w) for w in re.split(r"[\s-]+", name)]
    singular = [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words]
    if any(w in _LAW_WORDS for w in words + singular):
        return "law", "a legal word in the name"
    if any(w in _ORG_WORDS for w in words + singular) or re.fullmatch(r"[A-Z][A-Z0-9&.]+", name):
        return "organization", "an institutional word or an acronym"
    if name.endswith("stan") or cues & _PLACE_CUES:
        return "place", "a place word before it (in, from, to...)"
    if len(words) >= 2 and all(w[:1].isupper() for w in words):
        return "person", "a name of two or more capitalised words"
    return "organization", "nothing else fitted"
