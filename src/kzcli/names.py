"""Which entity a typed name means: one policy for person, entity, ``timeline --person``,
cite targets, search's name hints and completion.

A name is compared (folded: case, accents, quotes) with every entity's full
name, aliases and the single words of both, so "tulesova", "Tulesva" (typo),
"Tokayev" (alias) and "desir" (accent) all resolve. A name that fits several
entities closely is ambiguous: kz asks back rather than pick one.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from kzcli.corpus import Corpus, Entity
from kzcli.errors import NotFoundError, UsageError
from kzcli.text import TYPO_MIN_LENGTH, fold, words

PERSON: tuple[str, ...] = ("person",)

# A candidate must score at least this to resolve at all (0-100).
RESOLVE_CUTOFF = 82.0
# Below the resolve cutoff but above this, a candidate is offered as "did you mean".
SUGGEST_CUTOFF = 50.0
# Two candidates within this many points of each other are ambiguous.
AMBIGUITY_MARGIN = 4.0
# Most a fuzzy one-word match loses for the other words of a long name.
WORD_MATCH_PENALTY = 6.0
# A single typed word one edit from a word of a name resolves (above the cutoff,
# below an exact word's 94-96), if it is long enough to be a typo (text.TYPO_MIN_LENGTH).
ONE_EDIT_SCORE = 88.0


class Candidate(NamedTuple):
    entity: Entity
    score: float
    matched: str


class Resolution(NamedTuple):
    """Outcome of resolving a name: one entity, several close ones, or suggestions."""

    query: str
    entity: Entity | None
    candidates: tuple[Candidate, ...]

    @property
    def ambiguous(self) -> bool:
        return self.entity is None and bool(self.candidates) and self.candidates[0].score >= RESOLVE_CUTOFF


def name_keys(entity: Entity) -> list[str]:
    """Folded forms a user may type for an entity: full name, aliases, and each
    with its hyphens as spaces ("Kasym-Jomart" is also "Kasym Jomart", so "Kasym" names him)."""
    keys = [entity.name, *entity.aliases]
    keys += [k.replace("-", " ") for k in keys if "-" in k]
    return list(dict.fromkeys(key for key in (" ".join(words(k)) for k in keys) if key))


def _score(query: str, query_words: list[str], key: str) -> float:
    exact = _exact_score(query, query_words, key)
    if exact is not None:
        return exact
    from rapidfuzz import fuzz

    key_words = key.split()
    whole = fuzz.ratio(query, key)
    if len(query_words) == 1 and len(key_words) > 1:
        # One typed word close to one word of a longer name ("kazakhstn" in "Congress
        # of Free Trade Unions of Kazakhstan"): the more other words, the weaker.
        best_word = max(fuzz.ratio(query, w) for w in key_words)
        whole = max(whole, best_word * 0.97 - WORD_MATCH_PENALTY * (len(key_words) - 1) / len(key_words))
    if _one_edit_word(query, query_words, key_words):
        whole = max(whole, ONE_EDIT_SCORE)
    return float(whole)


def _one_edit_word(query: str, query_words: list[str], key_words: list[str]) -> bool:
    """One typed word of five letters or more, one edit from a word of the name
    ("iskandar", "dadosh", "alnyr"): the rule search uses for typos."""
    if len(query_words) != 1 or len(query) < TYPO_MIN_LENGTH or not query.isalpha():
        return False
    from rapidfuzz.distance import OSA

    return any(abs(len(w) - len(query)) <= 1 and OSA.distance(query, w, score_cutoff=1) <= 1 for w in key_words)


def rank(corpus: Corpus, query: str, types: tuple[str, ...] | None = None) -> list[Candidate]:
    """Every named entity of the given types scored against ``query``, best first.

    Each name key is scored once, however many entities bear it; ties go by
    name, then corpus order.
    """
    query_words = words(query)
    folded = " ".join(query_words)
    if not folded:
        return []
    best: dict[str, tuple[float, str, Entity]] = {}
    for key, named in corpus.name_table().items():
        relevant = [e for e in named if not types or e.type in types]
        if not relevant:
            continue
        score = _score(folded, query_words, key)
        for entity in relevant:
            if (score, key) > best.get(entity.id, (-1.0, ""))[:2]:
                best[entity.id] = (score, key, entity)
    ranked = [Candidate(entity, round(score, 1), key) for score, key, entity in best.values()]
    ranked.sort(key=lambda c: (-c.score, c.entity.name, corpus.entity_position(c.entity.id)))
    return ranked


def resolve(corpus: Corpus, query: str, types: tuple[str, ...] | None = None) -> Resolution:
    """Resolve a typed name to one entity, or explain why not (ambiguous / unknown)."""
    by_id = corpus.entity_or_none(query.strip())
    if by_id is not None and (not types or by_id.type in types):
        # An id (from --json, CSV or a citation) names its entity exactly.
        return Resolution(query, by_id, (Candidate(by_id, 100.0, by_id.id),))
    several = _several_named(corpus, query, types)
    if several:
        return Resolution(query, None, several)
    exact = _rank_without_fuzz(corpus, query, types)
    return _decide(query, exact if exact is not None else rank(corpus, query, types))


def _several_named(corpus: Corpus, query: str, types: tuple[str, ...] | None) -> tuple[Candidate, ...]:
    """Entities each named outright by different words of the query ("Ospan Osinovskaya"):
    every word names exactly one of them, and no single name holds them all.

    Fuzzy scoring would quietly pick the one whose name looks most like the
    whole query; naming two people is a question kz should ask back instead.
    """
    from kzcli.text import STOPWORDS

    query_words = [w for w in words(query) if w not in STOPWORDS and len(w) >= 3]
    if len(query_words) < 2:
        return ()
    holders: dict[str, Entity] = {}
    hits: dict[str, list[str]] = {}
    for word in dict.fromkeys(query_words):
        # The names holding this word, of entities of the types asked for.
        keys = [
            key
            for key in corpus.name_keys_with_word(word)
            if any(not types or e.type in types for e in corpus.entities_named(key))
        ]
        if any(all(w in key.split() for w in query_words) for key in keys):
            return ()  # one name holds every word: an ordinary lookup
        found = {e.id: e for key in keys for e in corpus.entities_named(key) if not types or e.type in types}
        if len(found) > 1:
            return ()  # a word shared by two names ("trade"): no clean split, let scoring decide
        for entity_id, entity in found.items():
            holders[entity_id] = entity
            hits.setdefault(entity_id, []).append(word)
    named = sorted(holders.values(), key=lambda e: corpus.entity_position(e.id))
    explained = {w for held in hits.values() for w in held}
    # Only when every word names someone outright: a typo ("counci") is fuzzy matching's job.
    if len(named) > 1 and explained >= set(query_words):
        return tuple(Candidate(e, RESOLVE_CUTOFF, " ".join(hits[e.id])) for e in named)
    return ()


def _rank_without_fuzz(corpus: Corpus, query: str, types: tuple[str, ...] | None) -> list[Candidate] | None:
    """The candidates that decide ``resolve``, when that is provable without rapidfuzz; else None.

    Importing rapidfuzz costs ~6 ms, a tenth of ``kz person Tulesova``. When the
    name typed is a name (or every word of it a word of one), those exact
    matches score 94-100; a fuzzy score can change the outcome only by coming
    within AMBIGUITY_MARGIN of them, and ``_fuzzy_ceiling`` bounds every fuzzy
    score from letter counts alone. If no bound comes close, the exact matches
    alone decide exactly as ``rank`` would.

    The exact matches come from the corpus's name lookups (every key holding
    the first typed word); only when the best of them scores under 100 is
    every name key read.
    """
    query_words = words(query)
    folded = " ".join(query_words)
    if not folded:
        return None
    best: dict[str, tuple[float, str, Entity]] = {}
    for key in corpus.name_keys_with_word(query_words[0]):
        score = _exact_score(folded, query_words, key)
        if score is None:
            continue
        for entity in corpus.entities_named(key):
            if (not types or entity.type in types) and (score, key) > best.get(entity.id, (-1.0, ""))[:2]:
                best[entity.id] = (score, key, entity)
    if not best:
        return None
    exact = [Candidate(entity, round(score, 1), key) for score, key, entity in best.values()]
    # As rank orders them: by score, then name, then corpus order (rank's stable sort keeps it).
    exact.sort(key=lambda c: (-c.score, c.entity.name, corpus.entity_position(c.entity.id)))
    if exact[0].score < 100.0 and _fuzz_could_change(corpus, folded, query_words, types, best, exact[0].score):
        return None
    return exact


def _fuzz_could_change(
    corpus: Corpus,
    folded: str,
    query_words: list[str],
    types: tuple[str, ...] | None,
    best: dict[str, tuple[float, str, Entity]],
    top: float,
) -> bool:
    """Whether a fuzzy score of any other name key could come close enough to change the outcome."""
    query_letters = Counter(folded)
    for key, named in corpus.name_table().items():
        exact_key = _exact_score(folded, query_words, key) is not None
        ceiling: float | None = None
        for entity in named:
            matched = best.get(entity.id)
            if (types and entity.type not in types) or (matched is not None and exact_key):
                continue
            # Another entity must stay clear of the ambiguity margin; another key of
            # a matched entity must stay under that entity's exact score.
            bound = (top - AMBIGUITY_MARGIN if matched is None else matched[0]) - 0.1
            if ceiling is None:
                ceiling = _fuzzy_ceiling(folded, query_letters, query_words, key)
            if ceiling >= bound:
                return True
    return False


def _exact_score(query: str, query_words: list[str], key: str) -> float | None:
    """The score of a key that is the query (100), or holds every typed word ("tulesova",
    "asya": 94-96, fewer extra words scoring higher); None for the rest."""
    if query == key:
        return 100.0
    key_words = key.split()
    if query_words and all(w in key_words for w in query_words):
        return 96.0 - 2.0 * (len(key_words) - len(query_words)) / max(len(key_words), 1)
    return None


def _fuzzy_ceiling(query: str, query_letters: Counter[str], query_words: list[str], key: str) -> float:
    """An upper bound of ``_score``'s fuzzy branch: fuzz.ratio is 200 x LCS / (len a + len b),
    and the longest common subsequence has at most the letters the two strings share."""

    def ceiling(a: str, a_letters: Counter[str], b: str) -> float:
        longest = min(len(a), len(b))
        if 200.0 * longest / (len(a) + len(b)) < 80.0:
            return 200.0 * longest / (len(a) + len(b))
        shared = sum((a_letters & Counter(b)).values())
        return 200.0 * shared / (len(a) + len(b))

    bound = ceiling(query, query_letters, key)
    key_words = key.split()
    if len(query_words) == 1 and len(key_words) > 1:
        bound = max(bound, max(ceiling(query, query_letters, w) for w in key_words) * 0.97)
    one_word = len(query_words) == 1 and len(query) >= TYPO_MIN_LENGTH and query.isalpha()
    if one_word and any(abs(len(w) - len(query)) <= 1 for w in key_words):
        bound = max(bound, ONE_EDIT_SCORE)
    return bound


def _decide(query: str, ranked: list[Candidate]) -> Resolution:
    """One entity, several close ones (ambiguous), or suggestions, from ranked candidates."""
    if not ranked or ranked[0].score < RESOLVE_CUTOFF:
        suggestions = tuple(c for c in ranked[:3] if c.score >= SUGGEST_CUTOFF)
        return Resolution(query, None, suggestions)
    top = ranked[0]
    close = tuple(c for c in ranked if c.score >= RESOLVE_CUTOFF and top.score - c.score <= AMBIGUITY_MARGIN)
    # A name typed in full settles it, unless two entities bear that very name.
    if len(close) > 1 and (top.score < 100.0 or close[1].score >= 100.0):
        return Resolution(query, None, close)
    return Resolution(query, top.entity, (top,))


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
    """``text`` as one shell word, for the commands messages suggest (shlex: ~1 ms, messages only)."""
    import shlex

    return shlex.quote(text)


def unresolved_message(corpus: Corpus, name: str, types: tuple[str, ...] | None, resolution: Resolution) -> str:
    """Why ``resolution`` (of ``name`` among ``types``) found no one, with the next thing to try."""
    kind = "person" if types == PERSON else "entity"
    if resolution.ambiguous:
        shown = [c.entity.name for c in resolution.candidates]
        # Namesakes are told apart by id, which `kz person ID` takes.
        names = "; ".join(
            f"{c.entity.name} ({c.entity.type}{', ' + c.entity.id if shown.count(c.entity.name) > 1 else ''})"
            for c in resolution.candidates
        )
        return f"{name!r} could be several: {names}; give a more specific name"
    if types == PERSON:
        other = resolve(corpus, name)
        if other.entity is not None:
            return (
                f"{other.entity.name} is a named {other.entity.type}, not a person: see `kz entity {shell_word(name)}`"
            )
    if resolution.candidates:
        names = ", ".join(c.entity.name for c in resolution.candidates)
        return f"no {kind} named {name!r} in the report; did you mean: {names}?"
    return f"no {kind} named {name!r} in the report; see `kz {'people' if kind == 'person' else 'entities'}`"


def candidate_records(resolution: Resolution) -> list[dict[str, str]]:
    """The candidates of an unresolved name, as JSON records carry them."""
    return [{"id": c.entity.id, "name": c.entity.name, "type": c.entity.type} for c in resolution.candidates]


def resolve_subject(corpus: Corpus, name: str) -> Entity:
    """The entity ``timeline --person`` means: a person first, else any entity; NotFoundError otherwise."""
    require_name(name, "kz people")
    resolution = resolve(corpus, name, PERSON)
    if resolution.entity is None:
        resolution = resolve(corpus, name)
    if resolution.entity is None:
        raise NotFoundError(unresolved_message(corpus, name, None, resolution), candidate_records(resolution))
    return resolution.entity


def completions(corpus: Corpus, incomplete: str, types: tuple[str, ...] | None, surnames: bool) -> list[str]:
    """Names (and aliases, or surnames) of entities of ``types`` that begin with what was typed, folded."""
    from kzcli.entities import surname

    typed = fold(incomplete)
    names: list[str] = []
    for entity in corpus.entities:
        if types is None or entity.type in types:
            names += [entity.name, surname(entity)] if surnames else [entity.name, *entity.aliases]
    return [n for n in dict.fromkeys(names) if fold(n).startswith(typed)]
