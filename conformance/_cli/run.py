"""`em-conformance run`: judge a target rule by documented rule (no target: the emulator).

Exit codes: 0 conformant, 1 non-conformant, 2 usage or configuration error, 3 target
unreachable or logon refused.
"""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from conformance._cli._console import Silent, colour_wanted, exchange_line, paint_verdict
from conformance.errors import Error, UsageError
from conformance.exchange import Exchange
from conformance.options import OUTPUT, RUN, add_options, for_front_end, given_settings

if TYPE_CHECKING:  # the suite (schemathesis, hypothesis) is imported when a run starts
    from conformance.suite import JudgedResult, Settings

__all__ = ["register"]

DESCRIPTION = """\
Run the conformance suite. Without --target it boots the emulator in-process and runs
everything against it. Against a real Enterprise Manager the run is read-only unless
--destructive is given with a disposable job (--disposable-job ID, repeatable) or a job
to clone (--clone-from ID); the suite deletes only what it created or was given.
The password is read from EM_PASSWORD, or asked for at a prompt.
Every setting can also come from an EM_* variable named like its flag (--max-examples:
EM_MAX_EXAMPLES) or a key of a TOML file (--config or EM_CONFIG) named like its flag
(max-examples); a flag beats its variable, which beats the file.
Command line only: {}."""

EPILOG = """exit codes:
  0    conformant: every judged rule passed (or was skipped)
  1    not conformant: a MUST rule failed (or, at --level should, a SHOULD rule)
  2    usage or configuration error (nothing was sent, or a named job is missing)
  3    target unreachable or logon refused
  130  interrupted (Ctrl-C); 143 stopped by SIGTERM
Every stop, including an interrupt, logs out the sessions the run opened and writes
the report, JUnit (with an error case naming the stop) and cassette asked for.
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "run",
        help="run the conformance suite against a target or the embedded emulator",
        description=DESCRIPTION.format(_command_line_only()),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    groups = add_options(parser, RUN)  # conformance.options: one table for every command
    # -q and -v are no option of the table: two spellings each, one excluding the other,
    # and they steer this terminal only (the plugin has pytest's own -q and -v).
    talk = groups[OUTPUT].add_mutually_exclusive_group()
    talk.add_argument(
        "-q", "--quiet", action="store_true", help="print the verdict line only (no progress)"
    )
    talk.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print each request line and its status as it is made (on stderr)",
    )
    parser.set_defaults(handler=_handle)


def _command_line_only() -> str:
    flags = [f"--{entry.name}" for entry in for_front_end(RUN) if entry.env is None]
    return ", ".join([*flags, "-q", "-v"])


def given_options(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given on the command line, by `Settings` field (None: not given)."""
    return given_settings(RUN, lambda dest: getattr(args, dest))


def settings_from(args: argparse.Namespace, env: dict[str, str] | None = None) -> Settings:
    from conformance.suite import load_settings

    settings = load_settings(given_options(args), os.environ if env is None else env, args.config)
    return _with_password(settings)


def _with_password(settings: Settings) -> Settings:
    if settings.embedded or settings.password:
        return settings
    no_terminal = UsageError(
        "Set EM_PASSWORD: the password is never an option, and there is no terminal to ask for it."
    )
    if sys.stdin is None or sys.stdin.closed or not sys.stdin.isatty():
        raise no_terminal
    try:
        password = getpass.getpass(f"Password for {settings.username} at {settings.target}: ")
    except EOFError:
        raise no_terminal from None
    return replace(settings, password=password)


def _check_outputs(settings: Settings, more: dict[str, Path | None]) -> None:
    """Every output path can be written, before the first request is sent: a run that
    deleted jobs and then cannot say so is the worst way to find a typo."""
    outputs = {"--report": settings.report, "--junitxml": settings.junitxml}
    outputs |= {"--cassette": settings.cassette, **more}
    for option, path in outputs.items():
        if path is None:
            continue
        if path.is_dir():
            raise UsageError(f"{option} {path} is a directory; give a file path.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(
                f"{option} {path}: cannot create {path.parent} ({exc.strerror})."
            ) from None
        if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise UsageError(f"{option} {path} is not writable; choose another path.")


class _Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an interrupt so the run stops the way Ctrl-C stops it."""


@contextmanager
def _sigterm_as_interrupt() -> Iterator[list[int]]:
    """While the block runs, SIGTERM (what CI sends on cancel) interrupts like Ctrl-C;
    the list it yields holds the signal that stopped the run, if one did."""
    received: list[int] = []

    def stop(signum: int, frame: object) -> None:
        if not received:
            received.append(signum)
            raise _Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals to whoever owns it
        yield received
        return
    try:
        yield received
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Progress:
    """A live line on a terminal; plain lines otherwise (CI logs)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.live, self.shown = stream, stream.isatty(), False

    def __call__(self, line: str) -> None:
        if self.live:
            self.stream.write(f"\r\x1b[Kem-conformance: {line}")
            self.shown = True
        else:
            self.stream.write(f"em-conformance: {line}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _outputs(result: JudgedResult, settings: Settings) -> None:
    from conformance.suite.outputs import write_outputs

    write_outputs(result, settings)


def run_suite(settings: Settings, progress: Any, watch: Any = None) -> JudgedResult:
    """`conformance.suite.run_suite`, imported when a run starts (it brings the flows)."""
    from conformance.suite import run_suite as run

    return run(settings, progress, watch)


def _handle(args: argparse.Namespace) -> int:
    from conformance._cli._fleet import fleet_entries, handle_fleet

    entries = fleet_entries(args, os.environ)
    if entries:
        return handle_fleet(args, entries)
    args.target = args.target[0] if args.target else None
    settings = settings_from(args)
    _check_outputs(settings, {"--html": args.html, "--markdown": args.markdown})
    if settings.insecure:
        print(
            "em-conformance: warning: TLS certificates are not verified (--insecure);"
            " use it only against test servers.",
            file=sys.stderr,
        )
    progress, watch = _talk(args)
    with _sigterm_as_interrupt() as signals:
        try:
            result = run_suite(settings, progress, watch)
        except Error:
            raise
        except Exception as exc:
            if os.environ.get("EM_DEBUG"):
                raise
            raise UsageError(
                f"internal error ({type(exc).__name__}: {exc}). Please report it;"
                " set EM_DEBUG=1 to see the traceback."
            ) from None
        finally:
            progress.close()
        _print_summary(result, quiet=args.quiet)
        _outputs(result, settings)
        _for_people(args, result)
    if signals and result.stopped:
        return 128 + signals[0]
    return result.exit_code


def _for_people(args: argparse.Namespace, result: JudgedResult) -> None:
    """The HTML page and the Markdown summary (a CI job summary gets it unasked)."""
    from conformance.report.html import write_html
    from conformance.report.markdown import render_markdown, write_markdown, write_step_summary

    if args.html is not None:
        write_html(result, args.html)
    if args.markdown is not None or os.environ.get("GITHUB_STEP_SUMMARY"):
        text = render_markdown(result)
        if args.markdown is not None:
            write_markdown(text, args.markdown)
        write_step_summary(text)


def _talk(args: argparse.Namespace) -> tuple[_Progress | Silent, Callable[[Exchange], None] | None]:
    """Progress and the exchange printer: none with --quiet; plain lines with --verbose."""
    if args.quiet:
        return Silent(), None
    progress = _Progress(sys.stderr)
    if not args.verbose:
        return progress, None
    progress.live = False  # a live line would be torn by the exchange lines between

    def watch(exchange: Exchange) -> None:
        progress(exchange_line(exchange))

    return progress, watch


def _print_summary(result: JudgedResult, *, quiet: bool) -> None:
    from conformance.report import render_summary

    *body, verdict = render_summary(result).rstrip("\n").split("\n")
    lines = [] if quiet else body
    colour = colour_wanted(sys.stdout, os.environ)
    lines.append(paint_verdict(verdict, result.exit_code, colour))
    sys.stdout.write("\n".join(lines) + "\n")
