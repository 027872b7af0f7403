"""``rhetoric serve``: the local web app (needs ``pip install "rhetoric-lens[web]"``)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["add_commands"]


def add_commands(sub: Any) -> None:
    sv = sub.add_parser("serve", help="a local web page to paste or drop an article and read its report",
                        description="Serve the web app on http://127.0.0.1:PORT (this computer only). "
                                    "Needs: pip install \"rhetoric-lens[web]\".")
    sv.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    sv.add_argument("--model", metavar="PATH", default="default",
                    help="model file; 'default' for the shipped model, 'none' for lexicon-only scoring")
    sv.add_argument("--lexicons", metavar="DIR", help="lexicon directory (default: the shipped lexicons)")
    sv.add_argument("--max-mb", type=float, default=5.0, help="largest request accepted, in MB (default: 5)")
    sv.set_defaults(func=_cmd_serve)


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        import multipart  # noqa: F401  (python-multipart: the form parser Starlette needs)
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        sys.stderr.write(f"rhetoric: serve needs the web extra ({exc.name} is missing): "
                         "pip install \"rhetoric-lens[web]\"\n")
        return 1
    if not 0 < args.port < 65536 or args.max_mb <= 0:
        sys.stderr.write("rhetoric: --port must be 1-65535 and --max-mb positive\n")
        return 2
    from rhetoric.lexicon.lexicons import LexiconError
    from rhetoric.pipeline import Scorer
    from rhetoric.web import serve
    try:
        scorer = Scorer(lexicons=args.lexicons, model=None if args.model.lower() == "none" else args.model)
    except (LexiconError, OSError, ValueError, ImportError) as exc:
        sys.stderr.write(f"rhetoric: {(str(exc).splitlines() or [type(exc).__name__])[0]}\n")
        return 1
    sys.stderr.write(f"rhetoric: serving on http://127.0.0.1:{args.port}/ (Ctrl-C stops)\n")
    serve(args.port, scorer=scorer, max_bytes=int(args.max_mb * 1e6))
    return 0
