"""The judged result: what was judged, how, and what the checks said, as one value.

`run` fills it from a live target, `check-cassette` from a recording and
`validate-client` from a client program's traffic; every reporter (the printed summary,
the JSON report, JUnit, Markdown, HTML) takes only this value, so each prints the same
facts whatever was judged.  What the reporters print about how the run was made (the
level, the formats, the seed, the faults) is a field here, never read from settings.
Whether the subject conforms, and the exit code that says so, are defined here once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace

from conformance.checks.rule import Level
from conformance.checks.verdict import Outcome, RuleVerdict, Verdict, summarize
from conformance.errors import TargetError
from conformance.exchange import Exchange
from conformance.redaction import Redactor

__all__ = [
    "FlowRecord",
    "JudgedResult",
    "JudgedSubject",
    "StopReason",
    "SubjectKind",
    "redacted_verdicts",
]


class SubjectKind(enum.Enum):
    """What was judged; the value is how reports name it."""

    TARGET = "remote target"
    EMULATOR = "embedded emulator"
    CASSETTE = "cassette"
    CLIENT = "client program"


@dataclass(frozen=True)
class JudgedSubject:
    """The thing judged: a target's API root, a cassette's path or a client's command line;
    `detail` adds what the reports say about it (a cassette's recorder, say)."""

    kind: SubjectKind
    name: str
    detail: str = ""

    @property
    def described(self) -> str:
        """Its kind and detail, as reports print them after the name."""
        return " ".join(filter(None, (self.kind.value, self.detail)))


@dataclass(frozen=True)
class FlowRecord:
    """How one flow run went: ran, skipped or aborted, why, and how many requests it made."""

    flow: str
    format: str
    status: str
    reason: str = ""
    requests: int = 0


class StopReason:
    """Why a run ended before playing every flow (`JudgedResult.stop_reason`)."""

    UNREACHABLE = "unreachable"
    LOGON_REFUSED = "logon refused"
    INTERRUPTED = "interrupted"


# Exit codes of a stopped run: 3 for the target, 130 for Ctrl-C (a shell's 128 + SIGINT);
# the command line answers 143 instead when the stop was a SIGTERM.
_STOP_EXIT = {StopReason.UNREACHABLE: 3, StopReason.LOGON_REFUSED: 3, StopReason.INTERRUPTED: 130}


@dataclass(frozen=True)
class JudgedResult:
    """The recording (secrets redacted), its verdicts, and how it was made.

    `flows` is empty unless the suite's flows made the recording; `stopped` says why a
    run ended early; `problems` are failures no rule judges (a replay with no answer for
    a request, a client that failed with no fault to explain it)."""

    subject: JudgedSubject
    level: Level = Level.SHOULD
    exchanges: tuple[Exchange, ...] = ()
    verdicts: tuple[Verdict, ...] = ()
    flows: tuple[FlowRecord, ...] = ()
    formats: tuple[str, ...] = ()
    seed: int | None = None
    faults: tuple[str, ...] = ()
    destructive: bool = False
    insecure: bool = False  # TLS certificates not verified
    max_body: int = 0  # the cap on response body bytes; 0 when none applied
    duration: float = 0.0
    stopped: str = ""
    stop_reason: str = ""
    sessions_left_open: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def embedded(self) -> bool:
        return self.subject.kind is SubjectKind.EMULATOR

    @property
    def rules(self) -> list[RuleVerdict]:
        return summarize(self.verdicts)

    @property
    def conformant(self) -> bool:
        """True only for a subject judged to its end with no blocking failure."""
        blocking = any(verdict.blocking for verdict in self.verdicts)
        return not (self.stopped or self.problems or blocking)

    @property
    def exit_code(self) -> int:
        """0 conformant, 1 not, 3 (or 130 on Ctrl-C) when a run stopped early."""
        if self.stopped:
            return _STOP_EXIT.get(self.stop_reason, TargetError.exit_code)
        return 0 if self.conformant else 1

    def count(self, outcome: Outcome) -> int:
        return sum(1 for rule in self.rules if rule.outcome is outcome)


def redacted_verdicts(verdicts: Iterable[Verdict], redactor: Redactor) -> tuple[Verdict, ...]:
    """Verdicts whose Expected / Received quote no secret: checks judge the wire as it was,
    and the result keeps only what may leave the run."""
    return tuple(_redacted(verdict, redactor) for verdict in verdicts)


def _redacted(verdict: Verdict, redactor: Redactor) -> Verdict:
    expected, received = redactor.text(verdict.expected), redactor.text(verdict.received)
    if (expected, received) == (verdict.expected, verdict.received):
        return verdict
    return replace(verdict, expected=expected, received=received)
