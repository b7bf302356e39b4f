"""Allow ``python -m kzcli``: the same first steps as the ``kz`` script (``kzcli.start``)."""

from kzcli.start import main

raise SystemExit(main())
