"""Finding a section by id or title, or by words of its title typed loosely ("freedom of expr", "covid").

The rules are the name policy's for the words of a name (``kzcli.spelling``):
an id or title as written is silent; whole words of one title ("labor",
"women"), a beginning ("tort"), a transliteration or a typo of a long word
("tortre", "labour") answer, and the caller says which section was read;
words that fit several sections are asked about, never guessed ("freedom",
"rights"); a word the title does not hold ("torture chamber") fits nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from kzcli.corpus import Corpus, Section
from kzcli.errors import NotFoundError, UsageError
from kzcli.named import NamedTuple
from kzcli.spelling import BEGINS, OTHER, PLAIN, SAME, SPELT, relation
from kzcli.text import STOPWORDS, stem, words

# Below a fit, sections scoring at least this (rapidfuzz, 0-100) are offered as suggestions.
SUGGEST_CUTOFF = 60.0
# How a section was found.
EXACT, WORDS, SPELLING, PREFIX = "exact", "words", "spelling", "prefix"


class SectionMatch(NamedTuple):
    section: Section
    match: str  # EXACT (as written: said nowhere), WORDS, SPELLING or PREFIX (said)
    whole: bool  # every word of the title (or id) was typed


def check_paragraph(section: Section, number: int) -> None:
    """NotFoundError unless ``section`` has paragraph ``number``: one message for read and cite."""
    count = len(section.paragraphs)
    if not 1 <= number <= count:
        raise NotFoundError(f"section {section.id!r} has {count} paragraph{'s' if count != 1 else ''}, not {number}")


def _keys(section_id: str, title: str) -> list[list[str]]:
    """The words of a section's title and of its id (hyphens as spaces: "covid-19" is "covid 19")."""
    return [words(title), words(section_id.replace("-", " ")), words(title.replace("-", " "))]


def exact_section(corpus: Corpus, name: str) -> Section | None:
    """The section whose id or title is ``name`` as written (folded), or None: no fuzzy matching."""
    typed = words(name)
    spaced = words(name.replace("-", " "))
    for section_id, title in corpus.section_titles():
        if any(key in (typed, spaced) for key in _keys(section_id, title)):
            return corpus.section(section_id)
    return None


def _fit(typed: list[str], key: list[str]) -> tuple[str, bool] | None:
    """How typed words fit a title's words: every word that is not a stopword stands for a word of it."""
    free = list(range(len(key)))
    found: list[int] = []
    for word in typed:
        best, at = OTHER, -1
        for i in free:
            # Another form of the word ("disabilities" for "Disability") is a spelling of it too.
            related = relation(word, key[i], PLAIN)
            if related > BEGINS and stem(word) == stem(key[i]):
                related = SPELT
            if related < best:
                best, at = related, i
        if at >= 0:
            free.remove(at)
            found.append(best)
        elif word not in STOPWORDS:
            return None
    if not found:
        return None
    match = PREFIX if BEGINS in found else WORDS if all(f == SAME for f in found) else SPELLING
    return match, not free


def fitting_sections(corpus: Corpus, name: str) -> list[SectionMatch]:
    """Every section ``name`` fits, in report order; an id or title as written is the only one."""
    found = exact_section(corpus, name)
    if found is not None:
        return [SectionMatch(found, EXACT, True)]
    keyed = ((section_id, _keys(section_id, title)) for section_id, title in corpus.section_titles())
    return [SectionMatch(corpus.section(section_id), match, whole) for section_id, match, whole in fitting(keyed, name)]


def fitting(keyed: Iterable[tuple[str, list[list[str]]]], name: str) -> list[tuple[str, str, bool]]:
    """(id, match, whole) of every named thing ``name`` fits loosely, in order: each thing is
    its id and the word lists it is known by (a section's title and id; a topic's label, id and
    terms). Sections and topics are found by this one rule."""
    typed = words(name.replace("-", " "))
    fits: list[tuple[str, str, bool]] = []
    for thing_id, keys in keyed:
        best = max((fit for key in keys if (fit := _fit(typed, key))), default=None, key=_rank)
        if best is not None:
            fits.append((thing_id, *best))
    whole = [fit for fit in fits if fit[2]]
    # Several fit, one typed whole ("labor right": Labor Rights, not every "...Rights").
    return whole if len(whole) == 1 else fits


def _rank(fit: tuple[str, bool]) -> tuple[int, bool]:
    """Whole words before a spelling before a beginning; then the title typed whole."""
    return (PREFIX, SPELLING, WORDS).index(fit[0]), fit[1]


def find_section(corpus: Corpus, name: str) -> SectionMatch:
    """The one section ``name`` means, and how; NotFoundError when none or several fit."""
    if not words(name):
        raise UsageError("a section name is needed; see `kz sections`")
    fits = fitting_sections(corpus, name)
    if len(fits) == 1:
        return fits[0]
    if fits:
        options = ", ".join(fit.section.id for fit in fits)
        raise NotFoundError(f"section {name!r} could be several: {options}; give more of the name")
    suggestions = [s.id for _, s in rank_sections(corpus, name)[:3]]
    hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
    raise NotFoundError(f"no section matches {name!r}{hint} (see `kz sections`)")


def resolve_section(corpus: Corpus, name: str) -> Section:
    """The one section ``name`` means; NotFoundError when none or several fit."""
    return find_section(corpus, name).section


def read_as(typed: str, found: SectionMatch) -> str | None:
    """What kz says when it took loosely typed words for a section: None for an id or title as written."""
    if found.match == EXACT:
        return None
    return f"{typed!r} read as section {found.section.title} ({found.section.id})"


def rank_sections(corpus: Corpus, name: str) -> list[tuple[float, Section]]:
    """Sections close to a typed name (at least SUGGEST_CUTOFF, 0-100), closest first: suggestions only.

    Scored from ids and titles alone (``Corpus.section_titles``): an index file
    need not read every section's paragraphs to suggest one.
    """
    from rapidfuzz import fuzz

    typed = " ".join(words(name))
    ranked: list[tuple[float, str]] = []
    for section_id, title in corpus.section_titles():
        keys = {" ".join(words(section_id)), " ".join(words(title))}
        best = max(max(fuzz.ratio(typed, key), fuzz.partial_ratio(typed, key) * 0.9) for key in keys)
        if best >= SUGGEST_CUTOFF:
            ranked.append((best, section_id))
    ranked.sort(key=lambda pair: -pair[0])
    return [(score, corpus.section(section_id)) for score, section_id in ranked]
