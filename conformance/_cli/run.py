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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from conformance._cli._console import Silent, colour_wanted, exchange_line, paint_verdict
from conformance.errors import Error, UsageError
from conformance.exchange import Exchange

if TYPE_CHECKING:  # the suite (schemathesis, hypothesis) is imported when a run starts
    from conformance.suite import JudgedResult, Settings

__all__ = ["register"]

DESCRIPTION = """\
Run the conformance suite. Without --target it boots the emulator in-process and runs
everything against it. Against a real Enterprise Manager the run is read-only unless
--destructive is given with a disposable job (--disposable-job ID, repeatable) or a job
to clone (--clone-from ID); the suite deletes only what it created or was given.
The password is read from EM_PASSWORD, or asked for at a prompt.
Every option can also come from an EM_* variable (EM_TARGET, EM_USERNAME, EM_LEVEL, ...)
or a TOML file (--config or EM_CONFIG)."""

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
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _target_options(parser.add_argument_group("target"))
    _run_options(parser.add_argument_group("what to run"))
    _safety_options(parser.add_argument_group("safety"))
    _output_options(parser.add_argument_group("output"))
    parser.set_defaults(handler=_handle)


def _target_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--target",
        action="append",
        metavar="URL",
        help="API root, e.g. https://em:9398/api; repeat for a fleet (one run and one set of"
        " outputs per server, named with its host_port)",
    )
    group.add_argument("--username", metavar="USER", help="account to log on with")
    group.add_argument("--ca-bundle", metavar="FILE", help="CA certificates to verify TLS with")
    group.add_argument(
        "--insecure",
        action="store_true",
        default=None,
        help="do not verify the TLS certificate (test servers only)",
    )
    group.add_argument("--api-version", metavar="V", help="logon version (default: latest)")
    group.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="connect and read timeout per request (default: 30)",
    )
    group.add_argument("--config", type=Path, metavar="FILE", help="TOML file with settings")


def _run_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--format", choices=("xml", "json", "both"), help="default: both")
    group.add_argument(
        "--level",
        choices=("must", "should"),
        help="fail on MUST rules only, or on MUST and SHOULD (default: should)",
    )
    group.add_argument(
        "--max-examples",
        type=int,
        metavar="N",
        help="examples per operation and format in the property-based flows (default: 20)",
    )
    group.add_argument(
        "--task-timeout",
        type=float,
        metavar="SECONDS",
        help="how long a task may take to finish (default: 60)",
    )
    group.add_argument(
        "--fault",
        action="append",
        metavar="NAME",
        help="switch on an emulator fault profile (no --target; repeatable)",
    )
    group.add_argument(
        "--parallel",
        type=int,
        default=4,
        metavar="N",
        help="servers of a fleet run at once (default: 4)",
    )
    group.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="seed of the made-up IDs, the polling jitter and the embedded emulator; the"
        " summary prints the one used (default: a new one each run)",
    )


def _safety_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--destructive",
        action="store_true",
        default=None,
        help="allow deleting the disposable jobs named below",
    )
    group.add_argument(
        "--disposable-job",
        action="append",
        metavar="ID",
        help="a job the suite may delete (repeatable)",
    )
    group.add_argument("--clone-from", metavar="ID", help="clone this job to get disposable ones")
    group.add_argument(
        "--clone-repository",
        metavar="UID",
        help="repository UID for backup job clones (urn:veeam:Repository:...)",
    )


def _output_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--report", type=Path, metavar="FILE", help="write the JSON report here")
    group.add_argument("--junitxml", type=Path, metavar="FILE", help="write JUnit XML here")
    group.add_argument(
        "--cassette",
        type=Path,
        metavar="FILE",
        help="save every exchange of the run (redacted) as a cassette",
    )
    group.add_argument(
        "--html", type=Path, metavar="FILE", help="write a self-contained HTML report here"
    )
    group.add_argument(
        "--markdown",
        type=Path,
        metavar="FILE",
        help="write a Markdown summary here (also appended to $GITHUB_STEP_SUMMARY when set)",
    )
    talk = group.add_mutually_exclusive_group()
    talk.add_argument(
        "-q", "--quiet", action="store_true", help="print the verdict line only (no progress)"
    )
    talk.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print each request line and its status as it is made (on stderr)",
    )


_OPTIONS = (
    "target",
    "username",
    "ca_bundle",
    "insecure",
    "api_version",
    "timeout",
    "format",
    "level",
    "max_examples",
    "task_timeout",
    "fault",
    "seed",
    "destructive",
    "disposable_job",
    "clone_from",
    "clone_repository",
    "report",
    "junitxml",
    "cassette",
)


def settings_from(args: argparse.Namespace, env: dict[str, str] | None = None) -> Settings:
    from conformance.suite import load_settings

    options: dict[str, Any] = {name: getattr(args, name) for name in _OPTIONS}
    settings = load_settings(options, os.environ if env is None else env, args.config)
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


def _write_cassette(path: Path, exchanges: Sequence[Exchange], secrets: Iterable[str]) -> None:
    try:
        from conformance.cassette import write_cassette
    except ImportError:
        print(
            "em-conformance: --cassette skipped: this installation has no cassette support"
            " (conformance.cassette).",
            file=sys.stderr,
        )
        return
    write_cassette(path, exchanges, secrets=secrets)


def _outputs(result: JudgedResult, settings: Settings) -> None:
    from conformance.report import write_junit, write_report

    if settings.report is not None:
        write_report(result, settings.report)
    if settings.junitxml is not None:
        write_junit(result, settings.junitxml)
    if settings.cassette is not None:
        # The exchanges are redacted already; the password is named again as a safeguard.
        secrets = [settings.password] if settings.password else []
        _write_cassette(settings.cassette, result.exchanges, secrets)


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
