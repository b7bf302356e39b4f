"""Filters several commands share: --section, --topic, and options a filter takes once."""

from __future__ import annotations

from kzcli.corpus import Corpus, Topic
from kzcli.errors import UsageError


def once(values: list[str] | None, option: str) -> str | None:
    """The one value of an option a filter takes once; two would be ambiguous (exit 2), not "the last"."""
    if not values:
        return None
    if len(values) > 1:
        raise UsageError(f"{option} was given {len(values)} times; give it once")
    return values[0]


def section_id(corpus: Corpus, name: str | None) -> str | None:
    """The id of the section a single --section names (None: no filter).

    Words of a title, a beginning or a typo ("women", "tortre") are forgiven and
    said at once on stderr; the JSON query block holds the id it was read as.
    """
    if name is None:
        return None
    from kzcli.sections import find_section, read_as

    found = find_section(corpus, name)
    said = read_as(name, found)
    if said is not None:
        from kzcli.streams import say

        say(f"--section {said}")
    return found.section.id


def sections_filter(corpus: Corpus, names: list[str] | None) -> set[str] | None:
    """The ids of the sections a repeatable --section names (None: no filter)."""
    if not names:
        return None
    return {found for found in (section_id(corpus, name) for name in names) if found is not None}


def topic_filter(corpus: Corpus, name: str | None) -> Topic | None:
    """The topic a --topic names (None: no filter); loosely typed names are said, as --section's are."""
    if name is None:
        return None
    from kzcli.topics import find_topic, read_as

    found = find_topic(corpus, name)
    said = read_as(name, found)
    if said is not None:
        from kzcli.streams import say

        say(f"--topic {said}")
    return found.topic
