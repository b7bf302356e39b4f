"""How many of the curated events does `kz ingest` find on its own? (a benchmark, not a test)

Runs kzcli.ingest over data/source.txt and compares its dated-event candidates
with the curated events of data/report.json. An event counts as found when an
ingested event has the same date, end, section and paragraph. Prints recall
(curated events found), precision (ingested events that match a curated one)
and every miss and extra, so a change to the scanner or the date rules shows
its effect at once.

Usage: python scripts/ingest_recall.py [--source data/source.txt] [--corpus data/report.json] [--quiet]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kzcli.corpus import Corpus  # noqa: E402
from kzcli.ingest import ingest, read_chapter  # noqa: E402
from kzcli.loading import load  # noqa: E402
from kzcli.text import fold  # noqa: E402

Key = tuple[str, "str | None", str, int]


def compare(source: str, curated_path: str) -> dict[str, object]:
    document = ingest(read_chapter(source), source)
    curated = load(curated_path)
    ingested: dict[Key, str] = {}
    for event in document["events"]:
        ingested.setdefault((event["date"], event["end"], event["section"], event["paragraph"]), event["date_text"])
    curated_keys = {(e.date, e.end, e.section, e.paragraph) for e in curated.events}
    found = [e for e in curated.events if (e.date, e.end, e.section, e.paragraph) in ingested]
    missed = [e for e in curated.events if (e.date, e.end, e.section, e.paragraph) not in ingested]
    matching = [e for e in document["events"] if (e["date"], e["end"], e["section"], e["paragraph"]) in curated_keys]
    extra = [e for e in document["events"] if (e["date"], e["end"], e["section"], e["paragraph"]) not in curated_keys]
    return {
        "curated": len(curated.events),
        "ingested": len(document["events"]),
        "found": len(found),
        "recall": len(found) / len(curated.events) if curated.events else 1.0,
        "precision": len(matching) / len(document["events"]) if document["events"] else 1.0,
        "missed": [f"{e.date}..{e.end or ''} {e.section} ¶{e.paragraph} {e.date_text!r}" for e in missed],
        "extra": [f"{e['date']}..{e['end'] or ''} {e['section']} ¶{e['paragraph']} {e['date_text']!r}" for e in extra],
        "entities": len(document["entities"]),
        "entity_recall": _entity_recall(document, curated),
        "figures": len(document["figures"]),
    }


def _entity_recall(document: dict[str, Any], curated: Corpus) -> float:
    names = {fold(n) for e in document["entities"] for n in (e["name"], *e["aliases"])}
    found = [e for e in curated.entities if any(fold(n) in names for n in (e.name, *e.aliases))]
    return len(found) / len(curated.entities) if curated.entities else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(ROOT / "data" / "source.txt"))
    parser.add_argument("--corpus", default=str(ROOT / "data" / "report.json"))
    parser.add_argument("--quiet", action="store_true", help="Only the recall and precision line.")
    args = parser.parse_args(argv)
    result = compare(args.source, args.corpus)
    print(
        f"recall {result['recall']:.3f} ({result['found']}/{result['curated']} curated events found); "
        f"precision {result['precision']:.3f} ({result['ingested']} ingested events)"
    )
    if not args.quiet:
        for line in result["missed"]:  # type: ignore[union-attr]
            print(f"  missed: {line}")
        for line in result["extra"]:  # type: ignore[union-attr]
            print(f"  extra:  {line}")
        print(
            f"  also: {result['entities']} entity candidates (name recall {result['entity_recall']:.3f}: curated "
            f"entities whose name or an alias is an ingested name or alias), {result['figures']} figure candidates"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
