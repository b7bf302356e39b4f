"""Name resolution over entities, listings, profiles and co-mentions.

A name is compared (folded: case, accents, quotes) with every entity's full
name, aliases and the single words of both, so "tulesova", "Tulesva" (typo),
"Tokayev" (alias) and "desir" (accent) all resolve.
"""

from __future__ import annotations

from dataclasses import dataclass

from kzcli.corpus import Corpus, Entity, Event
from kzcli.text import words

# A candidate must score at least this to resolve at all (0-100).
RESOLVE_CUTOFF = 82.0
# Below the resolve cutoff but above this, a candidate is offered as "did you mean".
SUGGEST_CUTOFF = 50.0
# Two candidates within this many points of each other are ambiguous.
AMBIGUITY_MARGIN = 4.0


@dataclass(frozen=True, slots=True)
class Candidate:
    entity: Entity
    score: float
    matched: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """Outcome of resolving a name: one entity, several close ones, or suggestions."""

    query: str
    entity: Entity | None
    candidates: tuple[Candidate, ...]

    @property
    def ambiguous(self) -> bool:
        return self.entity is None and bool(self.candidates) and self.candidates[0].score >= RESOLVE_CUTOFF


def name_keys(entity: Entity) -> list[str]:
    """Folded forms a user may type for an entity: full name, aliases."""
    keys = [entity.name, *entity.aliases]
    return list(dict.fromkeys(" ".join(words(k)) for k in keys if words(k)))


def _score(query: str, query_words: list[str], key: str) -> float:
    from rapidfuzz import fuzz

    if query == key:
        return 100.0
    key_words = key.split()
    if query_words and all(w in key_words for w in query_words):
        # Every typed word is one of the name's words ("tulesova", "asya").
        return 96.0 - 2.0 * (len(key_words) - len(query_words)) / max(len(key_words), 1)
    whole = fuzz.ratio(query, key)
    if len(query_words) == 1 and len(key_words) > 1:
        best_word = max(fuzz.ratio(query, w) for w in key_words)
        whole = max(whole, best_word * 0.97)
    return float(whole)


def rank(corpus: Corpus, query: str, types: tuple[str, ...] | None = None) -> list[Candidate]:
    """Every entity of the given types scored against ``query``, best first."""
    query_words = words(query)
    folded = " ".join(query_words)
    if not folded:
        return []
    ranked: list[Candidate] = []
    for entity in corpus.entities:
        if types and entity.type not in types:
            continue
        best = max(((_score(folded, query_words, key), key) for key in name_keys(entity)), default=(0.0, ""))
        ranked.append(Candidate(entity, round(best[0], 1), best[1]))
    ranked.sort(key=lambda c: (-c.score, c.entity.name))
    return ranked


def resolve(corpus: Corpus, query: str, types: tuple[str, ...] | None = None) -> Resolution:
    """Resolve a typed name to one entity, or explain why not (ambiguous / unknown)."""
    ranked = rank(corpus, query, types)
    if not ranked or ranked[0].score < RESOLVE_CUTOFF:
        suggestions = tuple(c for c in ranked[:3] if c.score >= SUGGEST_CUTOFF)
        return Resolution(query, None, suggestions)
    top = ranked[0]
    close = tuple(c for c in ranked if c.score >= RESOLVE_CUTOFF and top.score - c.score <= AMBIGUITY_MARGIN)
    if len(close) > 1 and top.score < 100.0:
        return Resolution(query, None, close)
    return Resolution(query, top.entity, (top,))


def events_of(corpus: Corpus, entity_id: str) -> list[Event]:
    """Events that involve an entity, in date order."""
    from kzcli.timeline import sort_key

    return sorted((e for e in corpus.events if entity_id in e.entities), key=sort_key)


def co_mentioned(corpus: Corpus, entity: Entity) -> list[tuple[Entity, int]]:
    """Entities named in the same paragraphs or events as ``entity``, most shared first."""
    places = {(m.section, m.paragraph) for m in entity.mentions}
    counts: dict[str, int] = {}
    for other in corpus.entities:
        if other.id == entity.id:
            continue
        shared = len(places & {(m.section, m.paragraph) for m in other.mentions})
        if shared:
            counts[other.id] = shared
    for event in corpus.events:
        if entity.id in event.entities:
            for other_id in event.entities:
                if other_id != entity.id and other_id not in counts:
                    counts[other_id] = 1
    pairs = [(corpus.entity(i), n) for i, n in counts.items()]
    pairs.sort(key=lambda pair: (-pair[1], pair[0].name))
    return pairs


def sections_of(entity: Entity) -> list[str]:
    """Section ids where an entity is mentioned, in first-mention order."""
    return list(dict.fromkeys(m.section for m in entity.mentions))


def first_appearance(corpus: Corpus, entity: Entity) -> tuple[int, int]:
    """(section order, paragraph) of the first mention: for 'sort by appearance'."""
    order = {s.id: i for i, s in enumerate(corpus.sections)}
    return min((order[m.section], m.paragraph) for m in entity.mentions)


def mentioned_in_query(corpus: Corpus, query: str) -> list[Entity]:
    """Entities a search query names outright (full name, alias or surname; no typos)."""
    folded_query = f" {' '.join(words(query))} "
    found = []
    for entity in corpus.entities:
        if entity.type == "place":
            continue
        for key in name_keys(entity):
            if len(key) >= 3 and f" {key} " in folded_query:
                found.append(entity)
                break
    return found
