"""The ``rhetoric`` command: builds the parser from the command modules and dispatches.

Each command lives in its own module with an ``add_commands(sub)`` that adds its sub-parser and
sets ``func``: :mod:`~rhetoric.cli.score`, :mod:`~rhetoric.cli.lexicons`, :mod:`~rhetoric.cli.train`
(``train`` and ``evaluate``).

Exit codes: 0 success, 1 unreadable input, a failed check or output that cannot be written (a
full disk, a closed standard output), 2 usage error. Errors are one line on stderr, prefixed
``rhetoric:``. A reader that leaves early (``rhetoric score ... | head``) is not an error: exit 0.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any, NoReturn

__all__ = ["main"]

_DESCRIPTION = """\
Score news text for state-media rhetoric, propaganda techniques, anonymous sourcing and hedging,
with the evidence behind every number.

examples:
  rhetoric score seeds/000_812b28cb18a5bb42.txt
  rhetoric score --format json article.txt > report.json
  cat article.txt | rhetoric score -
  rhetoric score --format html article.txt > page.html
  rhetoric score page.html                  (a saved web page: its article text is scored)
  rhetoric serve --port 8000                (a local web page to paste or drop articles)
  rhetoric lexicons check
"""

# The modules that add commands, in the order ``rhetoric --help`` lists them.
_COMMAND_MODULES = ("rhetoric.cli.score", "rhetoric.cli.lexicons", "rhetoric.cli.train", "rhetoric.cli.serve")


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
    for name in _COMMAND_MODULES:
        import_module(name).add_commands(sub)
    return parser


class _OutputError(Exception):
    """Standard output could not be written; ``pipe`` when the reader closed it."""

    def __init__(self, exc: OSError) -> None:
        super().__init__(exc.strerror or str(exc) or type(exc).__name__)
        self.pipe = isinstance(exc, BrokenPipeError)


class _Output:
    """Standard output whose write and flush failures are :class:`_OutputError`, told apart from the
    ``OSError`` of reading an input file."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, s: str) -> int:
        try:
            return int(self._stream.write(s))
        except OSError as exc:
            raise _OutputError(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _OutputError(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _silence_stdout() -> None:
    """Point file descriptor 1 at the null device, so the interpreter's final flush of what is still
    buffered cannot fail again (and print "Exception ignored") after our one-line message."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno() if sys.__stdout__ is not None else 1)
        os.close(null)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - no descriptor to redirect
        pass


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stderr is None:   # started with standard error closed: errors go nowhere rather than crash
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - stays open for the life of the process
    if sys.stdout is None:   # started with standard output closed (``>&-``)
        sys.stderr.write("rhetoric: cannot write output: standard output is closed\n")
        return 1
    stdout = sys.stdout
    sys.stdout = _Output(stdout)
    try:
        code = _main(argv)
        sys.stdout.flush()   # a full disk often shows only here
        return code
    except _OutputError as exc:
        _silence_stdout()
        if exc.pipe:   # "rhetoric score ... | head": the reader left; not an error
            return 0
        sys.stderr.write(f"rhetoric: cannot write output: {exc}\n")
        return 1
    except BrokenPipeError:  # a pipe closed under a stream we did not wrap
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("rhetoric: interrupted\n")
        return 130
    finally:
        sys.stdout = stdout


def _main(argv: Sequence[str] | None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
