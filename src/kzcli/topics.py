"""Topics: the themes and groups of affected persons the corpus tags paragraphs and events with.

The topics are the corpus's, not the report's (``report.json`` "topics", in the
manner of the UN Universal Human Rights Index): each lists the terms people
search for it by, and every paragraph (SECTION:N) and event it is about. They
are a way in twice over: by name (``kz topic``, ``--topic``: found by the one
rule sections are found by, ``sections.fitting``) and in search, where a word
the report never uses but a topic lists stands for that topic's passages
(``bridges``: said on stderr and in the JSON, never silent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from kzcli.corpus import Corpus, Entity, Event, Topic
from kzcli.errors import NotFoundError, UsageError
from kzcli.named import NamedTuple
from kzcli.text import stem, words

# Below a fit, topics scoring at least this (rapidfuzz's ratio, 0-100) are offered as suggestions:
# a slip of spelling ("torure", "lgtb", "wom"an), never a word that shares a few letters ("nonsense").
SUGGEST_CUTOFF = 75.0


class TopicMatch(NamedTuple):
    topic: Topic
    match: str  # sections.EXACT (as written: said nowhere), WORDS, SPELLING or PREFIX (said)


def topic_keys(topic: Topic) -> list[list[str]]:
    """The word lists a topic is known by: its label, its id (hyphens as spaces) and each term."""
    keys = [words(topic.label), words(topic.id.replace("-", " "))]
    keys += [words(term) for term in topic.terms]
    keys += [words(term.replace("-", " ")) for term in topic.terms if "-" in term]
    return [key for key in keys if key]


def find_topic(corpus: Corpus, name: str) -> TopicMatch:
    """The one topic ``name`` means (id, label or term; loosely typed as a section name may be),
    and how; NotFoundError when none or several fit, naming them."""
    from kzcli.sections import EXACT, fitting

    if not words(name):
        raise UsageError("a topic name is needed; see `kz topics`")
    topics = corpus.topics
    if not topics:
        raise NotFoundError("this corpus tags no topics")
    by_id = {topic.id: topic for topic in topics}
    typed, spaced = words(name), words(name.replace("-", " "))
    exact = [topic for topic in topics if any(key in (typed, spaced) for key in topic_keys(topic))]
    if len(exact) == 1:
        return TopicMatch(exact[0], EXACT)
    fits = fitting(((topic.id, topic_keys(topic)) for topic in exact or topics), name)
    if len(fits) == 1:
        return TopicMatch(by_id[fits[0][0]], fits[0][1])
    if fits:
        options = ", ".join(topic_id for topic_id, _, _ in fits)
        raise NotFoundError(f"topic {name!r} could be several: {options}; give more of the name")
    suggestions = _closest(topics, name)
    hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
    raise NotFoundError(f"no topic matches {name!r}{hint} (see `kz topics`)")


def _closest(topics: Sequence[Topic], name: str) -> list[str]:
    """Up to three topic ids close to a typed name: suggestions only.

    The typed words are compared with a whole name, or with as many words of one, side by
    side ("labr rights" with "labour rights"): never with any stretch of letters inside a name,
    which offered "freedom of association" for "nonsense".
    """
    from rapidfuzz import fuzz

    typed_words = words(name)
    typed, size = " ".join(typed_words), len(typed_words)
    ranked: list[tuple[float, str]] = []
    for topic in topics:
        keys = topic_keys(topic)
        spans = {" ".join(key[at : at + size]) for key in keys for at in range(max(len(key) - size, 0) + 1)}
        best = max(fuzz.ratio(typed, span) for span in spans | {" ".join(key) for key in keys})
        if best >= SUGGEST_CUTOFF:
            ranked.append((best, topic.id))
    ranked.sort(key=lambda pair: -pair[0])
    return [topic_id for _, topic_id in ranked[:3]]


def read_as(typed: str, found: TopicMatch) -> str | None:
    """What kz says when it took loosely typed words for a topic: None for an id, label or term as written."""
    from kzcli.sections import EXACT

    if found.match == EXACT:
        return None
    return f"{typed!r} read as topic {found.topic.label} ({found.topic.id})"


# --- what a topic holds ---------------------------------------------------------------


def topic_events(corpus: Corpus, topic: Topic) -> tuple[Event, ...]:
    """The events tagged with a topic, in corpus order (an index file reads the events alone)."""
    wanted = set(topic.events)
    return tuple(event for event in corpus.events_between("0000", "9999") if event.id in wanted)


def people_of_events(corpus: Corpus, events: Iterable[Event]) -> set[str]:
    """The ids of the persons some of ``events`` name: a topic's events are tagged one by one,
    so these persons are of the topic; a passage is tagged whole, and may name others on other matters."""
    return {
        entity_id
        for event in events
        for entity_id in event.entities
        if (named := corpus.entity_or_none(entity_id)) is not None and named.type == "person"
    }


def topic_people(corpus: Corpus, topic: Topic, events: Iterable[Event] | None = None) -> tuple[Entity, ...]:
    """The persons a topic's passages mention or its events name, in corpus order
    (``people_of_events`` tells which its events name)."""
    found: dict[str, Entity] = {}
    for section_id, number in topic.paragraphs:
        for entity in corpus.entities_at(section_id, number):
            if entity.type == "person":
                found.setdefault(entity.id, entity)
    for event in topic_events(corpus, topic) if events is None else events:
        for entity_id in event.entities:
            named = corpus.entity_or_none(entity_id)
            if named is not None and named.type == "person":
                found.setdefault(named.id, named)
    return tuple(sorted(found.values(), key=lambda entity: corpus.entity_position(entity.id)))


# --- bridging the vocabulary in search -------------------------------------------------


class TopicTerms:
    """Every term of every topic by the stem of its first word, worked out on first use: a
    search asks only when a word of the query is one the report never uses."""

    __slots__ = ("_by_id", "_read", "_starting")

    def __init__(self, read: Callable[[], tuple[Topic, ...]]) -> None:
        self._read = read
        self._starting: dict[str, list[tuple[tuple[str, ...], str]]] | None = None
        self._by_id: dict[str, Topic] = {}

    def _load(self) -> dict[str, list[tuple[tuple[str, ...], str]]]:
        if self._starting is None:
            self._starting = {}
            for topic in self._read():
                self._by_id[topic.id] = topic
                for term in topic.terms:
                    stems = tuple(stem(word) for word in words(term))
                    if stems:
                        self._starting.setdefault(stems[0], []).append((stems, topic.id))
            for found in self._starting.values():
                found.sort(key=lambda entry: -len(entry[0]))
        return self._starting

    @property
    def topics(self) -> dict[str, Topic]:
        """Every topic by id, in corpus order."""
        self._load()
        return self._by_id

    def starting(self, first: str) -> list[tuple[tuple[str, ...], str]]:
        """(the stems of a term, its topic's id) of every term whose first word stems to ``first``, longest first."""
        return self._load().get(first, [])

    def own_words(self, topic_id: str) -> tuple[str, ...]:
        """A topic's terms, folded: those the report writes rank and highlight its passages."""
        return tuple(dict.fromkeys(" ".join(words(term)) for term in self.topics[topic_id].terms))


class Bridge(NamedTuple):
    """Words of a query that stand for topics: the report never uses one of them."""

    typed: tuple[str, ...]  # the words as typed
    topics: tuple[str, ...]  # topic ids, in corpus order


def bridges(
    says: Callable[[Sequence[str]], bool], typed: Sequence[str], terms: TopicTerms, is_name: Callable[[str], bool]
) -> list[str | Bridge]:
    """The query words ``typed``, with every run of them that is a topic's term (longest first)
    and that the report does not say (``says``, given the term's words as typed: whether the
    report uses each in a passage's text or a section's title, and has a passage they match
    together) made a ``Bridge``; a term whose words begin an entity's name (``is_name``, given
    the folded words) is left to the names."""
    folded = [words(word) for word in typed]
    stems = [tuple(stem(w) for w in group) for group in folded]
    out: list[str | Bridge] = []
    at = 0
    while at < len(typed):
        found = _term_at(stems, at, terms) if stems[at] else None
        if found is not None and is_name(" ".join(word for group in folded[at : found[0]] for word in group)):
            found = None
        if found is None:
            out.append(typed[at])
            at += 1
            continue
        end, topic_ids = found
        if says(typed[at:end]):
            out.extend(typed[at:end])  # the report says it: searched as itself
        else:
            order = {topic.id: i for i, topic in enumerate(terms.topics.values())}
            out.append(Bridge(tuple(typed[at:end]), tuple(sorted(topic_ids, key=order.__getitem__))))
        at = end
    return out


def _term_at(stems: list[tuple[str, ...]], at: int, terms: TopicTerms) -> tuple[int, set[str]] | None:
    """(end, topic ids) of the longest term starting at word ``at``; None when none does."""
    best: tuple[int, set[str]] | None = None
    for term, topic_id in terms.starting(stems[at][0]):
        held: list[str] = []
        end = at
        while len(held) < len(term) and end < len(stems):
            held += stems[end]
            end += 1
        if tuple(held) != term:
            continue
        if best is None or end > best[0]:
            best = (end, {topic_id})
        elif end == best[0]:
            best[1].add(topic_id)
    return best
