"""Allow ``python -m kzcli``."""

from kzcli.entry import main

raise SystemExit(main())
