"""Keep the README's example output real: rerun every ```console block's `$ kz ...`.

    python scripts/readme_samples.py           # report blocks whose output changed (exit 1 if any)
    python scripts/readme_samples.py --write   # rewrite them with the current output

Each block starts with one `$ kz ARGS` line; the rest is what `kz ARGS` prints
to stdout in a pipe (plain text). tests/test_docs.py runs the check.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK_RE = re.compile(r"```console\n\$ kz (?P<args>[^\n]*)\n(?P<output>.*?)```", re.S)


def run_kz(args: str) -> str:
    """What `kz ARGS` prints into a pipe."""
    done = subprocess.run(
        [sys.executable, "-m", "kzcli", *shlex.split(args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    return done.stdout


def stale_blocks(text: str) -> list[tuple[str, str, str]]:
    """(args, documented output, actual output) for every block that differs."""
    stale = []
    for match in BLOCK_RE.finditer(text):
        actual = run_kz(match.group("args"))
        if actual != match.group("output"):
            stale.append((match.group("args"), match.group("output"), actual))
    return stale


def rewrite(text: str) -> str:
    def fresh(match: re.Match[str]) -> str:
        return f"```console\n$ kz {match.group('args')}\n{run_kz(match.group('args'))}```"

    return BLOCK_RE.sub(fresh, text)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    if "--write" in sys.argv[1:]:
        README.write_text(rewrite(text), encoding="utf-8")
        return 0
    stale = stale_blocks(text)
    for args, _, _ in stale:
        print(f"README example out of date: kz {args}")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
