"""Each idea is defined once: a search of the package source finds one home for each.

The session header's name, the reading of an Accept header, the `responses` adapter, the
Handler type and the reading of a Task each live in one module; every other module
imports them. A second definition is how the copies drifted apart before (issue 13).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "conformance"


def _sources() -> Iterator[tuple[str, ast.Module, str]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text("utf-8")
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(text), text


def _constant(tree: ast.Module, pattern: re.Pattern[str]) -> bool:
    """A string constant that is exactly the fact, not prose (a docstring) mentioning it."""
    return any(
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and pattern.fullmatch(node.value) is not None
        for node in ast.walk(tree)
    )


def _header_literal(tree: ast.Module, text: str) -> bool:
    return _constant(tree, re.compile(r"x-restsvcsessionid=?", re.IGNORECASE))


def _media_literal(tree: ast.Module, text: str) -> bool:
    return _constant(tree, re.compile(r"application/(xml|json)"))


def _splits_accept(tree: ast.Module, text: str) -> bool:
    """A function that both reads `Accept` and splits a header on commas: the Accept rule."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            body = ast.get_source_segment(text, node) or ""
            if 'split(",")' in body and re.search(r"\baccept\b", body, re.IGNORECASE):
                return True
    return False


def _mocks_requests(tree: ast.Module, text: str) -> bool:
    return "RequestsMock(" in text or ".add_callback(" in text


def _names_handler(tree: ast.Module, text: str) -> bool:
    return "Callable[[RecordedRequest], RecordedResponse]" in text


def _reads_task_body(tree: ast.Module, text: str) -> bool:
    return "Task.from_body(" in text or "cls.from_body(response.body" in text


# The flags argparse owns (--help, --version) and `run`'s -q/-v: two spellings each, one
# excluding the other, steering the terminal only (tests/test_options.py says the same).
_NOT_TABLE_FLAGS = {"-h", "--help", "--version", "-q", "--quiet", "-v", "--verbose"}


def _declares_by_hand(node: ast.AST) -> bool:
    """A row of the table (`Option(...)`), or a literal flag given to `add_argument` or
    `addoption`."""
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Name):
        return node.func.id == "Option"
    literal_flags = [
        arg.value
        for arg in node.args
        if isinstance(arg, ast.Constant) and str(arg.value).startswith("-")
    ]
    return (
        isinstance(node.func, ast.Attribute)
        and node.func.attr in ("add_argument", "addoption")
        and any(flag not in _NOT_TABLE_FLAGS for flag in literal_flags)
    )


def _declares_options(tree: ast.Module, text: str) -> bool:
    """An option declared (a row, or a flag by hand), or an option's flag spelled out."""
    if any(_declares_by_hand(node) for node in ast.walk(tree)):
        return True
    names = "max-examples|task-timeout|disposable-job|clone-from|clone-repository|ca-bundle"
    names += "|max-sessions|request-timeout|list-faults|fail-on|task-duration|media-type"
    # As a flag only: a row is named bare where it is used (`default("max-examples")`).
    return _constant(tree, re.compile(rf"--(em-)?({names})"))


IDEAS: dict[str, tuple[Callable[[ast.Module, str], bool], set[str]]] = {
    "session header name": (_header_literal, {"protocol.py"}),
    # flows/negotiation.py sends literal Accept headers on purpose: they are wire samples.
    "media type names": (_media_literal, {"protocol.py", "flows/negotiation.py"}),
    "Accept negotiation": (_splits_accept, {"protocol.py"}),
    "responses adapter": (_mocks_requests, {"mocking.py"}),
    "Handler type": (_names_handler, {"exchange.py"}),
    "reading a Task from a response": (_reads_task_body, {"model.py"}),
    # suite/regenerate.py is the maintainers' script (python -m ...), no `em-conformance`
    # command: its --out, --examples and --only are options of no command.
    "command options": (_declares_options, {"options.py", "suite/regenerate.py"}),
}


@pytest.mark.parametrize("idea", sorted(IDEAS))
def test_each_idea_has_one_home(idea: str) -> None:
    found, home = IDEAS[idea]
    assert {name for name, tree, text in _sources() if found(tree, text)} == home


def test_the_searches_find_a_second_copy() -> None:
    """The searches can fail: each recognises the code it guards against."""
    copy = """
SESSION = "X-RestSvcSessionId"
XML = "application/xml"
def wants(accept):
    return "application/json" in accept.split(",")
mock = responses.RequestsMock(); mock.add_callback("GET", url, callback=f)
Handler = Callable[[RecordedRequest], RecordedResponse]
task = Task.from_body(response.body, "application/xml")
parser.add_argument("--max-examples", type=int)
"""
    tree = ast.parse(copy)
    assert all(found(tree, copy) for found, _ in IDEAS.values())
    port = 'group.add_argument("--port", type=int, default=9398)'
    assert _declares_options(ast.parse(port), port)
    assert not _declares_options(ast.parse('p.add_argument("-q", "--quiet")'), "")
    assert not _declares_options(ast.parse('default("max-examples")'), "")
