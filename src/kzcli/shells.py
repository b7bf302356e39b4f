"""Completion candidates quoted by kz itself for each shell: a name from a corpus stays a name.

A corpus file is data somebody else may have written, and its names reach the
shell through completion. Typer 0.28 formats candidates for zsh by escaping
``"``, ``'``, ``$``, backtick and ``:`` but not the backslash, and zsh's
completion evaluates them: the alias ``Tulesova\\$(id>/tmp/x)`` ran ``id`` on
``kz --data evil.json entity Tul<TAB>``. Bash inserts what it is given as
typed text, so an unquoted ``$(...)`` would run when the line is run. So kz
writes each shell's reply itself, here, whatever typer does:

- zsh (``eval $(...)`` in the function typer's script defines): one
  ``compadd -U`` command whose every word is ``$'...'`` with each byte that is
  not an ASCII letter or digit written ``\\xHH``. The reply has no whitespace
  inside a word, no quote zsh could pair, no glob character and nothing to
  expand; zsh quotes each candidate itself when it inserts it. ``-U``: kz has
  already chosen what fits what was typed (``des`` -> ``Désir``, as in bash).
- bash (``COMPREPLY=( $(...) )``, one candidate a line, inserted as it is):
  each candidate written as the command line must hold it: ``\\`` before
  shell punctuation, ``$'\\xHH'`` for glob characters, controls and
  invisible characters (nothing the array assignment could glob, no newline);
  after an opening quote (``kz timeline --person "Asya T``), as that quote
  holds it, and left out where it cannot (a ``'`` inside ``'...'``, a ``!``,
  a glob character or an invisible character inside either).
- fish (one candidate a line, a tab before its description): fish quotes a
  candidate when it inserts it, but a line cannot hold a newline or a tab,
  so a candidate with a control character (or a bidi or zero-width one,
  which fish would show raw) is left out rather than offered as something
  else.
- PowerShell: not supported; kz offers it no candidates rather than text it
  has not been tested to quote.

A candidate that cannot be written exactly (a NUL, which no argument can
hold, or a lone surrogate) is left out in every shell.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import typer
from typer._click.core import Command, Context, Parameter
from typer._click.shell_completion import CompletionItem, add_completion_class
from typer._completion_classes import BashComplete, FishComplete, PowerShellComplete, ZshComplete

from kzcli.errors import UsageError

Candidate = tuple[str, "str | None"]  # value, description

_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
# Kept as they are in bash: they mean nothing to it inside a word.
_BASH_PLAIN = frozenset("-_./,:@%+=")
# Pathname expansion runs over `COMPREPLY=( $(...) )`: these never appear raw in a reply line.
_GLOB = frozenset("*?[")


def writable(value: str) -> bool:
    """Whether any shell can be handed ``value`` exactly: no NUL, valid UTF-8."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _hex_bytes(text: str) -> str:
    return "".join(f"\\x{byte:02x}" for byte in text.encode("utf-8"))


def zsh_word(value: str) -> str:
    """``value`` as one zsh word made of ASCII letters, digits and ``$'\\xHH'`` escapes only."""
    return "$'" + "".join(c if _ASCII_WORD.fullmatch(c) else _hex_bytes(c) for c in value) + "'"


def _visible(char: str) -> bool:
    """Printable, and not a character that hides or moves text (bidi, zero-width, separators)."""
    return char.isprintable() and unicodedata.category(char) not in ("Cf", "Zl", "Zp")


def bash_word(value: str) -> str:
    """``value`` written the way a bash command line holds it as one literal word."""
    parts: list[str] = []
    ansi_c: list[str] = []  # characters waiting to be written inside one $'...'
    for char in value:
        if char in _GLOB or not _visible(char):
            ansi_c.append(char)
            continue
        if ansi_c:
            parts.append("$'" + _hex_bytes("".join(ansi_c)) + "'")
            ansi_c = []
        if char.isascii() and not char.isalnum() and char not in _BASH_PLAIN:
            parts.append("\\" + char)
        else:
            parts.append(char)
    if ansi_c:
        parts.append("$'" + _hex_bytes("".join(ansi_c)) + "'")
    return "".join(parts)


def _has_control(text: str) -> bool:
    """Controls, and characters that hide or move text: what a line of fish's reply cannot show as it is."""
    return any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text)


def zsh_reply(candidates: Sequence[Candidate]) -> str:
    """The zsh command the completion function evaluates: ``compadd`` with every candidate."""
    kept = [(value, help) for value, help in candidates if writable(value)]
    if not kept:
        return "_files"  # as typer does: nothing of kz's to offer, so the shell's file names
    words = " ".join(zsh_word(value) for value, _ in kept)
    if not any(help for _, help in kept):
        return f"compadd -U -- {words}"
    width = max(len(value) for value, _ in kept)
    shown = " ".join(zsh_word(f"{value:<{width}}  -- {_one_line(help)}" if help else value) for value, help in kept)
    return f"local -a kz_shown; set -A kz_shown {shown}; compadd -U -l -d kz_shown -- {words}"


def bash_reply(candidates: Sequence[Candidate], quote: str = "") -> str:
    """One candidate a line, each quoted for the command line bash inserts it into: as a word of
    its own, or after the opening ``quote`` (``'`` or ``"``) the word being completed began with."""
    words = (bash_quoted(value, quote) if quote else bash_word(value) for value, _ in candidates if writable(value))
    return "\n".join(word for word in words if word is not None)


def bash_quoted(value: str, quote: str) -> str | None:
    """``value`` as the rest of a word bash holds inside ``quote``; None when it cannot be written there.

    Inside ``'...'`` nothing expands and a ``'`` cannot be written; inside ``"..."`` a backslash
    keeps ``$``, backtick, ``"`` and ``\\`` literal, and nothing keeps ``!`` (history) literal.
    A character that is not visible, or one the reply's array assignment would read as a glob
    (``*``, ``?``, ``[``, extglob's ``+(`` and ``@(``), is written nowhere inside quotes.
    """
    if not all(_visible(char) for char in value) or _GLOB & set(value) or "+(" in value or "@(" in value:
        return None  # the array assignment would glob it, and no escape inside quotes stops it
    if quote == "'":
        return None if "'" in value else value
    if "!" in value:
        return None
    return "".join("\\" + char if char in '\\$`"' else char for char in value)


def fish_reply(candidates: Sequence[Candidate]) -> str:
    """One candidate a line (a tab, then its description); candidates a line cannot hold are left out."""
    lines = []
    for value, help in candidates:
        if not writable(value) or _has_control(value):
            continue
        lines.append(f"{value}\t{_one_line(help)}" if help else value)
    return "\n".join(lines)


def _one_line(text: str | None) -> str:
    return re.sub(r"\s+", " ", "".join(" " if _has_control(c) else c for c in text or "")).strip()


# kz's own completion scripts (`kz --show-completion SHELL`, `_KZ_COMPLETE=source_SHELL kz`).
#
# bash: the line up to the cursor goes to kz whole (COMP_WORDS splits `torture:1` at the colon),
# with the word bash will replace and its word breaks, so that kz hands back only what replaces it.
BASH_SCRIPT = """\
# kz's completion for bash: eval "$(kz --show-completion bash)" (in ~/.bashrc)
_kz_completion() {
    local IFS=$'\\n'
    COMPREPLY=( $(env _KZ_COMPLETE=complete_bash _KZ_COMPLETE_LINE="${COMP_LINE:0:COMP_POINT}" \\
        _KZ_COMPLETE_WORD="${COMP_WORDS[COMP_CWORD]}" _KZ_WORDBREAKS="$COMP_WORDBREAKS" \\
        COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD="$COMP_CWORD" kz) )
    return 0
}
complete -o default -F _kz_completion kz
"""
# zsh: one file that is both the function compinit autoloads from $fpath (its first run is a
# TAB, which it completes at once) and a script to eval, which registers the function.
ZSH_SCRIPT = """\
#compdef kz
# kz's completion for zsh: this file as _kz in a folder of $fpath, or
# eval "$(kz --show-completion zsh)" after compinit (in ~/.zshrc).
_kz() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _KZ_COMPLETE=complete_zsh kz)
}
if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
  _kz "$@"
else
  compdef _kz kz
fi
"""
# fish: kz's candidates where it has some, else file names (`kz validate <TAB>`); kz runs once a TAB.
FISH_SCRIPT = """\
# kz's completion for fish: kz --show-completion fish > ~/.config/fish/completions/kz.fish
function __kz_complete
    set -l found (env _KZ_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args \\
        _TYPER_COMPLETE_ARGS=(commandline -cp) kz)
    if string length -q -- $found
        printf '%s\\n' $found
    else
        __fish_complete_path (commandline -ct)
    end
end
complete --command kz --no-files --arguments '(__kz_complete)'
"""
SCRIPTS = {"bash": BASH_SCRIPT, "zsh": ZSH_SCRIPT, "fish": FISH_SCRIPT}
NOT_SUPPORTED = "kz completes in bash, zsh and fish; PowerShell is not supported"


def script(shell: str) -> str:
    """kz's completion script for ``shell``; UsageError for a shell kz does not complete in."""
    from kzcli.characters import printable

    found = SCRIPTS.get(shell.strip().casefold())
    if found is None:
        raise UsageError(
            NOT_SUPPORTED
            if shell.casefold() in ("powershell", "pwsh")
            else f"no completion for {printable(repr(shell))}: {NOT_SUPPORTED}"
        )
    return found


# Where each shell finds kz's script (under $HOME), and the one line its start-up file needs for
# that (None: fish reads its completions folder itself). zsh's line puts ~/.zfunc on $fpath before
# compinit runs; nothing else (no zstyle: how the user's completion menu looks is theirs to set).
INSTALLED = {
    "bash": (".bash_completions/kz.sh", ".bashrc"),
    "zsh": (".zfunc/_kz", ".zshrc"),
    "fish": (".config/fish/completions/kz.fish", None),
}
ZSH_LINE = "fpath+=~/.zfunc; autoload -Uz compinit; compinit"


def start_up_line(shell: str, script_path: str) -> str:
    """The line ``shell``'s start-up file needs to load kz's script."""
    import shlex

    return ZSH_LINE if shell == "zsh" else f"source {shlex.quote(script_path)}"


def install(shell: str) -> str:
    """Write kz's script where ``shell`` finds it and, where the shell needs it, one line in its
    start-up file (once: a line already there is not added again); the sentence saying exactly that.

    Written as every kz file is (``kzcli.files``): a start-up file that is a link, a folder or a
    FIFO is never replaced; kz says which line to add instead.
    """
    from pathlib import Path

    chosen = shell.strip().casefold()
    text = script(chosen)  # a shell kz does not complete in is refused before anything is written
    home = Path.home()
    script_name, rc_name = INSTALLED[chosen]
    script_path = home / script_name
    script_path.parent.mkdir(parents=True, exist_ok=True)
    _write(str(script_path), text.encode("utf-8"))
    said = f"{chosen} completion: wrote {script_path}"
    if rc_name is not None:
        said += ", " + _add_line(str(home / rc_name), start_up_line(chosen, str(script_path)), said)
    return f"{said}; it works in a new shell"


def _add_line(path: str, line: str, done: str) -> str:
    """Add ``line`` to the start-up file at ``path`` unless it holds it already; what was done."""
    from kzcli.errors import UsageError
    from kzcli.files import check_target
    from kzcli.paths import read_bounded

    try:
        target = check_target(path, force=True)
        held = read_bounded(path, 16 * 1024 * 1024) if target.found is not None else b""
    except (UsageError, ValueError) as exc:
        why = exc.message if isinstance(exc, UsageError) else f"{path} {exc}"
        raise UsageError(f"{done}, but {why}; add this line to it yourself: `{line}`") from None
    if line.encode("utf-8") in held.splitlines():
        return f"and {path} already has the line `{line}`"
    ending = b"" if not held or held.endswith(b"\n") else b"\n"
    _write(path, held + ending + line.encode("utf-8") + b"\n", target)
    return f"and added one line to {path}: `{line}`"


def _write(path: str, content: bytes, target: Any = None) -> None:
    """``content`` in place of whatever regular file is at ``path`` (kz's safe write)."""
    from kzcli.files import check_target, staged_file

    with staged_file(target or check_target(path, force=True), encoding=None) as handle:
        handle.write(content)


def _split_line(line: str) -> tuple[list[str], str]:
    """The words before the one being completed, and that one, from the line up to the cursor."""
    from typer._click.shell_completion import split_arg_string

    words = split_arg_string(line)[1:]
    if words and not line.endswith(" "):
        return words[:-1], words[-1]
    return words, ""


def bash_replaced(incomplete: str, word: str, breaks: str) -> str:
    """What of ``incomplete`` bash keeps before the word it replaces: ``torture:`` of ``torture:1``.

    Bash breaks words at the characters of COMP_WORDBREAKS (a colon among them) and replaces
    only the part after the last one, unless the word is quoted.
    """
    if ":" not in breaks or ":" not in incomplete or word[:1] in ("'", '"'):
        return ""
    return incomplete[: incomplete.rindex(":") + 1]


class _Zsh(ZshComplete):
    def source(self) -> str:
        return ZSH_SCRIPT

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        return zsh_reply([(item.value, item.help) for item in self.get_completions(args, incomplete)])


class _Bash(BashComplete):
    def source(self) -> str:
        return BASH_SCRIPT

    def get_completion_args(self) -> tuple[list[str], str]:
        line = os.environ.get("_KZ_COMPLETE_LINE")
        return super().get_completion_args() if line is None else _split_line(line)

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        word = os.environ.get("_KZ_COMPLETE_WORD", "")
        kept = bash_replaced(incomplete, word, os.environ.get("_KZ_WORDBREAKS", ""))
        found = [(item.value, item.help) for item in self.get_completions(args, incomplete)]
        quote = word[:1] if word[:1] in ("'", '"') else ""
        return bash_reply([(value[len(kept) :], help) for value, help in found if value.startswith(kept)], quote)


class _Fish(FishComplete):
    def source(self) -> str:
        return FISH_SCRIPT

    def complete(self) -> str:
        # typer's own flow (get-args prints, is-args answers by exit code), with kz's lines.
        args, incomplete = self.get_completion_args()
        found = [(item.value, item.help) for item in self.get_completions(args, incomplete)]
        reply = fish_reply(found)
        action = os.environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            sys.exit(0 if reply else 1)
        return reply if action == "get-args" else ""


class _PowerShell(PowerShellComplete):
    def source(self) -> str:
        raise UsageError(NOT_SUPPORTED)

    def complete(self) -> str:
        return ""


def completing_command(app: typer.Typer) -> Command:
    """The click command for ``app`` with kz's completion classes in place of typer's.

    Typer registers its own classes each time it builds the command, so kz's go
    in after it has built it, and the command is run as it is.
    """
    command = typer.main.get_command(app)
    _call_completers_directly(app, command)
    for cls, names in ((_Zsh, ("zsh",)), (_Bash, ("bash",)), (_Fish, ("fish",)), (_PowerShell, ("powershell", "pwsh"))):
        for name in names:
            add_completion_class(cls, name)
    return command


def _call_completers_directly(app: typer.Typer, command: Command) -> None:
    """Hand each parameter's candidates to the shell as kz's completer chose them.

    Typer keeps only the candidates that begin with what was typed, exactly
    (case and accents as typed, the last word alone), so ``tul`` would lose
    Tulesova and ``Asya T`` the rest of her name. kz's completers already fold
    as the commands do (``kzcli.completion``), so they are called directly.
    """
    from typer.main import get_command_name
    from typer.utils import get_params_from_function

    commands: dict[str, Command] = getattr(command, "commands", {})
    for info in app.registered_commands:
        if info.callback is None:
            continue
        declared = get_params_from_function(info.callback)
        found = commands.get(info.name or get_command_name(info.callback.__name__))
        for param in found.params if found is not None else []:
            meta = declared.get(param.name or "")
            complete = getattr(meta.default, "autocompletion", None) if meta is not None else None
            if complete is not None:
                param._custom_shell_complete = _items_of(complete)


def _items_of(complete: Callable[..., list[str]]) -> Callable[[Context, Parameter, str], list[CompletionItem]]:
    """A completer (``incomplete``, and ``ctx`` when it names one) as click's completion callback."""
    import inspect

    takes_ctx = "ctx" in inspect.signature(complete).parameters

    def items(ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
        found = complete(ctx=ctx, incomplete=incomplete) if takes_ctx else complete(incomplete=incomplete)
        return [CompletionItem(value) for value in found]

    return items
