"""Stateful runs over the OpenAPI links: logon -> logout, DELETE job -> poll / cancel task.

Schemathesis walks the `links` of `specs/` as a hypothesis state machine, so a
generated scenario deletes a job, then follows the Task's `TaskId` into
`GET /tasks/{ID}` and `DELETE /tasks/{ID}`. Scenarios delete whatever job they
draw, so they run only against a server the run owns (the embedded emulator).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import hypothesis
import hypothesis.errors
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from hypothesis.stateful import rule
from schemathesis.generation.stateful.state_machine import StepInput

from conformance.properties.bridge import exchange_from_response
from conformance.properties.deserializers import register_xml_deserializer
from conformance.properties.engine import (
    FORMATS,
    Finding,
    PropertyRun,
    PropertySettings,
    checks_for,
    describe_failure,
)
from conformance.protocol import SESSION_HEADER
from conformance.spec import load_openapi
from conformance.transport import bare_session

__all__ = ["run_stateful"]


def _schema(
    settings: PropertySettings, credentials: tuple[str, str], headers: dict[str, str]
) -> Any:
    register_xml_deserializer()
    schema = schemathesis.openapi.from_dict(load_openapi())
    schema.config.update(
        base_url=settings.base_url,
        headers=headers,
        basic_auth=credentials,
        tls_verify=settings.verify,
        request_timeout=settings.timeout,
    )
    return schema


# The scenarios' seed. Without one, `derandomize` seeds from the machine class's source
# text, so any edit of the class below changed which scenarios were drawn.
_SCENARIO_SEED = 0


@dataclass(frozen=True)
class _Recording:
    """Where a format's scenarios leave their exchanges and findings, and how each step's
    response is checked."""

    run: PropertyRun
    fmt: str
    checks: tuple[list[Any], list[Any]]  # schemathesis's checks to add and to exclude

    def check(
        self, case: Any, response: schemathesis.Response, recorder: Any, transport: Any
    ) -> None:
        """As RecordingStateMachine does, with the engine's choice of checks: the catalogue
        only when the caller does not judge the recording with it, and no unrecorded
        `ignored_auth` probes in a recorded run.  A failing step does not end the run."""
        extra, excluded = self.checks
        try:
            case.validate_response(
                response, additional_checks=extra, excluded_checks=excluded,
                transport_kwargs=transport or None, recorder=recorder,
            )  # fmt: skip
        except (Exception, BaseExceptionGroup) as failure:
            # after_call recorded this response's exchange just before.
            label = f"stateful {case.operation.label}"
            self.run.findings.append(
                Finding(label, self.fmt, describe_failure(failure), self.run.exchanges[-1])
            )


def _machine(
    settings: PropertySettings,
    credentials: tuple[str, str],
    recording: _Recording,
    job_ids: Sequence[str],
    session: requests.Session,
) -> Any:
    headers = {SESSION_HEADER: settings.token, **FORMATS[recording.fmt]}
    schema = _schema(settings, credentials, headers)
    base: Any = schema.as_state_machine()
    delete_job = schema["/jobs/{ID}"]["DELETE"]

    @hypothesis.seed(_SCENARIO_SEED)
    class RecordedMachine(base):  # type: ignore[misc]
        # schemathesis starts scenarios only at operations no link leads to (logon here);
        # random GUIDs never name a job, so this root deletes an owned job and lets the
        # links carry its Task into GET and DELETE /tasks/{ID}.
        # With no job to offer (an empty or unreadable listing), the rule draws nothing.
        @rule(
            target=base.bundles["DELETE /jobs/{ID} -> 202"],
            job=st.sampled_from(list(job_ids)) if job_ids else st.nothing(),
        )
        def delete_owned_job(self, job: str) -> Any:
            case = delete_job.Case(path_parameters={"ID": job}, headers=dict(headers))
            step = StepInput.initial(case)
            # The links out of this step need its case recorded, as schemathesis's own roots do.
            self.recorder.record_case(case=case)
            self.control.record_step(step, self.recorder)
            return self.step(step)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            # One connection pool per format's scenarios: schemathesis would otherwise open
            # a new TCP connection (and TLS handshake) for every call and its checks.
            return {"session": session}

        def after_call(self, response: schemathesis.Response, case: Any) -> None:
            super().after_call(response, case)
            recording.run.exchanges.append(exchange_from_response(response))

        def validate_response(
            self,
            response: schemathesis.Response,
            case: Any,
            additional_checks: Any = None,  # the recording's choice replaces the caller's
            **kwargs: Any,
        ) -> None:
            recording.check(case, response, self.recorder, kwargs)

    return RecordedMachine


def run_stateful(
    settings: PropertySettings,
    credentials: tuple[str, str],
    job_ids: Sequence[str],
    *,
    steps: int = 8,
) -> PropertyRun:
    """Run `max_examples` scenarios of up to `steps` linked calls in each format; the
    scenarios may delete any of `job_ids`, jobs the caller owns."""
    run = PropertyRun()
    for fmt in settings.formats:
        # One connection pool per format, sending just the token and `Accept` of each case.
        with bare_session() as session:
            recording = _Recording(run, fmt, checks_for(settings))
            machine = _machine(settings, credentials, recording, job_ids, session)
            with contextlib.suppress(hypothesis.errors.FlakyStrategyDefinition):
                # A scenario draws its steps by the server's answers; when a replay gets
                # other answers (the previous scenario deleted the job), hypothesis gives
                # up on the machine. What ran until then is recorded and judged all the same.
                _run(machine, settings, steps)
    return run


def _run(machine: Any, settings: PropertySettings, steps: int) -> None:
    machine.run(
        settings=hypothesis.settings(
            max_examples=settings.max_examples, stateful_step_count=steps, deadline=None,
            database=None, derandomize=True, phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )  # fmt: skip
