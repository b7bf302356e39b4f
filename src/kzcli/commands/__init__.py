"""One module per command: its logic, its messages and its exit code, testable without Typer.

Each ``run`` takes the session (the corpus, loaded on first use) and the
command's arguments as plain values, and returns a ``formats.Result`` (or, for
the commands that write files, what they wrote). ``kzcli.cli`` only declares
the options and hands the result to ``kzcli.output``.
"""
