"""The search query language: what a query asks for, worked out before any index is read.

The syntax is SQLite FTS5's, which people already know, with what search
engines taught them besides:

    torture prison            every word (an implicit AND); ranked
    "peaceful assemblies"     a phrase: these words, in this order, side by side
    torture OR prison         either
    torture AND prison        both (as words side by side)
    torture NOT prison        the first, without the second
    torture -prison           the same, search-engine style; also -"a phrase", -(a group)
    tort*                     any word beginning with "tort"; "peaceful assem"* ends a phrase so
    (torture OR prison) women a group

Operators are upper case, as in FTS5: lower-case "or", "and", "not" are words.
Precedence is FTS5's: words side by side bind first, then NOT, then AND, then
OR, all from the left, so ``a b NOT c d OR e`` is ``((a b) NOT (c d)) OR e``.
``-word`` excludes from the words beside it: ``a -b c`` is ``(a c) NOT b``.
Beyond FTS5 (3.40 refuses them), a group may stand beside words
(``(a OR b) c``) and ``"peaceful assem*"`` is read as ``"peaceful assem"*``.
What FTS5 would refuse as a syntax error (a dangling operator, an unclosed
parenthesis or quote, nothing but excluded words) kz refuses too, saying how to write it.

FTS5 syntax kz does not have is refused, never searched as words: ``NEAR(a b)``
(and FTS4's ``a NEAR/3 b``), a column filter ``col:word``, ``^word`` (a word
at the start) and ``+`` (FTS5 joins phrases with it, search engines mark a
needed word: kz would answer one of the two questions silently). A bare token
holding no word (``-`` or ``--`` apart from any word, ``&``) is left out, and
``parse`` lists it for the caller to say.

A query is a tree of plain tuples (building classes costs import time on every run):

    ("term", kind, text)    kind WORD, PHRASE, PREFIX or PHRASE_PREFIX; text folded
                            (a prefix without its "*"; a phrase's words as typed)
    ("minus", node)         excluded from the group it stands in
    ("all", (node, ...))    every node that is not a "minus", and none that is
    ("any", (node, ...))    at least one
    ("but", keep, drop)     ``keep NOT drop``

``kzcli.search`` puts ("part", index) leaves in place of the terms it resolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kzcli.errors import UsageError
from kzcli.text import WORD_RE, fold, fold_marks

Node = tuple[Any, ...]

WORD, PHRASE, PREFIX, PHRASE_PREFIX = "word", "phrase", "prefix", "phrase*"
OPERATORS = ("OR", "AND", "NOT")
# Groups within groups: more is no query a person writes, and would exhaust the recursion.
MAX_DEPTH = 50
_EXAMPLE = {"OR": "torture OR prison", "AND": "torture AND prison", "NOT": "torture NOT prison, or torture -prison"}

# Whitespace, parentheses, a "phrase" (closed or not, maybe starred), or a run of anything else.
_TOKEN_RE = re.compile(
    r'\s+|(?P<open>\()|(?P<close>\))|"(?P<phrase>[^"]*)(?P<closed>"?)(?P<star>\*?)|(?P<word>[^\s()"]+)'
)


def parse(query: str, left_out: list[str] | None = None) -> Node:
    """The tree of ``query``; UsageError if it asks for nothing or breaks the syntax.
    ``left_out`` gets each bare token that holds no word ("-", "&"), to be said."""
    tokens = _lex(query, [] if left_out is None else left_out)
    if not any(kind == "terms" and payload for kind, payload in tokens):
        operators = [payload for kind, payload in tokens if kind == "op"]
        if operators:
            raise UsageError(_operator_message(operators[0]))
        raise UsageError("the query has no words to search for; try e.g. `kz search torture`")
    return _Parser(tokens, query).parse()


def _operator_message(operator: str) -> str:
    return (
        f"{operator} needs words on both sides ({_EXAMPLE[operator]}); "
        f'to search for the word, write {operator.lower()!r} or "{operator}"'
    )


def _lex(query: str, left_out: list[str]) -> list[tuple[str, Any]]:
    """(kind, payload) tokens: "(", ")", ("op", name), ("minus", None) before a phrase or group,
    and ("terms", nodes) for each word run or phrase (no nodes when it holds no word)."""
    text = fold_marks(query)
    tokens: list[tuple[str, Any]] = []
    matches = list(_TOKEN_RE.finditer(text))
    for at, match in enumerate(matches):
        word = match.group("word")
        if match.group("open") is not None:
            tokens.append(("(", None))
        elif match.group("close") is not None:
            tokens.append((")", None))
        elif match.group("phrase") is not None:
            if not match.group("closed"):
                raise UsageError(f"a '\"' is never closed in {query!r}; close it, or leave it out")
            terms = _phrase(match.group("phrase"), bool(match.group("star")))
            if not terms:
                left_out.append(match.group(0))
            tokens.append(("terms", terms))
        elif word in OPERATORS:
            tokens.append(("op", word))
        elif word is not None:
            following = matches[at + 1].group(0) if at + 1 < len(matches) else ""
            attached = bool(following) and matches[at + 1].start() == match.end()
            _refuse_foreign_syntax(word, text[match.end() :].lstrip()[:1])
            if not word.strip("-") and attached and following[0] in '("':
                tokens.append(("minus", None))
            else:
                terms = _words(word)
                if not terms:
                    left_out.append(word)
                tokens.append(("terms", terms))
    return tokens


def _refuse_foreign_syntax(word: str, following: str) -> None:
    """UsageError for a bare word that is FTS5 syntax kz does not read (the module docstring):
    searched as words, it would answer another question without a word said."""
    # No regular expressions: compiling them costs import time on every run of kz.
    near = word.lstrip("-")  # "-NEAR(a b)" excludes no word "near": it is the same syntax
    if (near == "NEAR" and following == "(") or (near.startswith("NEAR/") and near[5:].isdigit()):
        raise UsageError(
            f"{word}{'(...)' if following == '(' else ''} is FTS5 syntax kz does not have: write the words side "
            'by side (torture prison: passages holding them closer rank higher), or quote a phrase ("torture prison")'
        )
    body = word.lstrip("-")
    column, colon, after = body.partition(":")
    if colon and column[:1].isalpha() and column.replace("_", "").isalnum():  # "text:torture", not "10:30"
        if after.isdigit():
            raise UsageError(f"{word!r} is a passage's id, not words: read it with `kz read {body}`")
        raise UsageError(
            f"{word!r} is an FTS5 column filter, which kz does not have: use --section to keep to a section, "
            "or quote the words to search them as written"
        )
    if body.startswith("^"):
        raise UsageError(f"{word!r} is FTS5's word at the start of a passage, which kz does not have: leave out '^'")
    if body.startswith("+"):
        raise UsageError(
            f"{word!r}: kz has no '+' (FTS5 joins phrases with it, search engines mark a needed word): "
            'every word is needed already (torture prison); quote words to keep them side by side ("torture prison")'
        )


def _phrase(text: str, starred: bool) -> tuple[Node, ...]:
    """A quoted phrase as one term (none if it holds no word); a "*" after it or at its end makes
    its last word a prefix."""
    folded = fold(text).strip()
    if folded.endswith("*"):
        folded, starred = folded.rstrip("*").rstrip(), True
    if not WORD_RE.search(folded):
        return ()
    return (("term", PHRASE_PREFIX if starred else PHRASE, folded),)


def _words(token: str) -> tuple[Node, ...]:
    """The terms of a run of characters without space: words joined by marks other than inner
    hyphens and apostrophes are separate words ("torture/prison"), each as typed ("co-operation",
    "1,626" are one); a leading "-" excludes them, a trailing "*" makes the last a prefix."""
    excluded = token.startswith("-")
    body = token.lstrip("-")
    starred = body.endswith("*")
    folded = fold(body.rstrip("*"))
    pieces = WORD_RE.findall(folded)
    if not pieces:
        return ()
    # One word keeps its marks as typed ("[red]"), for what is echoed back; its words are the same.
    terms: list[Node] = [("term", WORD, folded if len(pieces) == 1 else piece) for piece in pieces]
    if starred:
        terms[-1] = ("term", PREFIX, pieces[-1])
    if not excluded:
        return tuple(terms)
    return (("minus", terms[0] if len(terms) == 1 else ("all", tuple(terms))),)


class _Parser:
    """Recursive descent over the tokens, one method per level of precedence."""

    def __init__(self, tokens: list[tuple[str, Any]], query: str) -> None:
        self.tokens = tokens
        self.query = query
        self.at = 0
        self.depth = 0  # groups open

    def _peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _next_is_op(self, operator: str) -> bool:
        return self._peek() == ("op", operator)

    def parse(self) -> Node:
        node = self.either()
        if self._peek() is not None:  # only a ")" stops a group early
            raise UsageError(f"a ')' closes no '(' in {self.query!r}; quote the words if they are text")
        return node

    def either(self) -> Node:
        items = [self.both(None)]
        while self._next_is_op("OR"):
            self.at += 1
            items.append(self.both("OR"))
        return items[0] if len(items) == 1 else ("any", tuple(items))

    def both(self, after: str | None) -> Node:
        items = [self.but(after)]
        while self._next_is_op("AND"):
            self.at += 1
            items.append(self.but("AND"))
        if len(items) == 1:
            return items[0]
        # Each side of an AND on its own: "adil AND soz" are not two words side by side.
        return ("all", tuple(("all", (item,)) if item[0] == "term" else item for item in items))

    def but(self, after: str | None) -> Node:
        """``after``: the operator before these words, if any (to say what it lacks)."""
        node = self.side_by_side(after)
        dropped: list[Node] = []
        while self._next_is_op("NOT"):
            self.at += 1
            dropped.append(self.side_by_side("NOT"))
        # "a NOT b NOT c" is "(a NOT b) NOT c", which is "a NOT (b OR c)": one level, however long.
        if not dropped:
            return node
        return ("but", node, dropped[0] if len(dropped) == 1 else ("any", tuple(dropped)))

    def side_by_side(self, after: str | None) -> Node:
        """Terms, groups and excluded ones standing side by side: every one of them."""
        items: list[Node] = []
        while (token := self._peek()) is not None and token[0] in ("terms", "minus", "("):
            self.at += 1
            if token[0] == "terms":
                items.extend(token[1])
            elif token[0] == "(":
                items.append(self.group())
            else:
                excluded = self._excluded()
                if excluded is not None:
                    items.append(("minus", excluded))
        if not items:
            self._nothing_here(after)
        if all(item[0] == "minus" for item in items):
            raise UsageError(f"{self.query!r} only excludes words; give words to search for too (e.g. torture -prison)")
        return items[0] if len(items) == 1 else ("all", tuple(items))

    def group(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise UsageError(f"parentheses nested more than {MAX_DEPTH} deep in {self.query!r}")
        node = self.either()
        if self._peek() != (")", None):
            raise UsageError(f"a '(' is never closed in {self.query!r}; close it, or quote the words if they are text")
        self.at += 1
        self.depth -= 1
        return node

    def _excluded(self) -> Node | None:
        """What a bare "-" attached to a phrase or group excludes (None for a phrase of no words)."""
        token = self._peek()
        self.at += 1
        if token is not None and token[0] == "(":
            return self.group()
        terms = token[1] if token is not None else ()
        return terms[0] if terms else None

    def _nothing_here(self, after: str | None) -> None:
        token = self._peek()
        if token is not None and token[0] == "op":
            raise UsageError(_operator_message(token[1]))
        if after is not None:
            raise UsageError(_operator_message(after))
        if self.depth:
            raise UsageError(f"empty parentheses in {self.query!r}")
        raise UsageError(f"a ')' closes no '(' in {self.query!r}; quote the words if they are text")


def render(node: Node, leaf: Callable[[Node], str]) -> str:
    """The tree written back in the query language, ``leaf`` writing each term or part:
    what a query was understood as, and a query that means the same."""
    kind = node[0]
    if kind in ("term", "part"):
        return leaf(node)
    if kind == "minus":
        return "-" + _grouped(node[1], leaf, ("any", "but", "all"))
    if kind == "but":
        return f"{_grouped(node[1], leaf, ('any',))} NOT {_grouped(node[2], leaf, ('any', 'but'))}"
    if kind == "any":
        return " OR ".join(_grouped(item, leaf, ()) for item in node[1])
    return " ".join(_grouped(item, leaf, ("any", "but")) for item in node[1])


def _grouped(node: Node, leaf: Callable[[Node], str], bracketed: tuple[str, ...]) -> str:
    text = render(node, leaf)
    return f"({text})" if node[0] in bracketed else text


def term_text(term: Node) -> str:
    """A term as the query language writes it: word, "phrase", prefix*, "phrase prefix"*."""
    _, kind, text = term
    if kind == WORD:
        return str(text)
    if kind == PREFIX:
        return f"{text}*"
    return f'"{text}"' + ("*" if kind == PHRASE_PREFIX else "")
