"""One place that decides whether two pieces of text are "the same word".

Folding: case, diacritics (Désir -> desir), curly vs straight quotes, no-break
and other spaces, the many Unicode hyphens. Folding works character by
character and keeps a map back to the original offsets, so matches found in
folded text highlight the exact characters of the report.

Stemming: the Snowball English stemmer (PyStemmer, compiled; ~1 ms to import).
Snowball keeps some derivational families apart (detention/detained), and
British and American spellings (labour/labor); the small ``RELATED_STEMS``
table joins the ones a reader of this report expects.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# The one character policy for everything kz prints: ``text.printable`` is ``kzcli.characters.printable``.
from kzcli.characters import printable as printable
from kzcli.named import NamedTuple

_QUOTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
}
_HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d\u00ad"

# A word: letters/digits joined by inner hyphens or apostrophes; or a number
# with thousands separators or a decimal point ("1,626", "4.5").
WORD_RE = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['-][^\W_]+)*")

# Derivational pairs Snowball stems apart, mapped to one stem so that a query
# for one form finds the other. Keys and values are Snowball stems.
RELATED_STEMS = {
    "detent": "detain",
    "imprison": "prison",
    "discriminatori": "discrimin",
    "extremist": "extrem",
    "prosecutor": "prosecut",
    "ratifi": "ratif",
    "protestor": "protest",
    "journal": "journalist",
    "defamatori": "defam",
    "registr": "regist",
    "organis": "organiz",
    # British and American spellings are the same word ("Labour" in the text, "labor" in the title).
    "labour": "labor",
    "favour": "favor",
    "behaviour": "behavior",
    "honour": "honor",
    "defenc": "defens",
    "criticis": "critic",
    "children": "child",
    "religi": "religion",
    "hatr": "hate",
    "terrorist": "terror",
}

# Typed words shorter than this are never taken for typos of another word (search's
# correction, name resolution): too many real words lie one edit apart.
TYPO_MIN_LENGTH = 5

# Words Snowball joins to a family a reader keeps apart: a defendant is not a
# (rights) defender, though all three stem to "defend".
# Likewise activism belongs with activists, not with "activities" and "active".
KEPT_APART = {"defendant": "defendant", "defendants": "defendant", "activism": "activist"}

# Longest run of compound parts indexed on its own ("covid-19" inside "Covid-19-related").
MAX_COMPOUND_RUN = 3
_PART_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")

# No cache inside the stemmer (maxCacheSize 0): _word_tokens caches whole words, and
# PyStemmer's own cache made each first stem ~3x slower (0.7 vs 0.25 ms for the report).
_stemmer = Stemmer.Stemmer("english", 0)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _QUOTES:
        return _QUOTES[char]
    if char in _HYPHENS:
        return "-" if char != "\u00ad" else ""
    if char.isspace():
        return " "
    if ord(char) < 128:
        return char.lower()
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.casefold()


# Every character met so far and its folded form, as a str.translate table: folding
# a text is then one C call, not a Python call per character (measured in
# docs/architecture.md: 0.7 ms per index build of the report over folding one
# character at a time, 1.35 ms over a plain NFKD fold, ~140 ms at 100x).
_FOLD_TABLE: dict[int, str] = {}
_KNOWN: set[str] = set()
# Characters whose folded form is not exactly one character (soft hyphen, ligatures).
_RESIZING: set[str] = set()


def _learn(text: str) -> bool:
    """Add ``text``'s characters to the fold table; True when each folds to one character."""
    distinct = set(text)
    for char in distinct - _KNOWN:
        folded = _fold_char(char)
        _FOLD_TABLE[ord(char)] = folded
        _KNOWN.add(char)
        if len(folded) != 1:
            _RESIZING.add(char)
    return _RESIZING.isdisjoint(distinct)


def fold(text: str) -> str:
    """Case-, accent-, quote-, space- and hyphen-insensitive form of ``text``."""
    _learn(text)
    return text.translate(_FOLD_TABLE)


_MARKS_TABLE: dict[int, str] = {}


def fold_marks(text: str) -> str:
    """``text`` with curly quotes made straight and Unicode hyphens and minus signs "-", case kept:
    what a search query's syntax (``"phrases"``, ``-word``, ``OR``) is read from."""
    if not _MARKS_TABLE:
        _MARKS_TABLE.update({ord(c): q for c, q in _QUOTES.items()})
        _MARKS_TABLE.update({ord(c): "-" if c != "\u00ad" else "" for c in _HYPHENS})
    return text.translate(_MARKS_TABLE)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, its index in ``text``."""
    if _learn(text):
        return text.translate(_FOLD_TABLE), list(range(len(text) + 1))
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        offsets.extend([index] * len(folded))
    offsets.append(len(text))
    return "".join(pieces), offsets


class Token(NamedTuple):
    """A word of a text: its searchable term and where it stands in the original."""

    term: str
    surface: str
    start: int
    end: int
    position: int
    part: bool = False


def normalise_word(word: str) -> str:
    """Folded word to its comparable surface: no possessive, no inner punctuation."""
    if word.endswith("'s"):
        word = word[:-2]
    if word[:1].isdigit():
        return word.replace(",", "")
    return word.replace("'", "").replace("-", "")


def stemmer_version() -> str:
    """The stemmer's version and kz's word tables: an index made with others may not match these stems."""
    import zlib

    tables = repr((sorted(RELATED_STEMS.items()), sorted(KEPT_APART.items())))
    return f"{Stemmer.version()}+{zlib.crc32(tables.encode()):08x}"


def stem(word: str) -> str:
    """Snowball stem of a normalised word, joined to its family by RELATED_STEMS."""
    if word[:1].isdigit():
        return word
    if word in KEPT_APART:
        return KEPT_APART[word]
    stemmed: str = _stemmer.stemWord(word)
    return RELATED_STEMS.get(stemmed, stemmed)


# Each folded word's tokens, worked out once: half the words of the report are
# repeats, and normalising, stemming and splitting compounds is the Python-heavy
# part of tokenising (build_index went from 4.9 to ~2 ms with terms() below).
WordTokens = tuple[tuple[str, str, int, int, bool], ...]  # (surface, term, start, end, part), offsets in the word
_STEMMED: dict[str, WordTokens] = {}
_UNSTEMMED: dict[str, WordTokens] = {}
_WORD_CACHE_SIZE = 100_000


def _word_tokens(word: str, stemmed: bool) -> WordTokens:
    known = _STEMMED if stemmed else _UNSTEMMED
    found = known.get(word)
    if found is None:
        if len(known) > _WORD_CACHE_SIZE:
            known.clear()
        found = known[word] = _analyse(word, stemmed)
    return found


def _analyse(word: str, stemmed: bool) -> WordTokens:
    """The tokens of one folded word: itself, and the runs of its parts if it is a compound."""
    surface = normalise_word(word)
    if not surface:
        return ()
    found = [(surface, stem(surface) if stemmed else surface, 0, len(word), False)]
    if "-" in word:
        # "anti-torture" is also "torture", and "Covid-19-related" is also
        # "Covid-19": every run of parts short of the whole compound is a
        # token too, sharing the compound's position.
        parts = list(_PART_RE.finditer(word))
        for i in range(len(parts)):
            for j in range(i, min(len(parts), i + MAX_COMPOUND_RUN)):
                if i == 0 and j == len(parts) - 1:
                    continue
                first, last = parts[i], parts[j]
                piece = normalise_word(word[first.start() : last.end()])
                if piece:
                    found.append((piece, stem(piece) if stemmed else piece, first.start(), last.end(), True))
    return tuple(found)


def tokens(text: str, stemmed: bool = True) -> list[Token]:
    """Words of ``text`` with offsets into the original string.

    ``co-operation`` and ``cooperation`` give the same term; so do
    ``Feminita’s`` and ``feminita's``.
    """
    folded, offsets = fold_with_offsets(text)
    found: list[Token] = []
    for position, match in enumerate(WORD_RE.finditer(folded)):
        base = match.start()
        for surface, term, start, end, part in _word_tokens(match.group(), stemmed):
            found.append(Token(term, surface, offsets[base + start], offsets[base + end - 1] + 1, position, part))
    return found


def terms(text: str, stemmed: bool = True) -> list[tuple[str, str, int]]:
    """(term, surface, position) of each of ``tokens(text)``, without offsets: what an index needs."""
    found: list[tuple[str, str, int]] = []
    for position, word in enumerate(WORD_RE.findall(fold(text))):
        for surface, term, _, _, _ in _word_tokens(word, stemmed):
            found.append((term, surface, position))
    return found


# Number words and their values: one table for the numbers a user types (kz figures),
# the numbers ingest reads in a chapter and the number words the coverage scan looks for.
UNIT_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# Scale words a number may end with ("4.5 million").
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
NUMBER_VALUES = {**{word: value for value, word in enumerate(UNIT_WORDS)}, **TENS, **SCALES, "dozen": 12}


# Words too common to select a passage on their own. A query made only of them
# still searches them ("the"); otherwise a passage must match something else.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "against",
        "all",
        "also",
        "among",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "during",
        "each",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "may",
        "me",
        "might",
        "more",
        "most",
        "must",
        "of",
        "on",
        "or",
        "other",
        "our",
        "out",
        "over",
        "she",
        "should",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "under",
        "until",
        "upon",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: ids and citation keys ("Labor Rights" -> "labor-rights")."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def holds_words(haystack: str, needle: str) -> bool:
    """True when every word of ``needle`` stands in ``haystack``, compared as search compares."""
    wanted = _needle_terms(needle)
    return bool(wanted) and wanted <= {t.term for t in tokens(haystack)}


@lru_cache(maxsize=32)
def _needle_terms(needle: str) -> frozenset[str]:
    # The same needle is held against every figure: tokenise it once (a 100 KB one took seconds).
    return frozenset(t.term for t in tokens(needle) if not t.part)


def starting_with(values: list[str], typed: str) -> list[str]:
    """The values that begin with what was typed, folded (case, accents, quotes), each once, in order."""
    start = fold(typed)
    return [value for value in dict.fromkeys(values) if fold(value).startswith(start)]


def words(text: str) -> list[str]:
    """Folded, normalised surface words of ``text`` (no stemming, no compound parts)."""
    return [t.surface for t in tokens(text, stemmed=False) if not t.part]


# A message longer than this (it echoes a 100,000-character query, say) keeps
# its start and its end, where the advice is, and drops the middle.
MESSAGE_LIMIT = 400


def message_line(message: str) -> str:
    """A message as kz prints it on stderr: one safe line of bounded length.

    Made safe first, then cut: an escape is longer than what it escapes (a typed
    ESC is shown as four characters), so cutting first let a line of control
    characters grow past the bound (``timeline --month`` echoing 100,000 of them).
    """
    message = printable(message)
    if len(message) > MESSAGE_LIMIT:
        message = f"{message[: MESSAGE_LIMIT // 2]} … {message[-MESSAGE_LIMIT // 3 :]}"
    return message


# Sentence ends: ., ! or ? (and closing quotes/brackets), space, then a capital, digit or opening quote.
# A pattern string, not compiled at import: re compiles and caches it on first use.
_SENTENCE_END = r"[.!?][\"\u201d\u2019)\]]*\s+(?=[\"\u201c\u2018(\[]?[A-Z0-9])"
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "nos",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "prof",
        "rev",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "u.s",
        "u.n",
        "u.k",
        "eu",
        "art",
        "para",
    ]
)


def _last_word(text: str, start: int, end: int) -> str:
    """The last whitespace-separated word of ``text[start:end]`` ("" if none), found from the end:
    the work is the word's length, not the text's (a paragraph of 8,000 "Mr. Abc" took 1.8 s)."""
    stop = end
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    begin = stop
    while begin > start and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:stop]


def sentences(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph, with surrounding space trimmed.

    One splitter for snippets, quotes and ingest: a sentence may end inside a
    closing quote (“extremist.” Dozens ...), and abbreviations do not end one.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(_SENTENCE_END, paragraph):
        initial = _last_word(paragraph, start, match.start())
        last = initial.lower().rstrip(".")
        if last in _ABBREVIATIONS or (len(initial) == 1 and "A" <= initial <= "Z"):
            continue
        end = match.end() - len(match.group()) + len(match.group().rstrip())
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(paragraph.rstrip())))
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if not paragraph[s:e].strip():
            continue
        if merged and not re.search(r"\b[a-z]", paragraph[s:e]):
            # "June 6, 2020." after a caption (no lower-case word) is no sentence: keep it with the one before.
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged
