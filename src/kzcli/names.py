"""Which entity a typed name means: the one policy for ``kz person``, ``kz entity``,
``timeline --person``, ``kz cite``/``kz read`` targets and shell completion.

Forgive spelling, never a different name (the word rules are ``kzcli.spelling``'s):

1. An entity id, a name or an alias as written (folded: case, accents, quotes,
   hyphens), or whole words of one person's name ("Asya", "Kasym") answer silently.
2. Another spelling answers and says so (``showing Asya Tulesova (you typed
   'tulesva')``, also in the JSON query block): a transliteration (Toqaev,
   Qasym), a typo of a long word (tulesva), a first name spelt otherwise
   (Iskandar, Dadosh), or the beginning of a name (Tules). So do some words of
   an organisation's, place's or law's name: "Court" is a word of many names
   the report gives and a common noun, so "showing Supreme Court" is said.
3. Another name is not the person, however close: a surname ending that marks
   the other gender or another form of the family name (Tulesov, Osinovsky,
   Ospanov, Taurbek), a first name of the other gender (Fariz) or a different
   first name (Aslan for Asya, Alena for Elena). kz says "did you mean", exit 1.
4. Words that fit several entities are ambiguous: kz lists them, exit 1.
5. "Did you mean" offers only names close to what was typed (not OSCE for "police").
   A word the report uses in its own right is not the beginning of a name:
   "Kazakh" (its ethnonym: "one Kazakh dead") is not taken for Kazakhstan but
   offered it, exit 1; and common words alone ("the", "of") are no name at all.
6. A name typed in Cyrillic is read in Latin letters first (``kzcli.transliteration``:
   Токаев as Tokaev), then as above, and how it was read is always said.

Nothing here imports rapidfuzz but the "did you mean" of a name not found (~6 ms).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kzcli.corpus import Corpus, Entity
from kzcli.errors import NotFoundError, UsageError
from kzcli.named import NamedTuple
from kzcli.spelling import (
    BEGINS,
    GIVEN,
    OTHER,
    PLAIN,
    SURNAME,
    TYPO,
    UNRELATED,
    another_form,
    edits,
    relation,
    skeleton,
)
from kzcli.text import STOPWORDS, fold, words

# More words than any name has, with room for titles and patronymics: no name, so
# nothing is compared (a 100,000-character "name" took seconds to refuse).
MAX_NAME_WORDS = 24

PERSON: tuple[str, ...] = ("person",)

# How a name was found (Resolution.match). The first three are said nowhere: the name is the name.
ID, EXACT, WORDS = "id", "exact", "words"
# PART: words of a name not a person's ("Court" for Supreme Court), said.
SPELLING, PREFIX, PART = "spelling", "prefix", "part"
AMBIGUOUS, OTHER_NAME, UNKNOWN = "ambiguous", "other", "unknown"
# No name: common words alone ("the"), or a word of the report only begun by a name ("Kazakh").
COMMON, REPORT_WORD = "common", "word"
SILENT = (ID, EXACT, WORDS)
_SCORES = {ID: 100.0, EXACT: 100.0, WORDS: 96.0, PART: 96.0, SPELLING: 90.0, PREFIX: 85.0, OTHER_NAME: 70.0}

# "Did you mean" offers names at least this close to what was typed (rapidfuzz ratio, 0-100),
# or names sharing a word with it, at most this many.
SUGGEST_FLOOR = 75.0
SUGGESTIONS = 3
# An ambiguous name lists this many candidates, then says how many more.
LISTED = 8


class Candidate(NamedTuple):
    entity: Entity
    score: float
    matched: str  # the name key (folded) it was found by


class Resolution(NamedTuple):
    """Outcome of resolving a name: one entity, or why not (candidates to ask about or suggest)."""

    query: str
    entity: Entity | None
    candidates: tuple[Candidate, ...]
    match: str = UNKNOWN
    # For OTHER_NAME: the typed words kz would not take for words of a name, as (typed, name's, role).
    refused: tuple[tuple[str, str, str], ...] = ()
    # Typed in Cyrillic: the Latin letters it was read in (``kzcli.transliteration``), always said.
    read_as: str | None = None

    @property
    def ambiguous(self) -> bool:
        return self.match == AMBIGUOUS

    @property
    def corrected(self) -> bool:
        """Found by another spelling, a beginning or from Cyrillic: said on stderr and in JSON."""
        return self.entity is not None and (self.match not in SILENT or self.read_as is not None)


def name_keys(entity: Entity) -> list[str]:
    """Folded forms a user may type for an entity: full name, aliases, and each
    with its hyphens as spaces ("Kasym-Jomart" is also "Kasym Jomart", so "Kasym" names him)."""
    keys = [entity.name, *entity.aliases]
    keys += [k.replace("-", " ") for k in keys if "-" in k]
    return list(dict.fromkeys(key for key in (" ".join(words(k)) for k in keys) if key))


def _of_types(entities: Iterable[Entity], types: tuple[str, ...] | None) -> list[Entity]:
    return [e for e in entities if not types or e.type in types]


def resolve(corpus: Corpus, query: str, types: tuple[str, ...] | None = None) -> Resolution:
    """Resolve a typed name to one entity, or explain why not (ambiguous, another name, unknown).

    A name typed in Cyrillic is read in Latin letters first (``Токаев`` as Tokaev), and the
    resolution says so (``read_as``); the transliteration is imported for such input only.
    """
    if not query.isascii():
        from kzcli.transliteration import to_latin

        latin = to_latin(query)
        if latin is not None:
            return _resolve(corpus, latin, types)._replace(query=query, read_as=latin)
    return _resolve(corpus, query, types)


def _resolve(corpus: Corpus, query: str, types: tuple[str, ...] | None) -> Resolution:
    typed = words(query)
    if not typed or len(typed) > MAX_NAME_WORDS:
        return Resolution(query, None, ())
    by_id = corpus.entity_or_none(query.strip())
    if by_id is not None and (not types or by_id.type in types):
        # An id (from --json, CSV or a citation) names its entity exactly.
        return Resolution(query, by_id, (Candidate(by_id, 100.0, by_id.id),), ID)
    if all(word in STOPWORDS for word in typed) and not corpus.entities_named(" ".join(typed)):
        return Resolution(query, None, (), COMMON)  # "the" is in many names, and names none
    several = _several_named(corpus, query, types)
    if several:
        return Resolution(query, None, several, AMBIGUOUS)
    # "Nur-Otan" is also "Nur Otan", as name keys read hyphens (name_keys).
    spaced = words(query.replace("-", " ")) if "-" in query else typed
    return (
        _named_outright(corpus, query, typed, types)
        or (_named_outright(corpus, query, spaced, types) if spaced != typed else None)
        or _spelt_otherwise(corpus, query, typed, types)
    )


def _one_or_several(query: str, found: list[tuple[Entity, str]], match: str) -> Resolution:
    """One entity found ``match``-wise, or several: ambiguous."""
    if len(found) == 1:
        entity, key = found[0]
        return Resolution(query, entity, (Candidate(entity, _SCORES[match], key),), match)
    return Resolution(query, None, tuple(Candidate(e, _SCORES[match], key) for e, key in found), AMBIGUOUS)


def _named_outright(corpus: Corpus, query: str, typed: list[str], types: tuple[str, ...] | None) -> Resolution | None:
    """A name or alias as written, or whole words of names: no spelling forgiven, no rapidfuzz."""
    folded = " ".join(typed)
    exact = _of_types(corpus.entities_named(folded), types)
    if exact:
        # Two entities bearing the very name typed are namesakes: asked about.
        return _one_or_several(query, [(e, folded) for e in exact], EXACT)
    keys = set(corpus.name_keys_with_word(typed[0]))
    for word in typed[1:]:
        keys &= set(corpus.name_keys_with_word(word))
    found: dict[str, tuple[Entity, str]] = {}
    for key in sorted(keys, key=lambda k: (len(k), k)):
        if _holds_each(key.split(), typed):
            for entity in _of_types(corpus.entities_named(key), types):
                found.setdefault(entity.id, (entity, key))
    if not found:
        return None
    ordered = sorted(found.values(), key=lambda pair: corpus.entity_position(pair[0].id))
    # A person's first name or surname is their name; a word of another name may be a common noun.
    return _one_or_several(query, ordered, WORDS if ordered[0][0].type == "person" else PART)


def _holds_each(key_words: list[str], typed: list[str]) -> bool:
    """Whether every typed word is a word of the key, a repeated word as often as typed."""
    return all(key_words.count(word) >= typed.count(word) for word in set(typed))


def roles(key_words: list[str], entity_type: str) -> tuple[str, ...]:
    """The role of each word of a name key: a person's last word is the surname, the words
    before it first names (a one-word key of a person is a surname: "Tulesova")."""
    if entity_type != "person":
        return (PLAIN,) * len(key_words)
    return (GIVEN,) * (len(key_words) - 1) + (SURNAME,)


def align(typed: list[str], key_words: list[str], key_roles: tuple[str, ...]) -> list[tuple[int, int]]:
    """For each typed word, its best relation to a word of the key not taken by an earlier
    typed word, and that word's position (-1 when none relates)."""
    free = list(range(len(key_words)))
    aligned: list[tuple[int, int]] = []
    for word in typed:
        best, at = UNRELATED, -1
        for i in free:
            found = relation(word, key_words[i], key_roles[i])
            if found < best:
                best, at = found, i
        if at >= 0:
            free.remove(at)
        aligned.append((best, at))
    return aligned


class _Fit(NamedTuple):
    rank: tuple[bool, bool]  # (no word only begun, every word of the key typed)
    kind: str
    key: str
    entity: Entity
    typo: bool = False  # a word only one edit from the name's (no spelling of it)


class _Fits(NamedTuple):
    """What the name keys say about a typed name that is not a name as written."""

    matched: dict[str, _Fit]  # entity id -> its best fit
    refused: dict[str, tuple[tuple[tuple[str, str, str], ...], str, Entity]]  # -> (words refused, key, entity)
    sharing: dict[str, tuple[int, str, Entity]]  # -> (words spelt as in the key, key, entity)
    whole: set[str]  # entities one of whose names was typed whole, every word of it


def _fits(corpus: Corpus, typed: list[str], types: tuple[str, ...] | None) -> _Fits:
    fits = _Fits({}, {}, {}, set())
    for key, named in corpus.name_table().items():
        key_words = key.split()
        for entity in _of_types(named, types):
            key_roles = roles(key_words, entity.type)
            aligned = align(typed, key_words, key_roles)
            worst = max(found for found, _ in aligned)
            if worst < OTHER:
                begun = any(found == BEGINS for found, _ in aligned)
                typo = any(found == TYPO for found, _ in aligned)
                fit = _Fit((not begun, len(key_words) == len(typed)), PREFIX if begun else SPELLING, key, entity, typo)
                best = fits.matched.get(entity.id)
                # The best fit, and of equal ones the first key in order: the same from any backend.
                if best is None or (fit.rank, best.key) > (best.rank, key):
                    fits.matched[entity.id] = fit
                if fit.rank[1]:
                    fits.whole.add(entity.id)
            elif worst == OTHER:
                refused = tuple(
                    (word, key_words[at], key_roles[at])
                    for word, (found, at) in zip(typed, aligned, strict=True)
                    if found == OTHER
                )
                if entity.id not in fits.refused or key < fits.refused[entity.id][1]:
                    fits.refused[entity.id] = (refused, key, entity)
            shared = sum(
                found <= TYPO for (found, _), word in zip(aligned, typed, strict=True) if word not in STOPWORDS
            )
            before = fits.sharing.get(entity.id)
            if shared and (before is None or (shared, before[1]) > (before[0], key)):
                fits.sharing[entity.id] = (shared, key, entity)
    return fits


def _spelt_otherwise(corpus: Corpus, query: str, typed: list[str], types: tuple[str, ...] | None) -> Resolution:
    """Another spelling or a beginning of one entity's name; else why not: several, another name, unknown."""
    fits = _fits(corpus, typed, types)
    position = corpus.entity_position
    matched = sorted(fits.matched.values(), key=lambda fit: position(fit.entity.id))
    whole = [fit for fit in matched if fit.entity.id in fits.whole]
    # Several names fit, but only one is typed whole ("kazakhstn": the country, not each "... of Kazakhstan").
    chosen = matched if len(matched) == 1 else whole if len(whole) == 1 else []
    if not chosen:
        # Of several, the one name spelt otherwise rather than mistyped ("Toqayev": Tokaev, not Bokaev).
        spelt = [fit for fit in whole or matched if not fit.typo and fit.kind == SPELLING]
        chosen = spelt if len(spelt) == 1 else []
    if chosen:
        fit = chosen[0]
        candidate = Candidate(fit.entity, _SCORES[fit.kind], fit.key)
        if fit.kind == PREFIX and _begun_words_are_the_reports(corpus, typed, fit):
            return Resolution(query, None, (candidate,), REPORT_WORD)
        return Resolution(query, fit.entity, (candidate,), fit.kind)
    if matched:
        shown = whole or matched
        return Resolution(query, None, tuple(Candidate(f.entity, _SCORES[f.kind], f.key) for f in shown), AMBIGUOUS)
    if fits.refused:
        # The closest refused name first: its words are the ones said ("alena": Elena, then Arina).
        refused = sorted(fits.refused.values(), key=lambda fit: (_distance(fit[0]), position(fit[2].id)))
        candidates = tuple(Candidate(e, _SCORES[OTHER_NAME], key) for _, key, e in refused[:SUGGESTIONS])
        return Resolution(query, None, candidates, OTHER_NAME, refused[0][0])
    return Resolution(query, None, _suggestions(corpus, typed, types, fits))


def _begun_words_are_the_reports(corpus: Corpus, typed: list[str], fit: _Fit) -> bool:
    """Whether a word typed as the beginning of a name's word is a word the report uses itself
    ("kazakh", "kazakhs" begin "kazakhstan"): then it means that word, not the name."""
    key_words = fit.key.split()
    aligned = align(typed, key_words, roles(key_words, fit.entity.type))
    begun = [word for word, (found, _) in zip(typed, aligned, strict=True) if found == BEGINS]
    surfaces = corpus.search_index().surface_postings
    return any(word in surfaces for word in begun)


def _distance(refused: tuple[tuple[str, str, str], ...]) -> int:
    """How far the refused words are from the name's: another form of it (Alim, Alimuly) counts nothing."""
    return sum(
        0 if another_form(typed, written, role) else edits(skeleton(typed), skeleton(written))
        for typed, written, role in refused
    )


def _closeness(typed: list[str], key: str) -> float:
    """How close a typed name is to a name key (0-100): the whole, or for one typed word its closest word."""
    from rapidfuzz import fuzz

    folded = " ".join(typed)
    score = fuzz.ratio(folded, key)
    if len(typed) == 1:
        score = max([score, *(fuzz.ratio(folded, word) for word in key.split() if len(word) > 3)])
    return float(score)


def _suggestions(corpus: Corpus, typed: list[str], types: tuple[str, ...] | None, fits: _Fits) -> tuple[Candidate, ...]:
    """Names close to what was typed, closest first: sharing a word with it, or above SUGGEST_FLOOR."""
    scored: dict[str, tuple[float, str, Entity]] = {
        entity.id: (100.0 + shared, key, entity) for shared, key, entity in fits.sharing.values()
    }
    for key, named in corpus.name_table().items():
        score = _closeness(typed, key)
        if score < SUGGEST_FLOOR:
            continue
        for entity in _of_types(named, types):
            if score > scored.get(entity.id, (0.0, key, entity))[0]:
                scored[entity.id] = (score, key, entity)
    ranked = sorted(scored.values(), key=lambda s: (-s[0], corpus.entity_position(s[2].id)))
    return tuple(Candidate(entity, round(min(score, 100.0), 1), key) for score, key, entity in ranked[:SUGGESTIONS])


def _several_named(corpus: Corpus, query: str, types: tuple[str, ...] | None) -> tuple[Candidate, ...]:
    """Entities each named outright by different words of the query ("Ospan Osinovskaya"):
    every word names exactly one of them, and no single name holds them all.

    Taking the name that looks most like the whole query would quietly pick one;
    naming two people is a question kz should ask back instead.
    """
    query_words = [w for w in words(query) if w not in STOPWORDS and len(w) >= 3]
    if len(query_words) < 2:
        return ()
    holders: dict[str, Entity] = {}
    hits: dict[str, list[str]] = {}
    for word in dict.fromkeys(query_words):
        # The names holding this word, of entities of the types asked for.
        keys = [key for key in corpus.name_keys_with_word(word) if _of_types(corpus.entities_named(key), types)]
        if any(all(w in key.split() for w in query_words) for key in keys):
            return ()  # one name holds every word: an ordinary lookup
        found = {e.id: e for key in keys for e in _of_types(corpus.entities_named(key), types)}
        if len(found) > 1:
            return ()  # a word shared by two names ("trade"): no clean split
        for entity_id, entity in found.items():
            holders[entity_id] = entity
            hits.setdefault(entity_id, []).append(word)
    named = sorted(holders.values(), key=lambda e: corpus.entity_position(e.id))
    explained = {w for held in hits.values() for w in held}
    # Only when every word names someone outright: a typo ("counci") is the spelling rules' job.
    if len(named) > 1 and explained >= set(query_words):
        return tuple(Candidate(e, _SCORES[WORDS], " ".join(hits[e.id])) for e in named)
    return ()


def mentioned_in_query(corpus: Corpus, query: str) -> list[Entity]:
    """People, organisations and laws a search query names outright: a full name or an
    alias (people's include their surnames), as whole words; no typos. Places are left
    out: the hint is for the people and organisations a reader may want a profile of."""
    found: dict[str, Entity] = {}
    # "Nur-Otan" names "Nur Otan": hyphens read as spaces too, as name keys are (name_keys).
    for spelling in dict.fromkeys((query, query.replace("-", " "))):
        query_words = words(spelling)
        folded_query = f" {' '.join(query_words)} "
        for word in dict.fromkeys(query_words):
            # A name in the query holds its words, so looking up the names that hold each word finds it.
            for key in corpus.name_keys_with_word(word):
                if len(key) >= 3 and f" {key} " in folded_query:
                    found.update((e.id, e) for e in corpus.entities_named(key) if e.type != "place")
    return sorted(found.values(), key=lambda e: corpus.entity_position(e.id))


# --- what the commands say --------------------------------------------------------


def require_name(name: str, listing: str, what: str = "a name") -> None:
    """Input with no letters or digits is bad input (exit 2), not an unknown name (exit 1)."""
    if not words(name):
        raise UsageError(f"{what} is needed, got {name!r}; see `{listing}`")


def shell_word(text: str) -> str:
    """``text`` as one shell word, for the commands messages suggest (shlex: ~1 ms, messages only).

    Spelt so that it survives a paste: where stderr cannot show a letter (``PYTHONIOENCODING=ascii``),
    its base letter, as kz forgives it (``kz person Desir`` for Désir), never an escape that names nobody.
    """
    import shlex

    from kzcli.streams import stderr_shows

    return shlex.quote(text if stderr_shows(text) else _unaccented(text, stderr_shows))


def _unaccented(text: str, shows: Any) -> str:
    """``text`` with each character ``shows`` refuses replaced by its folded form, case kept (é: e, ’: ')."""
    from kzcli.text import fold

    def base(char: str) -> str:
        folded = fold(char)
        plain = folded.upper() if char.isupper() else folded
        return plain if plain and shows(plain) else char

    return "".join(char if shows(char) else base(char) for char in text)


def correction(resolution: Resolution) -> str | None:
    """What kz says when it read a name spelt otherwise: ``showing Asya Tulesova (you typed 'tulesva')``,
    or took words for the name holding them: ``showing Supreme Court (you typed 'Court', words of its name)``."""
    if resolution.entity is None or not resolution.corrected:
        return None
    read_as = f", read as {resolution.read_as!r}" if resolution.read_as is not None else ""
    part = ", words of its name" if resolution.match == PART else ""
    return f"showing {resolution.entity.name} (you typed {resolution.query!r}{read_as}{part})"


def _typed(name: str, resolution: Resolution) -> str:
    """A name not found as messages quote it, with how Cyrillic was read: "'Пупкин' (read as 'Pupkin')"."""
    read_as = f" (read as {resolution.read_as!r})" if resolution.read_as is not None else ""
    return f"{name!r}{read_as}"


def resolution_block(resolution: Resolution) -> dict[str, Any]:
    """A resolved name in a JSON query block: what was typed, whom it named, how, and what kz said."""
    found = resolution.entity
    return {
        "name": resolution.query,
        "resolved": found.id if found else None,
        "matched": resolution.candidates[0].matched if found else None,
        "match": resolution.match,
        "correction": correction(resolution),
        # Cyrillic typed: the Latin letters it was read in (else null).
        "read_as": resolution.read_as,
    }


def _listed(candidates: tuple[Candidate, ...]) -> str:
    shown = [c.entity.name for c in candidates]
    # Namesakes are told apart by id, which `kz person ID` takes.
    names = [
        f"{c.entity.name} ({c.entity.type}{', ' + c.entity.id if shown.count(c.entity.name) > 1 else ''})"
        for c in candidates[:LISTED]
    ]
    more = len(candidates) - LISTED
    return "; ".join(names) + (f"; and {more} more" if more > 0 else "")


def _refusal(resolution: Resolution) -> str:
    """Why the words typed name another person: "'tulesov' is another surname form than 'tulesova'"."""
    reasons = [
        f"{typed!r} is another {'first name' if role == GIVEN else 'form of the name'} than {written!r}"
        for typed, written, role in resolution.refused
    ]
    return ", ".join(reasons)


def unresolved_message(corpus: Corpus, name: str, types: tuple[str, ...] | None, resolution: Resolution) -> str:
    """Why ``resolution`` (of ``name`` among ``types``) found no one, with the next thing to try."""
    kind = "person" if types == PERSON else "entity"
    typed = _typed(name, resolution)
    if resolution.ambiguous:
        return f"{typed} could be several: {_listed(resolution.candidates)}; give a more specific name"
    if types == PERSON and resolution.match != OTHER_NAME:
        other = resolve(corpus, name)
        if other.entity is not None:
            return (
                f"{other.entity.name} is a named {other.entity.type}, not a person: see `kz entity {shell_word(name)}`"
            )
    names = ", ".join(c.entity.name for c in resolution.candidates)
    if resolution.match == COMMON:
        return f"{typed} is only common words, not a name; see `{'kz people' if kind == 'person' else 'kz entities'}`"
    if resolution.match == REPORT_WORD:
        return (
            f"no {kind} named {typed} in the report: it is a word the report uses itself, not the beginning of "
            f"{names}; see `kz entity {shell_word(names)}`, or try `kz search {shell_word(name)}`"
        )
    if resolution.match == OTHER_NAME:
        return f"no {kind} named {typed} in the report ({_refusal(resolution)}); did you mean: {names}?"
    if resolution.candidates:
        return f"no {kind} named {typed} in the report; did you mean: {names}?"
    listing = "kz people" if kind == "person" else "kz entities"
    return f"no {kind} named {typed} in the report; see `{listing}` or try `kz search {shell_word(name)}`"


def candidate_records(resolution: Resolution) -> list[dict[str, str]]:
    """The candidates of an unresolved name, as JSON records carry them."""
    return [{"id": c.entity.id, "name": c.entity.name, "type": c.entity.type} for c in resolution.candidates]


def resolve_subject(corpus: Corpus, name: str) -> Resolution:
    """The entity ``timeline --person`` means: a person first, else any entity; NotFoundError otherwise.

    Only a name that fits no person at all is looked for among the other entities: one
    refused as another person's name, or fitting several people, is asked about as such.
    """
    require_name(name, "kz people")
    resolution = resolve(corpus, name, PERSON)
    types: tuple[str, ...] | None = PERSON
    if resolution.entity is None and resolution.match == UNKNOWN:
        resolution, types = resolve(corpus, name), None
    if resolution.entity is None:
        raise NotFoundError(unresolved_message(corpus, name, types, resolution), candidate_records(resolution))
    return resolution


def completions(corpus: Corpus, typed: str, types: tuple[str, ...] | None) -> list[str]:
    """One spelling per entity of ``types`` that begins with what was typed, folded: its name when that
    fits, else its surname (people) or the first alias that does (``tokay`` -> Tokayev, ``osc`` -> OSCE).

    One spelling each, so a shell never inserts the common prefix of two spellings of one name
    (``Kasym-Jomart Toka``), which names nobody. A spelling that fits two entities is offered as
    their full names instead. Each resolves silently to its entity.
    """
    from collections import Counter

    from kzcli.entities import surname

    start = fold(typed)
    chosen: list[tuple[Entity, str]] = []
    for entity in corpus.entities:
        if types is not None and entity.type not in types:
            continue
        own = [entity.name, surname(entity)] if entity.type == "person" else [entity.name]
        spelling = next((s for s in [*own, *entity.aliases] if fold(s).startswith(start)), None)
        if spelling is not None:
            chosen.append((entity, spelling))
    shared = {s for s, n in Counter(fold(s) for _, s in chosen).items() if n > 1}
    offered = [entity.name if fold(spelling) in shared else spelling for entity, spelling in chosen]
    return list(dict.fromkeys(offered))
