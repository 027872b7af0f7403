"""``python -m rhetoric`` runs the ``rhetoric`` command."""

from rhetoric.cli import main

raise SystemExit(main())
