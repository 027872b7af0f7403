"""The ``rhetoric`` command.

Exit codes: 0 success, 1 unreadable input or a failed check, 2 usage error. Errors are one line
on stderr, prefixed ``rhetoric:``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

__all__ = ["main"]

_DESCRIPTION = """\
Score news text for state-media rhetoric, propaganda techniques, anonymous sourcing and hedging,
with the evidence behind every number.

examples:
  rhetoric score seeds/000_812b28cb18a5bb42.txt
  rhetoric score --format json article.txt > report.json
  cat article.txt | rhetoric score -
  rhetoric score --format html article.txt > page.html
  rhetoric lexicons check
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        self.print_usage(sys.stderr)
        sys.stderr.write(f"rhetoric: error: {message}\n")
        raise SystemExit(2)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rhetoric", description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    from rhetoric import __version__
    parser.add_argument("--version", action="version", version=f"rhetoric {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sc = sub.add_parser("score", help="score text files (or - for standard input)",
                        description="Score text files; '-' reads standard input. Files are read as UTF-8.")
    sc.add_argument("files", nargs="+", metavar="FILE", help="text file(s), or - for standard input")
    sc.add_argument("--format", choices=("table", "json", "jsonl", "html", "ptc"), default="table",
                    help="output format (default: table)")
    sc.add_argument("--lexicons", metavar="DIR", help="lexicon directory (default: the shipped lexicons)")
    sc.add_argument("--model", metavar="PATH", default="default",
                    help="model file; 'default' for the shipped model, 'none' for lexicon-only scoring")
    sc.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8)")
    sc.add_argument("--id", dest="article_id", metavar="ID",
                    help="article id for --format ptc (default: the file name's digits or stem)")

    lx = sub.add_parser("lexicons", help="lexicon tools")
    lxs = lx.add_subparsers(dest="lexicon_command", metavar="ACTION", parser_class=_Parser)
    ck = lxs.add_parser("check", help="validate lexicon files; prints file:line for each problem")
    ck.add_argument("directory", nargs="?", help="lexicon directory (default: the shipped lexicons)")

    _add_model_commands(sub)
    return parser


def _add_model_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``train`` and ``evaluate`` live in :mod:`rhetoric.cli.train` to keep this module small."""
    try:
        from rhetoric.cli.train import add_commands
    except ImportError:  # pragma: no cover
        return
    add_commands(sub)


def _read(name: str, encoding: str) -> str:
    if name == "-":
        data = sys.stdin.buffer.read()
        return data.decode(encoding)
    return Path(name).read_bytes().decode(encoding)


def _ptc_id(name: str) -> str:
    stem = Path(name).stem if name != "-" else "stdin"
    digits = "".join(ch for ch in stem if ch.isdigit())
    return digits or stem


def _table(name: str, report: object, out: TextIO) -> None:
    from rhetoric.report.types import Report
    assert isinstance(report, Report)
    out.write(f"== {name}: {report.n_words} words, {len(report.sentences)} sentences\n")
    out.write(f"{'dimension':<24}{'score':>7}{'per 1k words':>14}\n")
    for k, v in report.scores.items():
        dens = report.densities.get(k)
        out.write(f"{k:<24}{v:>7.2f}{'' if dens is None else f'{dens:>14.1f}'}\n")
    src = report.sourcing
    out.write(f"sourcing: {int(src['n_attributions'])} attributions ({int(src['n_named'])} named, "
              f"{int(src['n_anonymous'])} anonymous, {int(src['n_vague'])} vague, {int(src['n_state_media'])} "
              f"state media); anonymous share {src['anonymous_share']:.2f}\n")
    out.write("evidence:\n")
    for s in report.spans:
        if s.rule.startswith("attribution:"):
            continue
        snippet = " ".join(s.text.split())
        out.write(f"  {s.start:>6}-{s.end:<6} {s.category:<12} {s.label:<28} {snippet!r}  [{s.rule}]\n")
    out.write("attributions:\n")
    for a in report.attributions:
        src_text = " ".join(a.source.text.split()) if a.source else "(implicit)"
        out.write(f"  {a.kind:<12} {src_text!r} <- {a.cue.text!r}  [{a.reason}]\n")
    out.write(f"lexicons sha256 {report.lexicon_sha256[:16]}  model {report.model}\n\n")


def _cmd_score(args: argparse.Namespace) -> int:
    from rhetoric.lexicon.lexicons import LexiconError
    from rhetoric.pipeline import Scorer
    try:
        model = None if args.model.lower() == "none" else args.model
        scorer = Scorer(lexicons=args.lexicons, model=model)
    except (LexiconError, OSError, ValueError, ImportError) as exc:
        hint = " (--model none scores with the lexicons only)" if isinstance(exc, ImportError) else ""
        sys.stderr.write(f"rhetoric: {(str(exc).splitlines() or [type(exc).__name__])[0]}{hint}\n")
        return 1
    out = sys.stdout
    status = 0
    for name in args.files:
        try:
            text = _read(name, args.encoding)
        except (OSError, UnicodeDecodeError, LookupError) as exc:
            sys.stderr.write(f"rhetoric: cannot read {name}: {exc}\n")
            status = 1
            continue
        report = scorer.score(text)
        if args.format == "json":
            out.write(report.to_json(indent=2) + "\n")
        elif args.format == "jsonl":
            d = report.to_json()
            out.write(d[:-1] + f', "file": {_json_str(name)}}}\n')
        elif args.format == "html":
            out.write(report.to_html(title=Path(name).name if name != "-" else "standard input"))
        elif args.format == "ptc":
            out.write(report.to_ptc(args.article_id or _ptc_id(name)))
        else:
            _table(name, report, out)
    return status


def _json_str(s: str) -> str:
    import json
    return json.dumps(s, ensure_ascii=False)


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


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # "rhetoric score ... | head": the reader left; not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("rhetoric: interrupted\n")
        return 130


def _main(argv: Sequence[str] | None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "score":
        return _cmd_score(args)
    if args.command == "lexicons":
        return _cmd_lexicons(args)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
