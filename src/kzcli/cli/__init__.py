"""kz's Typer app: ``common`` makes it, the three modules after it declare its commands on it.

They are imported in the order ``kz --help`` lists the commands: queries first, ``help`` last.
"""

# isort: off
from kzcli.cli import queries, listings, files, meta

# isort: on
from kzcli.cli.common import SESSION, app

__all__ = ["SESSION", "app", "files", "listings", "meta", "queries"]
