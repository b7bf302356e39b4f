"""Allow ``python -m kzcli``: the same first steps as the ``kz`` script (``kzcli.start``)."""

from kzcli.start import leave, main

raise SystemExit(leave(main()))
