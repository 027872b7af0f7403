"""``rhetoric score``: read text files or standard input, score them, and print a table, JSON, HTML or PTC."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from rhetoric.cli.table import write_table
from rhetoric.report.types import Report

__all__ = ["add_commands"]


def add_commands(sub: Any) -> None:
    sc = sub.add_parser("score", help="score text files (or - for standard input)",
                        description="Score text files; '-' reads standard input. Files are read as UTF-8; "
                                    "a web page (.html, .htm, or --html) is reduced to its article text first.")
    sc.add_argument("files", nargs="+", metavar="FILE", help="text or HTML file(s), or - for standard input")
    sc.add_argument("--format", choices=("table", "json", "jsonl", "html", "ptc"), default="table",
                    help="output format (default: table); several files give one JSON array (json), one line "
                         "each (jsonl), one page with a section each (html)")
    sc.add_argument("--html", action="store_true",
                    help="read every input as a web page and score its article text (automatic for .html/.htm)")
    sc.add_argument("--lexicons", metavar="DIR", help="lexicon directory (default: the shipped lexicons)")
    sc.add_argument("--model", metavar="PATH", default="default",
                    help="model file; 'default' for the shipped model, 'none' for lexicon-only scoring")
    sc.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8)")
    sc.add_argument("--id", dest="article_id", metavar="ID",
                    help="article id for --format ptc (default: the file stem as given; PTC's articleNNN -> NNN)")
    sc.set_defaults(func=_cmd_score)


def _read(name: str, args: argparse.Namespace) -> tuple[str, dict[str, Any] | None]:
    """The text to score and, for a web page, what the extractor recorded (``Report.meta["input"]``)."""
    from rhetoric.text.html_input import extract_article, is_html_name
    data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    if args.html or (name != "-" and is_html_name(name)):
        explicit = args.encoding.lower().replace("_", "-") not in ("utf-8", "utf8")  # else: the page's charset
        extracted = extract_article(data.decode(args.encoding) if explicit else data)
        return extracted.text, extracted.meta()
    return data.decode(args.encoding), None


def _ptc_id(name: str) -> str:
    """The file stem as given; PTC's own ``article<digits>`` names give the digits (its label files' ids)."""
    stem = Path(name).stem if name != "-" else "stdin"
    if stem.startswith("article") and stem[len("article"):].isdigit():
        return stem[len("article"):]
    return stem


def _title(name: str) -> str:
    return Path(name).name if name != "-" else "standard input"


class _Writer:
    """Writes reports as they come; a JSON array or an HTML page is opened before the first and closed after
    the last, so several files give one valid document."""

    def __init__(self, args: argparse.Namespace, out: TextIO) -> None:
        self.args, self.out, self.n = args, out, 0
        self.many = len(args.files) > 1

    def open(self) -> None:
        if self.many and self.args.format == "json":
            self.out.write("[\n")
        elif self.many and self.args.format == "html":
            from rhetoric.report.html import page_shell
            self._head, self._foot = page_shell("rhetoric report", "\0").split("\0")
            self.out.write(self._head + "<h1>rhetoric report</h1>")

    def write(self, name: str, report: Report) -> None:
        fmt, out = self.args.format, self.out
        if fmt == "json":
            if self.many:
                d = report.to_dict()
                d["file"] = name
                out.write(("" if self.n == 0 else ",\n") + json.dumps(d, ensure_ascii=False, indent=2))
            else:
                out.write(report.to_json(indent=2) + "\n")
        elif fmt == "jsonl":
            d = report.to_json()
            out.write(d[:-1] + f', "file": {json.dumps(name, ensure_ascii=False)}}}\n')
        elif fmt == "html":
            if self.many:
                from rhetoric.report.html import render_fragment
                out.write(f'<section id="rh{self.n}">{render_fragment(report, title=_title(name), uid=f"rh{self.n}")}'
                          "</section>")
            else:
                out.write(report.to_html(title=_title(name)))
        elif fmt == "ptc":
            out.write(report.to_ptc(self.args.article_id or _ptc_id(name)))
        else:
            write_table(name, report, out)
        self.n += 1

    def close(self) -> None:
        if self.many and self.args.format == "json":
            self.out.write("\n]\n")
        elif self.many and self.args.format == "html":
            self.out.write(self._foot)


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
    from rhetoric.text.html_input import HTMLExtractionError
    if args.article_id and len(args.files) > 1 and args.format == "ptc":
        sys.stderr.write("rhetoric: --id names one article: give one file, or let the file stems name them\n")
        return 2
    status = 0
    writer = _Writer(args, sys.stdout)
    writer.open()
    for name in args.files:
        try:
            text, page = _read(name, args)
        except (OSError, UnicodeDecodeError, LookupError, HTMLExtractionError) as exc:
            sys.stderr.write(f"rhetoric: cannot read {name}: {exc}\n")
            status = 1
            continue
        report = scorer.score(text)
        if page is not None:
            report = replace(report, meta={**report.meta, "input": page})
        writer.write(name, report)
    writer.close()
    return status
