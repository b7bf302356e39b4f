"""Names in a chapter's running text, for ``kz ingest``: capitalised words joined into names,
and a guess at what each names (person, organisation, place or law), from evidence that holds
across chapters (``kzcli.gazetteer``): a title or honorific before a name (stripped into the
person's role), organisation, law and place words in it or just after it, an acronym in
parentheses, a known place. Initials stay in a name ("George W. Bush"), hyphenated and particle
names stay whole ("Hizb ut-Tahrir"), and a quoted title of a publication is no name at all.

A guess, said as one: every entity ingest drafts is marked unreviewed, and a type read on weak
evidence is listed for review first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kzcli.dates import MONTH_KEYS
from kzcli.gazetteer import (
    DISEASES,
    EVENT_WORDS,
    KNOWN_ORGS,
    LAW_AFTER,
    LAW_WORDS,
    OFFICE_HEADS,
    ORG_AFTER,
    ORG_WORDS,
    PARTICLES,
    PERSON_CUES,
    PLACE_AFTER,
    PLACE_PREFIXES,
    PLACE_WORDS,
    PLACES,
    TITLE_HEADS,
    TITLE_PARTS,
    is_demonym,
    word_set,
)
from kzcli.scan import FUNCTION_WORDS, SENTENCE_CLOSERS, Found, inside, opens_sentence, scan
from kzcli.text import fold

_NAME_JOINERS = ("of", "on", "for", "the", "of the", "for the", "on the", "against", "and", "in", "in the")
# Joiners that only continue a name already joined by of/on/for ("... Co-operation in Europe").
_INSTITUTION_ONLY_JOINERS = ("and", "in", "in the")
# Capitalised words that open a sentence without being names (when the text never uses them in lower case).
_NOT_NAMES = (
    word_set(
        "he she it we they i you his her its our their him them this that these those there here however "
        "but and yet also then thus still meanwhile moreover instead nevertheless yes no"
    )
    | FUNCTION_WORDS
)
_COMPOUND_SUFFIX_RE = re.compile(r"-(?:based|related|led|run|owned|backed|born|style|linked|affiliated)$")
# A particle between two capitalised words: " ut-" of "Hizb ut-Tahrir", " bin " of "Osama bin Laden".
_PARTICLE_GAP_RE = re.compile(r"^ ([a-z]{1,4})(?:-| )$")
# An apposition: an article, up to four words (capitalised adjectives too) and a closing comma or stop, or
# "of" after an organisation's noun ("the Kazakh service of ..."); its last word
# (the head noun: "watchdog", "critic") says what the name is. "In Jalalabad, a journalist was beaten,"
# heads with "beaten", which says nothing.
_APPOSITION_RE = re.compile(
    r",\s+(?:a|an|the)\s+(?:[A-Za-z][a-z-]*\s+){0,3}([a-z][a-z-]*)(?:\s*[,.;)]|(?P<of>\s+of\s))"
)
_SLASHED_ACRONYM_RE = re.compile(r"[\w\s'\u2019-]*\(\s*[A-Z][\w.]*/[A-Z]")
_ACRONYM_RE = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z0-9&./\-]*[A-Z0-9.])(?:[,;][^()]{0,60})?\)")
# A translation or other name in parentheses: "Hizb ut-Tahrir (Party of Liberation)".
_OTHER_NAME_RE = re.compile(r"\s*\((?P<other>[A-Z][\w'\u2019-]*(?: [\w'\u2019-]+){0,6})\)")


@dataclass
class NameRun:
    name: str
    start: int
    end: int
    acronym: str | None
    cue: str  # the word before the name (its title stripped), lower-cased ("in", "activist", ...)
    initial: bool  # opens a sentence, where any word is capitalised
    role: str = ""  # the title or honorific stripped from before the name ("Deputy Interior Minister")
    after: str = ""  # the word after the name, lower-cased ("amendment", "radio")
    other: str | None = None  # another name for it given in parentheses
    described: frozenset[str] = frozenset()  # the words of an apposition after it ("a local media watchdog")
    possessive: bool = False  # written with "'s" ("Feminita's appeal")


def strip_possessive(word: str) -> str:
    return re.sub(r"[\u2019']s$", "", word)


def _is_initial(word: Found) -> bool:
    return len(word.text) == 1 and word.text.isupper()


def _joins(paragraph: str, run: list[Found], word: Found, ordinary: frozenset[str], institutional: bool) -> bool:
    """Whether ``word`` continues the name ``run`` (what stands between them decides)."""
    previous = run[-1]
    gap = paragraph[previous.end : word.start]
    if re.search(r"[\u2019']s$", previous.text):
        # "People's Democratic Party": a common noun's possessive inside a name; "Tokaev's" ends one.
        owner = strip_possessive(previous.text).lower()
        common = owner in ordinary or (owner in _COLLECTIVES and _org_ahead(paragraph, word.start))
        return gap == " " and common
    if gap == ", " and institutional and _SERIES_RE.match(paragraph, word.start, word.start + 120):
        return True  # "Covenant on Economic, Social and Cultural Rights"
    if gap == "/":  # "Radio Free Europe/Radio Liberty (RFE/RL)", not a photo credit's "Agency/Jane Roe"
        return bool(_SLASHED_ACRONYM_RE.match(paragraph, word.end, min(len(paragraph), word.end + 80)))
    if gap in (" ", "-"):
        return True
    decided = _special_gap(paragraph, run, word, gap, (institutional, ordinary))
    if decided is not None:
        return decided
    if gap == "." and _is_initial(previous) and _is_initial(word):
        return True  # "U.S.", "E.U."
    if gap == ". " and _is_initial(previous) and not all(_is_initial(w) for w in run):
        return True  # "George W. Bush"
    particle = _PARTICLE_GAP_RE.match(gap)
    if particle and particle.group(1) in PARTICLES:
        return True
    joiner = gap.strip().lower()
    if not (gap.startswith(" ") and gap.endswith(" ") and joiner in _NAME_JOINERS):
        return False
    if (
        joiner == "and"
        and len(run) < 6
        and _place_with_and(f"{paragraph[run[0].start : previous.end]} and {word.text}")
    ):
        return True  # "Bosnia and Herzegovina", "Central and Eastern Europe"
    if joiner in ("against", "on", "for", "on the", "for the"):
        # "Committee against Torture", "Convention on the Rights", "Rapporteur on Torture", "Center for
        # Justice"; not "Palestinians against Israeli civilians" nor "Islam on Whatsapp"
        key = _word_key(previous.text)
        return key in ORG_WORDS or key in LAW_WORDS or key in TITLE_HEADS or institutional
    return joiner not in _INSTITUTION_ONLY_JOINERS or institutional


def _joined_runs(paragraph: str, words: list[Found], ordinary: frozenset[str]) -> list[list[Found]]:
    """Capitalised words joined where a space, a hyphen, a slash, an initial's stop, a particle or a
    joining word stands between them."""
    runs: list[list[Found]] = []
    # Whether each run is already joined by of/on/for (what lets "and"/"in" join more): kept
    # as the run grows, where searching its whole text at every word was quadratic.
    institutional: list[bool] = []
    for word in words:
        if runs and _joins(paragraph, runs[-1], word, ordinary, institutional[-1]):
            gap = paragraph[runs[-1][-1].end : word.start]
            # "Members of Jamaat Ansar and Hizb ut-Tahrir": a group noun's "of" joins no institution's name
            after_group = len(runs[-1]) == 1 and runs[-1][0].text.lower() in _GROUP_NOUNS
            runs[-1].append(word)
            institutional[-1] = institutional[-1] or (bool(_INSTITUTION_JOINER_RE.search(gap)) and not after_group)
            continue
        runs.append([word])
        institutional.append(False)
    return runs


# Plural nouns for people that open a sentence before "of" and the name of what they belong to.
_GROUP_NOUNS = word_set(
    "members supporters followers leaders activists relatives families representatives employees officials "
    "staff dozens hundreds thousands"
)
# Nouns for groups of people whose possessive opens a party's or a union's name ("People's Party").
_COLLECTIVES = word_set(
    "people peoples women children workers farmers peasants youth students citizens veterans nations"
)
_INSTITUTION_JOINER_RE = re.compile(r"\s(?:of|on|for)\s")
# A series of capitalised words ending "and Word": "Social and Cultural Rights".
_SERIES_RE = re.compile(r"[A-Z][\w'\u2019-]*(?:, [A-Z][\w'\u2019-]*)*,? and [A-Z]")
_CAPITALISED_AHEAD_RE = re.compile(r"(?:[A-Z][\w'\u2019-]*(?:\s+(?:of|for|the|and)\s+|\s+)?){1,5}")


# Capitalised words ending in a legal word, just after "and": the second half of one agreement's name.
_LAW_AHEAD_RE = re.compile(
    r"(?:[A-Z][\w'\u2019-]*\s){0,3}(?:Agreement|Convention|Treaty|Accords?|Protocol|Charter|Covenant)\b"
)


_LONGEST_TITLED_NAME = 16


def _special_gap(
    paragraph: str, run: list[Found], word: Found, gap: str, context: tuple[bool, frozenset[str]]
) -> bool | None:
    """Gaps whose joining depends on the name around them; None when the usual rules decide. Inside a
    long name: "while" in a mandate's ("Special Rapporteur for Protecting Rights while Countering
    Terror"), "and" between two halves of an agreement's, an abbreviation's stop before an institution
    ("U.N. Commission on Human Rights"). Outside it: "in" after a titled person's name ("Secretary of
    State Colin Powell in Washington")."""
    institutional, ordinary = context
    if len(run) > _LONGEST_TITLED_NAME:
        return None  # each rule reads the run: a bound keeps a paragraph of one endless run linear
    if gap == " while ":
        return institutional and any(_word_key(w.text) in OFFICE_HEADS for w in run)
    if gap == " and ":
        if _place_with_and(f"{paragraph[run[0].start : run[-1].end]} and {word.text}"):
            return None
        if fold(word.text) in PLACES or _holds_and(paragraph, run):
            return False  # "... Co-operation in Europe and Russia", "... Labor and Social Protection and X": two
        return True if not institutional and _law_ahead(paragraph, run, word) else None
    if gap == ". " and all(_is_initial(w) for w in run) and len(run) > 1:
        return True if _word_key(word.text) in ORG_WORDS else None
    if gap in (" in ", " in the ") and _title_split([w.text for w in run], ordinary):
        return False
    return None


def _holds_and(paragraph: str, run: list[Found]) -> bool:
    """Whether "and" already joins two words of the run: a name holds one "and" at most."""
    return any(paragraph[run[i].end : run[i + 1].start] == " and " for i in range(len(run) - 1))


def _law_ahead(paragraph: str, run: list[Found], word: Found) -> bool:
    """Whether "and" joins two halves of one agreement's name: what follows it ends in a legal word and
    what stands before it holds none ("the Criminal Code and Civil Code" are two laws)."""
    if any(_word_key(w.text) in LAW_WORDS for w in run):
        return False
    return _LAW_AHEAD_RE.match(paragraph, word.start, min(len(paragraph), word.start + 80)) is not None


def _place_with_and(text: str) -> bool:
    key = fold(text)
    return key in PLACE_PREFIXES or key in PLACES


def _org_ahead(paragraph: str, position: int) -> bool:
    """Whether the capitalised words from ``position`` on hold an organisation's word ("Democratic Party")."""
    ahead = _CAPITALISED_AHEAD_RE.match(paragraph, position, min(len(paragraph), position + 80))
    return ahead is not None and any(_word_key(w) in ORG_WORDS for w in ahead.group().split())


def _word_key(word: str) -> str:
    """A word as the word lists hold it: "President-for-life" -> "President", "Tokaev's" -> "Tokaev"."""
    return strip_possessive(word).split("-")[0]


def _title_split(words: list[str], ordinary: frozenset[str]) -> int:
    """How many of ``words`` are a title before a person's name (0 for none): the name is the longest
    tail of words that are neither title words nor ordinary words, after a title word."""
    keys = [_word_key(w) for w in words]
    if not any(k in TITLE_HEADS for k in keys):
        return 0
    if keys[0] in ORG_WORDS and not any(k in OFFICE_HEADS for k in keys):
        return 0  # an institution's name ("Office of the Prosecutor"), unless an office of it heads a name
        # ("Council of Europe Commissioner for Human Rights Dunja Mijatovic")
    tail = len(words)
    while tail > 0:
        key = keys[tail - 1]
        if key in TITLE_HEADS or key in TITLE_PARTS or key in ORG_WORDS or key.lower() in ordinary:
            break
        tail -= 1
    if tail == len(words) or not any(k in TITLE_HEADS for k in keys[:tail]):
        return 0
    return tail


def name_runs(paragraph: str, ordinary: frozenset[str], skip: list[tuple[int, int]] | None = None) -> list[NameRun]:
    """Capitalised words joined into names: "Asya Tulesova", "Ministry of Internal Affairs"; none
    inside a ``skip`` span (a quoted title of a publication)."""
    spans = skip or []
    words = [f for f in scan(paragraph) if f.kind == "name" and not inside(spans, f.start)]
    found: list[NameRun] = []
    explained = 0  # the end of the last "(ACRONYM)" after a name: its words are that name's, not others
    for whole, other in _with_translations(paragraph, _joined_runs(paragraph, words, ordinary)):
        run = _without_opening_word(paragraph, whole, ordinary)
        if run and run[0].start >= explained:
            made = _name_run(paragraph, run, ordinary)
            if made is None:
                continue
            office = _office(paragraph, made)
            if office is not None:
                found.append(office)
            if found and made.cue in ("and", "or"):
                made.cue = _shared_cue(paragraph, found[-1], made)
            found.append(made)
            if other:
                made.other = other
            elif made.acronym or (made.other and paragraph[made.end : made.end + 2].lstrip().startswith("(")):
                explained = paragraph.index(")", made.end) + 1
    return found


def _shared_cue(paragraph: str, before: NameRun, made: NameRun) -> str:
    """The cue of a name joined to the one before it by "and"/"or" ("in Velmar and Dostak"): the word
    before the first, which stands before both."""
    gap = paragraph[before.end : made.start]
    return before.cue if gap in (f" {made.cue} ", f", {made.cue} ") and not before.role else made.cue


# A title with a remit after it: an office ("Special Rapporteur on Torture").
_OFFICE_RE = re.compile(r"\b(?:" + "|".join(sorted(OFFICE_HEADS)) + r")\s+(?:on|for)\s+(?:the\s+)?[A-Z]")
# An organisation's acronym in parentheses just before a title: "(OSCE) Representative on ...".
_ACRONYM_BEFORE_RE = re.compile(r"\(([A-Z][A-Za-z0-9&.-]*[A-Z])\)\s$")


def _office(paragraph: str, person: NameRun) -> NameRun | None:
    """The office named by a person's title when it has a remit ("United Nations Special Rapporteur
    on Torture", "(OSCE) Representative on Freedom of the Media"): an organisation of its own, named
    with the acronym of the body just before it, if any; None for a plain title ("Interior Minister")."""
    if not _OFFICE_RE.search(person.role):
        return None
    start = paragraph.rfind(person.role, 0, person.start)
    if start < 0:
        return None
    body = _ACRONYM_BEFORE_RE.search(paragraph, max(0, start - 16), start)
    name = f"{body.group(1)} {person.role}" if body else person.role
    return NameRun(name, start, start + len(person.role), None, "office", False, other=person.role if body else None)


def _with_translations(paragraph: str, runs: list[list[Found]]) -> list[tuple[list[Found], str | None]]:
    """Runs, each with its other name when a translation stands in parentheses inside it: "Koshe
    (Street) Party" is one name, its other name "Street Party"."""
    out: list[tuple[list[Found], str | None]] = []
    i = 0
    while i < len(runs):
        if i + 2 < len(runs) and _translated(paragraph, runs[i], runs[i + 1], runs[i + 2]):
            inner, tail = runs[i + 1], runs[i + 2]
            other = f"{paragraph[inner[0].start : inner[-1].end]} {paragraph[tail[0].start : tail[-1].end]}"
            out.append((runs[i] + inner + tail, other))
            i += 3
            continue
        out.append((runs[i], None))
        i += 1
    return out


def _translated(paragraph: str, name: list[Found], inner: list[Found], tail: list[Found]) -> bool:
    return (
        paragraph[name[-1].end : inner[0].start] == " ("
        and paragraph[inner[-1].end : tail[0].start] == ") "
        and len(inner) <= 3
        and not inner[0].text.isupper()  # "(OSCE) Office for ...": an acronym, then another name
        and _word_key(tail[0].text) in ORG_WORDS
    )


def _without_opening_word(paragraph: str, run: list[Found], ordinary: frozenset[str]) -> list[Found]:
    """A run that opens a sentence loses its first word when that is an ordinary word ("Residents",
    "When"), unless the whole run is an institution's name ("Human Rights Watch obtained")."""
    first = run[0]
    if not opens_sentence(paragraph, first.start, '\u201c"(', SENTENCE_CLOSERS):
        return run
    bare = strip_possessive(first.text).lower()
    if bare in _NOT_NAMES:
        return run[1:]
    keys = [_word_key(w.text) for w in run]
    of_gap = len(run) > 1 and paragraph[first.end : run[1].start] in (" of ", " of the ")
    known = (ORG_WORDS, LAW_WORDS, TITLE_HEADS, PLACE_WORDS)
    if of_gap and not any(k in words for k in keys for words in known) and fold(first.text) not in PLACES:
        return run[1:]  # "Study of the Rukhnama became ...": a common noun opens the sentence, the name follows
    if of_gap and bare in _GROUP_NOUNS:
        return run[1:]  # "Members of the Islamic Movement were tried": the movement is the name
    if not any(form in ordinary for form in (bare, bare + "s", bare + "d", bare + "ed", bare + "es")):
        return run  # the text never writes the word in lower case, in any simple form ("Release": "released")
    if len(run) > 1 and (keys[-1] in ORG_WORDS or keys[-1] in LAW_WORDS or keys[0] in TITLE_HEADS):
        return run
    return run[1:]


def _name_run(paragraph: str, run: list[Found], ordinary: frozenset[str]) -> NameRun | None:
    """The name a run of capitalised words gives, its title stripped into its role; None for no name."""
    texts = [w.text for w in run]
    titles = _title_split(texts, ordinary)
    if titles == len(run) - 1 and _NAME_AFTER_COMMA_RE.match(paragraph, run[-1].end):
        titles = 0  # "... and Security Policy, Josep Borrell": the title ends the run, its holder follows
    role = paragraph[run[0].start : run[titles - 1].end] if titles else ""
    run = _trimmed(paragraph, run[titles:], ordinary)
    if len(run) > 1 and _COMPOUND_SUFFIX_RE.search(run[0].text):
        run = run[1:]  # "Russia-led Collective Security Treaty Organization": the name follows the description
    keys = [_word_key(w.text) for w in run]
    if not run or all((k in TITLE_HEADS or k in TITLE_PARTS) and k not in ORG_WORDS and not k.isupper() for k in keys):
        return None  # a title alone ("the Prime Minister said") names no one
    start, end = run[0].start, run[-1].end
    if paragraph[end : end + 1] == "." and _is_initial(run[-1]):
        end += 1  # "U.S." keeps its last stop
    numbered = _NUMBER_AFTER_RE.match(paragraph, end)
    if numbered and len(run) == 1 and keys[0] in ORG_WORDS:
        end = numbered.end()  # "Group 24": a number that is part of the name
    bare = strip_possessive(paragraph[start:end])
    name = _COMPOUND_SUFFIX_RE.sub("", bare)
    if len(name) < 2 or fold(name) in MONTH_KEYS or fold(name) in _NOT_NAMES or fold(name) in DISEASES:
        return None
    acronym_match = _ACRONYM_RE.match(paragraph, end)
    acronym = acronym_match.group("acronym") if acronym_match and (len(run) > 1 or len(name) > 4) else None
    other_match = None if acronym else _OTHER_NAME_RE.match(paragraph, end)
    cue = "title" if titles else _cue(paragraph, start, name)
    initial = opens_sentence(paragraph, start, '"\u201c\u2018([', SENTENCE_CLOSERS, quoted_start=True)
    tail = paragraph[start + len(name) : start + len(name) + 60]
    after = re.match(r"[\u2019']?s?\s+([a-z][a-z-]*)", tail)
    # "Adilsoz, a local media watchdog", "Dulat Agadil, an outspoken government critic": what it is, said after it.
    described = _APPOSITION_RE.match(tail)
    if described and described.group("of") and described.group(1) not in ORG_AFTER:
        described = None  # "Azattyq, the Kazakh service of ...", not "In Zhanar, the head of police said"
    return NameRun(
        name,
        start,
        start + len(name),
        acronym,
        cue,
        initial,
        role=role,
        after="based" if bare.endswith("-based") else after.group(1) if after else "",
        described=frozenset([described.group(1)]) if described else frozenset(),
        other=other_match.group("other") if other_match else _part_of_place(paragraph, start, name),
        possessive=bare != paragraph[start:end] and not _generic_noun(name),
    )


# A direction before a known place names a part of it: "in eastern Kazakhstan", "southeastern Turkey".
_DIRECTION_BEFORE_RE = re.compile(r"\b((?:north|south)-?(?:east|west)ern|northern|southern|eastern|western|central) $")


_NUMBER_AFTER_RE = re.compile(r" \d{1,4}\b(?![.,]?\d)")


def _generic_noun(name: str) -> bool:
    """A single word the word lists know as a common noun ("Police", "Parliament", "Women"): its
    possessive opening a sentence ("Police's actions") says nothing of a name."""
    key = _word_key(name)
    lists = (ORG_WORDS, LAW_WORDS, TITLE_HEADS, TITLE_PARTS, PLACE_WORDS)
    return " " not in name and (any(key in words for words in lists) or key.lower() in _COLLECTIVES)


# A comma, then a name of two capitalised words: the holder of the title before the comma.
_NAME_AFTER_COMMA_RE = re.compile(r", [A-Z][\w\u2019'-]+ [A-Z][\w\u2019'-]+")
# Nouns for places before "of" and a name: "the western town of Zhanar".
_PLACE_NOUNS = word_set("town city village region province district oblast settlement capital island")


def _cue(paragraph: str, start: int, name: str) -> str:
    """The word before a name, lower-cased; "office" for a title with a remit standing alone (an office,
    "Representative on Freedom of the Media"); the place noun of "the town of Zhanar" ("town")."""
    if _OFFICE_RE.search(name):
        return "office"
    cue = _word_before(paragraph, start).lower()
    if cue == "of":
        noun = _word_before(paragraph, paragraph.rfind("of", 0, start)).lower()
        return noun if noun in _PLACE_NOUNS else cue
    return cue


def _part_of_place(paragraph: str, start: int, name: str) -> str | None:
    """ "eastern Kazakhstan" for "Kazakhstan" after "eastern": kept as another name of the place, so the
    part is found by its own words and the place by its name."""
    if fold(name) not in PLACES:
        return None
    direction = _DIRECTION_BEFORE_RE.search(paragraph, max(0, start - 16), start)
    return f"{direction.group(1)} {name}" if direction else None


def _trimmed(paragraph: str, run: list[Found], ordinary: frozenset[str]) -> list[Found]:
    """A run without the descriptions around a name: leading demonyms ("ethnic Kazakhs Kaster
    Musakhanuly"), a trailing adjective after a joiner ("Muslims of Middle Eastern origin"), the
    end of a title in ordinary words ("... while Countering Terrorism Fionnuala Ni Aolain"); empty
    when the whole run is an adjective ("Soviet Baltic states")."""
    if not run:
        return run
    keys = [_word_key(w.text) for w in run]
    whole = fold(paragraph[run[0].start : run[-1].end])
    if whole in PLACES or any(k in ORG_WORDS or k in LAW_WORDS for k in keys):
        return run
    if all(is_demonym(k) for k in keys):
        following = re.match(r"[\u2019']?s?\s+[a-z]", paragraph[run[-1].end : run[-1].end + 4])
        return [] if following else run
    lead = 0
    while lead < len(run) - 2 and (is_demonym(keys[lead]) or keys[lead].lower() in ordinary):
        lead += 1
    if lead and not any(k.lower() in ordinary or is_demonym(k) for k in keys[lead:]):
        run, keys = run[lead:], keys[lead:]
    cut = len(run)
    while cut > 1 and is_demonym(keys[cut - 1]):  # the last joiner's tail, if only adjectives follow it
        cut -= 1
        if paragraph[run[cut - 1].end : run[cut].start] != " ":
            return run[:cut]
    return run


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


@dataclass
class Evidence:
    """What the mentions of one name say about it: the words before and after, titles stripped."""

    cues: set[str]
    after: set[str]
    described: set[str]  # words of appositions after its mentions ("a local media watchdog")
    titled: bool = False
    mentions: int = 0
    place_cued: int = 0


# The word before a name's first of/for/on/against: what the name is ("Bureau for Human Rights and Rule
# of Law" is a bureau, "Law on Mass Media" a law).
_HEAD_NOUN_RE = re.compile(r"(?:[^\s]+ )*?([A-Z][\w'\u2019-]*) (?:of|for|on|against) ")


def _known_or_headed(name: str, country: str) -> tuple[str, str, bool] | None:
    """The type a name has whatever stands around it: a known place or platform, or the head noun before
    its of/for/on."""
    if country and fold(name) == fold(country):
        return "place", "the chapter's country", False
    if fold(name) in PLACES or fold(re.sub(r"^the ", "", name, flags=re.IGNORECASE)) in PLACES:
        return "place", "a known country, region or city", False
    if fold(name) in KNOWN_ORGS:
        return "organization", "a known company or platform", False
    head_noun = _HEAD_NOUN_RE.match(name)
    head = _word_key(head_noun.group(1)) if head_noun else ""
    if head in ORG_WORDS:
        return "organization", "an institutional word before its of/for/on (Bureau for ...)", False
    if head in LAW_WORDS:
        return "law", "a legal word before its of/for/on (Law on ..., Convention on ...)", False
    return None


def guess_type(
    name: str, evidence: Evidence, country: str = "", ordinary: frozenset[str] = frozenset()
) -> tuple[str, str, bool]:
    """(type, why, weak) for a name, from its words and what stands around its mentions; ``weak``
    when nothing but the name's shape or a single cue decided."""
    known = _known_or_headed(name, country)
    if known is not None:
        return known
    words = [_word_key(w) for w in re.split(r"[\s/]+", name) if w]
    singular = [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words]
    head = singular[-1]  # "North Atlantic Treaty Organization" is an organisation, "Criminal Code" a law
    if head in ORG_WORDS or words[-1] in ORG_WORDS:
        return "organization", "an institutional word ending the name", False
    if head in LAW_WORDS or words[-1] in LAW_WORDS:
        return "law", "a legal word ending the name", False
    if any(w in LAW_WORDS for w in words + singular) or evidence.after & LAW_AFTER:
        return "law", "a legal word in the name or just after it", False
    if evidence.titled or (evidence.cues | evidence.described) & PERSON_CUES:
        return "person", "a title or a person's description before it", False
    if (
        any(w in ORG_WORDS for w in words + singular)
        or (evidence.after | evidence.cues | evidence.described) & ORG_AFTER
    ):
        return "organization", "an institutional word in the name or just after it", False
    if len(words) > 1 and any(w in PLACE_WORDS for w in words):
        return "place", "a place word in the name (Bay, Valley, Region...)", False
    if re.fullmatch(r"[A-Z][A-Z0-9&./-]+", name):
        return "organization", "an acronym", False
    return _weak_type(name, words, evidence, ordinary)


def _weak_type(name: str, words: list[str], evidence: Evidence, ordinary: frozenset[str]) -> tuple[str, str, bool]:
    """The type weaker evidence suggests, said as weak: a word after it or before most of its mentions,
    an event's word, the name's shape (a person's name is two or more capitalised words none of which
    the chapter also writes in lower case)."""
    if evidence.after & PLACE_AFTER:
        return "place", "a place word after it (court, city, region...)", True
    if any(w in EVENT_WORDS for w in words):
        return "organization", "an event's name (Revolution, Day...): no person's", True
    if evidence.place_cued * 2 >= evidence.mentions:
        return "place", "a place word before most of its mentions (in, from, to...)", True
    if name.endswith("stan"):
        return "place", "a place name's ending (-stan)", True
    capitalised = all(w[:1].isupper() for w in words)
    if len(words) >= 2 and capitalised and not any(w.lower() in ordinary for w in words):
        return "person", "two or more capitalised words that are not ordinary words", True
    return "organization", "nothing else fitted", True
