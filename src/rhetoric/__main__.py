"""``python -m rhetoric`` runs the ``rhetoric`` command."""

from rhetoric.cli.main import main

raise SystemExit(main())
