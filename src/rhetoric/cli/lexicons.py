"""``rhetoric lexicons check``: validate lexicon files and print ``file:line: problem`` for each one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_commands"]


def add_commands(sub: Any) -> None:
    lx = sub.add_parser("lexicons", help="lexicon tools")
    # sub-actions use the same parser class as the command, so their usage errors look the same
    lxs = lx.add_subparsers(dest="lexicon_command", metavar="ACTION", parser_class=type(lx))
    ck = lxs.add_parser("check", help="validate lexicon files; prints file:line for each problem")
    ck.add_argument("directory", nargs="?", help="lexicon directory (default: the shipped lexicons)")
    lx.set_defaults(func=_cmd_lexicons)


def _cmd_lexicons(args: argparse.Namespace) -> int:
    from rhetoric.lexicon.lexicons import LexiconError, check_lexicons, default_lexicon_dir, load_lexicons
    if args.lexicon_command != "check":
        sys.stderr.write("rhetoric: usage: rhetoric lexicons check [DIR]\n")
        return 2
    try:
        problems = check_lexicons(args.directory)
        lex = load_lexicons(args.directory, strict=False)
    except LexiconError as exc:
        sys.stderr.write(f"rhetoric: {str(exc).splitlines()[0]}\n")
        return 1
    directory = Path(args.directory) if args.directory else default_lexicon_dir()
    for p in problems:
        print(f"{directory / p.path}:{p.line}: {p.message}")
    print(f"{len(lex.entries)} entries, {len(lex.phrases)} phrases, {len(problems)} problems; sha256 {lex.sha256}")
    return 1 if problems else 0
