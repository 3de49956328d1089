"""How a client ended: handled, noticed, crashed, hung or wrong result, and the rule behind it."""

from __future__ import annotations

import pytest

from conformance.checks import Outcome
from conformance.checks.client_outcome import OUTCOME_RULES, Behaviour, ClientEnding, judge_ending
from conformance.checks.client_rules import CLIENT_RULES
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

API = "https://em:9398/api"
NS = 'xmlns="http://www.veeam.com/ent/v1.0"'
TRACEBACK = "Traceback (most recent call last):\n  File \"c.py\"\nKeyError: 'Href'\n"


def _task(state: str, success: str | None = None) -> str:
    result = f'<Result Success="{success}"><Message>m</Message></Result>' if success else ""
    return (
        f'<Task {NS} Href="{API}/tasks/task-1"><TaskId>task-1</TaskId>'
        f"<State>{state}</State><Operation>DeleteJob</Operation>{result}</Task>"
    )


def _exchange(method: str, url: str, status: int, body: str = "") -> Exchange:
    headers = {"Content-Type": "application/xml"} if body else {}
    return Exchange(
        RecordedRequest.build(method, url), RecordedResponse.build(status, headers, body)
    )


ACCEPTED = _exchange("DELETE", f"{API}/jobs/j-1", 202, _task("Running"))


def _polled_to(success: str) -> list[Exchange]:
    return [ACCEPTED, _exchange("GET", f"{API}/tasks/task-1", 200, _task("Finished", success))]


def _judge(
    returncode: int | None, exchanges: list[Exchange], output: str = ""
) -> tuple[Behaviour, dict[str, str]]:
    behaviour, verdicts = judge_ending(ClientEnding(returncode, output, 30.0), exchanges)
    return behaviour, {verdict.rule.id: verdict.outcome.value for verdict in verdicts}


CASES = {
    "handled": (0, _polled_to("true"), "", Behaviour.HANDLED, set()),
    "noticed-a-failed-task": (1, _polled_to("false"), "error: failed", Behaviour.NOTICED, set()),
    "crashed-with-a-traceback": (1, [ACCEPTED], TRACEBACK, Behaviour.CRASHED, {"EM-CLIENT-011"}),
    "crashed-by-a-signal": (-11, [ACCEPTED], "", Behaviour.CRASHED, {"EM-CLIENT-011"}),
    "hung": (None, [ACCEPTED], "", Behaviour.HUNG, {"EM-CLIENT-012"}),
    "success-for-a-failed-task": (0, _polled_to("false"), "", Behaviour.WRONG_RESULT, {"EM-CLIENT-013"}),
    "success-for-an-unseen-end": (0, [ACCEPTED], "", Behaviour.WRONG_RESULT, {"EM-CLIENT-013"}),
    "success-after-cancelling": (
        0, [ACCEPTED, _exchange("DELETE", f"{API}/tasks/task-1", 204)], "", Behaviour.HANDLED, set(),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_ending_gets_its_behaviour_and_fails_only_its_rule(name: str) -> None:
    returncode, exchanges, output, behaviour, failing = CASES[name]
    judged, outcomes = _judge(returncode, exchanges, output)
    assert judged is behaviour
    assert {
        rule for rule, outcome in outcomes.items() if outcome == Outcome.FAILED.value
    } == failing
    assert set(outcomes) == {rule.id for rule in OUTCOME_RULES}


def test_the_failure_says_what_was_expected_and_what_happened() -> None:
    _, verdicts = judge_ending(ClientEnding(0, "", 30.0), _polled_to("false"))
    failed = [verdict for verdict in verdicts if verdict.failed]
    assert failed[0].expected == "a non-zero exit when a task did not succeed"
    assert failed[0].received == 'exit 0 with task-1 finished Success="false"'


def test_a_clear_error_message_is_not_a_crash() -> None:
    behaviour, _ = _judge(1, [ACCEPTED], "error: GET /api/tasks/task-1 answered 500\n")
    assert behaviour is Behaviour.NOTICED


def test_outcome_rules_number_on_from_the_traffic_rules() -> None:
    numbers = [rule.id for rule in (*CLIENT_RULES, *OUTCOME_RULES)]
    assert numbers == [f"EM-CLIENT-{n:03d}" for n in range(1, len(numbers) + 1)]
