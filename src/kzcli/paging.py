"""The pager, as git runs one: output taller than the terminal goes through ``KZ_PAGER``, then ``PAGER``,
then ``less``.

Only ``kzcli.render`` calls ``page``, and only for a terminal: output in a pipe
is never paged. ``LESS=FRX`` is set when ``LESS`` is unset, as git does: quit
when the text fits one screen (F), let colours through (R), leave the text on
the screen when less ends (X). An empty pager or ``cat`` means no pager
(``--no-pager`` does the same). A pager that cannot be started, or that fails
(exits non-zero), does not lose the text: the caller prints it.
"""

from __future__ import annotations

import os
import shlex
import subprocess

DEFAULT_PAGER = "less"


def pager_command() -> list[str] | None:
    """The pager to run, split as a shell would, or None for none."""
    for variable in ("KZ_PAGER", "PAGER"):
        if variable in os.environ:
            chosen = os.environ[variable].strip()
            break
    else:
        chosen = DEFAULT_PAGER
    try:
        words = shlex.split(chosen)
    except ValueError:
        return None  # unbalanced quotes: print rather than guess
    return words if words and words != ["cat"] else None


def page(text: str) -> bool:
    """Show ``text`` through the pager and return True; False when it could not start or failed
    (a non-zero exit: ``less`` quit with q exits 0), so the caller prints it."""
    command = pager_command()
    if command is None:
        return False
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    import signal

    # Ctrl-C belongs to the pager while it runs (less scrolls back on it), as in git.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        try:
            pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env, text=True, encoding="utf-8")
        except OSError:
            return False
        try:
            assert pager.stdin is not None
            pager.stdin.write(text)
            pager.stdin.close()
        except OSError:
            pass  # the reader quit early (q in less: exit 0), or failed (its exit code says)
        code = pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return code == 0
