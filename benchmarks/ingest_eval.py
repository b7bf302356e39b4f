"""How well does `kz ingest` read chapters it was not built on? (a benchmark, not a test)

For every ``NAME.txt`` in DIR that has a gold file ``benchmarks/ingest_gold/NAME.json``
(made by hand: the chapter's dated events at their precision, its people,
organisations and places, its headings), runs kz's ingest on the text and
prints, per chapter and in total, recall and precision of dated events, people,
organisations and places, and whether the section headings are exactly the
chapter's own. Downloads nothing: the texts are HRW's and stay outside the
repository; the gold files hold only facts (dates, names, headings).

It also scores ``data/source.txt`` against the curated corpus ``data/report.json``
(``--no-source`` to skip), the chapter ingest was built on.

Matching: an event is found when an ingested event has the same date, end and
``ongoing`` (each gold event matches at most one ingested event). An entity is
found when an ingested entity of the same type shares a name or alias with it
(folded: case, accents, quotes); an ingested entity whose name is on the gold
file's ``ignore`` list (adjectives, book titles, words either reading would fit)
counts neither way. Headings: the chapter's headings, parents and subheadings,
in order; an untitled opening is not a heading.

Usage: python benchmarks/ingest_eval.py DIR [--gold benchmarks/ingest_gold] [--verbose] [--no-source]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kzcli.errors import KzError  # noqa: E402
from kzcli.text import fold  # noqa: E402

KINDS = ("events", "people", "organizations", "places")
ENTITY_TYPE = {"people": "person", "organizations": "organization", "places": "place"}


@dataclass
class Score:
    """Counts for one kind: gold items found, gold items, ingested items right, ingested items."""

    found: int = 0
    gold: int = 0
    right: int = 0
    ingested: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.found += other.found
        self.gold += other.gold
        self.right += other.right
        self.ingested += other.ingested

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.ingested if self.ingested else 1.0


def _draft(text: str, name: str, year: int | None) -> tuple[dict[str, Any], list[str]]:
    """The ingested document and the headings kz found (parents and subheadings, in order)."""
    from kzcli import ingest

    chapter = ingest.parse_chapter(text, year) if year is not None else ingest.parse_chapter(text)
    document = ingest.build_corpus(chapter, name)
    headings = getattr(chapter, "headings", None)
    if headings is None:  # kz before headings were kept: its section titles
        headings = [title for sid, title, _ in chapter.sections if sid not in ("overview", "photo")]
    else:
        headings = [title for title, _level in headings]
    return document, headings


def _event_score(gold: list[dict[str, Any]], events: list[dict[str, Any]]) -> Score:
    def key(event: dict[str, Any]) -> tuple[str, str | None, bool]:
        return (event["date"], event.get("end"), bool(event.get("ongoing")))

    wanted = Counter(key(e) for e in gold)
    got = Counter(key(e) for e in events)
    score = Score(gold=len(gold), ingested=len(events))
    score.found = score.right = sum((wanted & got).values())
    score.misses = [f"{e['date']}..{e.get('end') or ''} {e.get('text', '')!r}" for e in _unmatched(gold, got, key)]
    score.extras = [f"{e['date']}..{e['end'] or ''} {e['date_text']!r}" for e in _unmatched(events, wanted, key)]
    return score


def _unmatched(items: list[dict[str, Any]], other: Counter[Any], key: Any) -> list[dict[str, Any]]:
    left = Counter(other)
    out = []
    for item in items:
        if left[key(item)] > 0:
            left[key(item)] -= 1
        else:
            out.append(item)
    return out


def _names(item: dict[str, Any]) -> set[str]:
    return {fold(n) for n in (item["name"], *item.get("aliases", []))}


def _entity_score(gold: list[dict[str, Any]], entities: list[dict[str, Any]], kind: str, ignore: set[str]) -> Score:
    """Gold entities of one kind against ingested entities typed that kind."""
    typed = [e for e in entities if e["type"] == ENTITY_TYPE[kind] and fold(e["name"]) not in ignore]
    score = Score(gold=len(gold), ingested=len(typed))
    for item in gold:
        if any(_names(item) & _names(e) for e in typed):
            score.found += 1
        else:
            score.misses.append(item["name"])
    for entity in typed:
        if any(_names(item) & _names(entity) for item in gold):
            score.right += 1
        else:
            score.extras.append(entity["name"])
    return score


def score_chapter(text: str, gold: dict[str, Any], name: str) -> tuple[dict[str, Score], bool | None, str]:
    """Scores by kind, whether the headings are exact (None when ingest refused), and what went wrong."""
    try:
        document, headings = _draft(text, name, gold["year"] if gold.get("year_given") else None)
    except KzError as exc:
        scores = {kind: Score(gold=len(gold[kind])) for kind in KINDS}
        return scores, None, f"refused: {exc}"
    ignore = {fold(n) for n in gold.get("ignore", [])}
    scores = {"events": _event_score(gold["events"], document["events"])}
    for kind in KINDS[1:]:
        scores[kind] = _entity_score(gold[kind], document["entities"], kind, ignore)
    exact = headings == gold["headings"]
    return scores, exact, "" if exact else f"headings {headings!r}, gold {gold['headings']!r}"


def curated_gold(corpus_path: Path) -> dict[str, Any]:
    """The curated corpus as a gold file: its events, entities by type, its section titles."""
    corpus = json.loads(corpus_path.read_text(encoding="utf-8"))
    by_type: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS[1:]}
    for entity in corpus["entities"]:
        for kind, kind_type in ENTITY_TYPE.items():
            if entity["type"] == kind_type:
                by_type[kind].append({"name": entity["name"], "aliases": entity["aliases"]})
    ignore = [item["text"] for item in corpus.get("left_out", []) if item["kind"] == "name"]
    return {
        "year": int(corpus["report"]["period"]),
        "year_given": False,
        "headings": [s["title"] for s in corpus["sections"] if s["id"] not in ("overview", "photo")],
        "events": corpus["events"],
        "ignore": ignore,
        **by_type,
    }


def _line(label: str, scores: dict[str, Score], exact: bool | None) -> str:
    parts = [
        f"{kind} R {s.recall:.2f} P {s.precision:.2f} ({s.found}/{s.gold}, {s.right}/{s.ingested})"
        for kind, s in scores.items()
    ]
    heads = {True: "exact", False: "WRONG", None: "refused"}[exact]
    return f"{label:<28} " + "; ".join(parts) + f"; headings {heads}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", help="Folder of chapter texts (NAME.txt), each with a gold file NAME.json.")
    parser.add_argument("--gold", default=str(ROOT / "benchmarks" / "ingest_gold"))
    parser.add_argument("--verbose", "-v", action="store_true", help="Every miss and extra.")
    parser.add_argument("--no-source", action="store_true", help="Skip data/source.txt against data/report.json.")
    parser.add_argument(
        "--wrap", action="store_true", help="Score the texts hard-wrapped at 78 columns with CRLF line ends instead."
    )
    args = parser.parse_args(argv)
    total = {kind: Score() for kind in KINDS}
    chapters = exact_count = 0
    for gold_path in sorted(Path(args.gold).glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text_path = Path(args.dir) / gold["chapter"]
        if not text_path.exists():
            print(f"{gold_path.stem:<28} no text at {text_path}")
            continue
        text = text_path.read_bytes().decode("utf-8-sig")
        if args.wrap:
            text = hard_wrapped(text)
        scores, exact, problem = score_chapter(text, gold, text_path.name)
        chapters += 1
        exact_count += bool(exact)
        for kind in KINDS:
            total[kind].add(scores[kind])
        print(_line(gold_path.stem, scores, exact))
        if args.verbose:
            _details(scores, problem)
    print(_line(f"TOTAL ({chapters} chapters)", total, None if not chapters else exact_count == chapters))
    print(f"headings exact in {exact_count} of {chapters} chapters")
    if not args.no_source:
        gold = curated_gold(ROOT / "data" / "report.json")
        text = (ROOT / "data" / "source.txt").read_text(encoding="utf-8")
        scores, exact, problem = score_chapter(text, gold, "data/source.txt")
        print(_line("data/source.txt (curated)", scores, exact))
        if args.verbose:
            _details(scores, problem)
    return 0


def hard_wrapped(text: str) -> str:
    """The text as an 80-column terminal copy has it: every line wrapped at 78 columns, CRLF line ends."""
    import textwrap

    lines = [wrapped for line in text.splitlines() for wrapped in (textwrap.wrap(line, 78) or [""])]
    return "\r\n".join(lines) + "\r\n"


def _details(scores: dict[str, Score], problem: str) -> None:
    if problem:
        print(f"    {problem}")
    for kind, score in scores.items():
        for miss in score.misses:
            print(f"    {kind} missed: {miss}")
        for extra in score.extras:
            print(f"    {kind} extra:  {extra}")


if __name__ == "__main__":
    raise SystemExit(main())
