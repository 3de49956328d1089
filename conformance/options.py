"""The option table: every option of every command, declared once.

`em-conformance run` and the other commands (argparse, through `add_options`), the
pytest plugin (`--em-*`) and the loader of `EM_*` variables and TOML files
(`conformance.suite.settings`) all read this table, so each option has one name, one
default and one help text, and the table says which commands have it.  The names of a
run's settings agree everywhere: the flag `--max-examples`, the TOML key `max-examples`
(or `max_examples`), the variable `EM_MAX_EXAMPLES`, the pytest option
`--em-max-examples`.  Where another command's flag means something else than `run`'s
flag of that spelling (`validate-client --timeout` is the client program's whole
deadline), it is a row of its own, named after its command, with its own default.
README.md's configuration table is generated from it (`python -m conformance.options`;
tests/test_options.py keeps it in step), and so is every command's `--help`.

Layer one: this module imports nothing else of the package but its converters, since the
pytest plugin reads it at every pytest start-up and must stay cheap.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from conformance._option_values import (
    FORMATS,
    argument_type,
    formats,
    items,
    path,
    positive,
    switch,
    text,
    whole,
)

__all__ = [
    "CHECK_CASSETTE",
    "COMMANDS",
    "DIFF",
    "EMULATE",
    "FORMATS",
    "OPTIONS",
    "OUTPUT",
    "PYTEST",
    "RUN",
    "SAFETY",
    "TARGET",
    "VALIDATE_BODY",
    "VALIDATE_CLIENT",
    "WHAT",
    "Option",
    "add_options",
    "default",
    "for_front_end",
    "given_settings",
    "option",
    "render_table",
]

RUN, PYTEST = "run", "pytest"  # the front ends of a run: `em-conformance run`, the plugin
CHECK_CASSETTE, VALIDATE_CLIENT = "check-cassette", "validate-client"
EMULATE, DIFF, VALIDATE_BODY = "emulate", "diff", "validate-body"
COMMANDS = (RUN, CHECK_CASSETTE, VALIDATE_CLIENT, EMULATE, DIFF, VALIDATE_BODY)

_UNSET: Any = object()
_BOTH = frozenset({RUN, PYTEST})
_ENV_AND_TOML = frozenset({"env", "toml"})
# Only a run's front ends read EM_* variables and the TOML file; on every other command
# an option not given is its default, decided by argparse.
_SOURCED = _BOTH


class Option(NamedTuple):  # not a dataclass: building one costs the plugin's start-up 1 ms
    """One option.  `setting` names the `Settings` field it fills (None: the option steers
    a command, such as `--config`, `--html` or `emulate --port`, and is no setting of a run).
    `front_ends` are the commands that have it, and `pytest` for the plugin."""

    name: str  # as a flag: --name, --em-name; TOML key name; EM_NAME
    help: str
    group: str
    metavar: str | None = None
    default: Any = None  # as the user would write it; converted like any given value
    remote_default: Any = _UNSET  # a different default against --target
    default_text: str = ""  # how --help says the default when the value alone does not
    convert: Callable[[Any], Any] = text
    choices: tuple[str, ...] = ()
    flag: bool = False  # a switch: given means true
    repeatable: bool = False  # the flag may be given again (a list, or a fleet's targets)
    is_list: bool = False
    setting: str | None = ""  # "" = the name in snake case
    aliases: tuple[str, ...] = ()  # older spellings still accepted in EM_* and TOML
    front_ends: frozenset[str] = _BOTH
    sources: frozenset[str] = _ENV_AND_TOML  # where else than a flag it may come from
    secret: bool = False
    pytest_note: str = ""  # said in the plugin's help only
    spelled: str = ""  # the flag's name when the row's name is scoped to its command

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")

    @property
    def field(self) -> str | None:
        return None if self.setting is None else (self.setting or self.dest)

    @property
    def env(self) -> str | None:
        return f"EM_{self.dest.upper()}" if "env" in self.sources else None

    @property
    def toml_key(self) -> str | None:
        return self.name if "toml" in self.sources else None

    @property
    def commands(self) -> tuple[str, ...]:
        """The `em-conformance` commands that have the option, in the order of `COMMANDS`."""
        return tuple(command for command in COMMANDS if command in self.front_ends)

    def flag_of(self, front_end: str) -> str | None:
        if front_end not in self.front_ends:
            return None
        return f"--em-{self.name}" if front_end == PYTEST else f"--{self.spelled or self.name}"

    def default_for(self, remote: bool) -> Any:
        return self.remote_default if remote and self.remote_default is not _UNSET else self.default

    def describe_default(self, front_end: str = RUN) -> str:
        if self.remote_default is not _UNSET and front_end not in _SOURCED:
            return str(self.default)  # no --target on that command: the one default holds
        if self.default_text:
            return self.default_text
        if self.default is None or self.default == ():
            return ""
        return str(self.default)

    def keywords(self, front_end: str) -> dict[str, Any]:
        """The keywords of argparse's `add_argument` (pytest's `addoption` takes the same)."""
        sourced = front_end in _SOURCED
        said = self.describe_default(front_end)
        notes = [self.env if sourced and self.env else "", f"default: {said}" if said else ""]
        text = self.help + (self.pytest_note if front_end == PYTEST else "")
        text += f" ({'; '.join(note for note in notes if note)})" if any(notes) else ""
        dest = (self.spelled or self.name).replace("-", "_")
        words: dict[str, Any] = {
            "dest": f"em_{dest}" if front_end == PYTEST else dest,
            "help": _flags_for(front_end, text),
        }
        if self.flag:
            # None, not False, on a run: "not given" lets EM_* or the TOML file decide.
            return words | {"action": "store_true", "default": None if sourced else False}
        words |= {"metavar": self.metavar} if self.metavar and not self.choices else {}
        words |= {"choices": self.choices} if self.choices else {}
        if (self.field is None or not sourced) and self.default is not None:
            value = self.convert(self.default)  # no other source: argparse decides
            words["default"] = list(value) if self.repeatable else value
        if self.repeatable:
            return words | {"action": "append"}
        if self.convert in (int, float):
            words["type"] = self.convert  # argparse's own message: "invalid int value"
        elif self.convert not in (text, formats) and not self.choices:
            words["type"] = argument_type(self.convert)
        return words


def _flags_for(front_end: str, help_text: str) -> str:
    """Help text names flags as `--name`; the plugin's are `--em-name`."""
    if front_end != PYTEST:
        return help_text
    names = {option.name for option in OPTIONS if PYTEST in option.front_ends}
    return re.sub(
        r"--([a-z][a-z-]*)",
        lambda m: f"--em-{m[1]}" if m[1] in names else m[0],
        help_text,
    )


TARGET, WHAT, SAFETY, OUTPUT = "target", "what to run", "safety", "output"
EMULATOR, CLIENT, MATRIX, BODY = "emulator", "client program", "robustness matrix", "body"

_JUDGES = frozenset({RUN, PYTEST, CHECK_CASSETTE, VALIDATE_CLIENT})  # commands with a verdict
_SERVES = frozenset({VALIDATE_CLIENT, EMULATE})  # commands that start an emulator


def _only(*commands: str, **fields: Any) -> dict[str, Any]:
    """The fields of a row of some commands alone: no `Settings` field, no EM_* or TOML."""
    return {"setting": None, "front_ends": frozenset(commands), "sources": frozenset(), **fields}


OPTIONS: tuple[Option, ...] = (
    Option("run", "add the conformance suite (one test per rule) to the session; the target"
           " is --target, EM_TARGET or the TOML file, else the embedded emulator",
           WHAT, flag=True, **_only(PYTEST)),
    Option("target", "API root, e.g. https://em:9398/api; repeat for a fleet: one run and one"
           " set of outputs per server, named with its host_port", TARGET, "URL",
           default_text="the embedded emulator", repeatable=True,
           pytest_note="; implies --run"),
    Option("username", "account to log on with", TARGET, "USER"),
    Option("password", "the password of --username: an environment variable only, never a"
           " flag or the TOML file; `run` asks at a prompt when it is unset", TARGET,
           secret=True, setting=None, front_ends=frozenset(), sources=frozenset({"env"})),
    Option("ca-bundle", "CA certificates to verify TLS with", TARGET, "FILE"),
    Option("insecure", "do not verify the TLS certificate (test servers only)", TARGET,
           flag=True, convert=switch),
    Option("api-version", "logon version", TARGET, "V", default="latest"),
    Option("timeout", "deadline of each request whole: connect, headers and body", TARGET,
           "SECONDS", default=30, convert=positive(float)),
    Option("connect-timeout", "deadline of opening a connection (at most --timeout)", TARGET,
           "SECONDS", default=5, convert=positive(float)),
    Option("max-body", "bytes of a body read whole, decoded; a longer one is judged on its"
           " first 16 KiB", TARGET, "BYTES", default=8 * 1024 * 1024, default_text="8388608"
           " (8 MiB)", convert=positive(int)),
    Option("config", "TOML file with settings: top-level keys, or a [tool.em-conformance]"
           " table", TARGET, "FILE", convert=path, setting=None, sources=frozenset({"env"})),
    Option("format", "the formats each flow runs in", WHAT, default="both", convert=formats,
           choices=("xml", "json", "both"), setting="formats", aliases=("formats",)),
    Option("level", "fail on MUST rules only, or on MUST and SHOULD (INFO rules never fail)",
           WHAT, default="should", remote_default="must", choices=("must", "should"),
           default_text="should on the embedded emulator, must against --target",
           front_ends=_JUDGES),
    Option("max-examples", "examples per operation and format in the property-based flows",
           WHAT, "N", default=20, convert=positive(int)),
    Option("task-timeout", "how long a task may take to finish", WHAT, "SECONDS",
           default=60, convert=positive(float)),
    Option("poll-fraction", "each wait between polls of a task, as a fraction of the task's"
           " age: 1 polls least (a task of L seconds takes about log2(L / 0.05) + 2 polls, its"
           " end noticed up to one age late); 0.2 notices the end within a quarter of the task's"
           " age (jitter included), at about 3 times the polls", WHAT, "F",
           default=1.0, convert=positive(float)),
    Option("fault", "switch on an emulator fault profile (no --target; repeatable);"
           " `emulate --list-faults` lists them", WHAT, "NAME", default=(), convert=items,
           repeatable=True, is_list=True, setting="faults", aliases=("faults",),
           front_ends=_BOTH | _SERVES),
    Option("parallel", "servers of a fleet run at once", WHAT, "N", default=4,
           convert=positive(int), **_only(RUN)),
    Option("seed", "seed of the made-up IDs, the polling jitter and the embedded emulator;"
           " the summary prints the one used", WHAT, "N", convert=whole,
           default_text="a new one each run"),
    Option("destructive", "allow deleting the disposable jobs named below", SAFETY,
           flag=True, convert=switch),
    Option("disposable-job", "a job the suite may delete (repeatable)", SAFETY, "ID",
           default=(), convert=items, repeatable=True, is_list=True,
           setting="disposable_jobs", aliases=("disposable-jobs",)),
    Option("clone-from", "clone this job to get disposable ones", SAFETY, "ID"),
    Option("clone-repository", "repository UID for backup job clones"
           " (urn:veeam:Repository:...)", SAFETY, "UID"),
    Option("report", "write the JSON report here", OUTPUT, "FILE", convert=path,
           front_ends=_JUDGES),
    Option("junitxml", "write JUnit XML here", OUTPUT, "FILE", convert=path,
           front_ends=_JUDGES - {PYTEST}),
    Option("cassette", "save every exchange of the run (redacted) as a cassette", OUTPUT,
           "FILE", convert=path),
    Option("html", "write a self-contained HTML report here", OUTPUT, "FILE", convert=path,
           **_only(RUN)),
    Option("markdown", "write a Markdown summary here (`run` and `diff` also append it to"
           " $GITHUB_STEP_SUMMARY when set)", OUTPUT, "FILE", convert=path,
           **_only(RUN, VALIDATE_CLIENT, DIFF)),
    # The rows of the other commands alone, by command.
    Option("rule", "judge only this rule (repeatable)", WHAT, "ID", repeatable=True,
           **_only(CHECK_CASSETTE)),
    Option("check-cassette-format", "print the summary or the JSON report", OUTPUT,
           default="text", choices=("text", "json"), spelled="format",
           **_only(CHECK_CASSETTE)),
    Option("validate-client-cassette", "replay this cassette instead of the emulator",
           EMULATOR, "FILE", convert=path, spelled="cassette", **_only(VALIDATE_CLIENT)),
    Option("tls", "serve HTTPS with a throw-away CA (validate-client gives the client its"
           " certificate as EM_CA_FILE)", EMULATOR, flag=True, **_only(*_SERVES)),
    # Long enough that a client polling without pause makes many polls, so the back-off
    # rule has something to judge; short enough for a quick run.
    Option("validate-client-task-duration", "seconds an emulated task runs", EMULATOR, "S",
           default=2.0, convert=float, spelled="task-duration", **_only(VALIDATE_CLIENT)),
    Option("validate-client-timeout", "seconds before the client program is stopped: the"
           " deadline of its whole run", CLIENT, "SECONDS", default=120,
           convert=positive(float), spelled="timeout", **_only(VALIDATE_CLIENT)),
    Option("record", "save the client's traffic as a cassette", CLIENT, "FILE", convert=path,
           **_only(VALIDATE_CLIENT)),
    Option("matrix", "one run per client-relevant fault", MATRIX, flag=True,
           **_only(VALIDATE_CLIENT)),
    Option("case", "only this matrix row (repeatable; the end of `validate-client --help`"
           " names the rows)", MATRIX, "NAME", default=(), convert=items, repeatable=True, **_only(VALIDATE_CLIENT)),
    Option("validate-client-jobs", "matrix runs at a time", MATRIX, "N", convert=positive(int),
           default_text="the number of cores", spelled="jobs", **_only(VALIDATE_CLIENT)),
    Option("host", "address to listen on", EMULATOR, default="127.0.0.1", **_only(EMULATE)),
    Option("port", "port to listen on, 0 for any", EMULATOR, default=9398, convert=int,
           **_only(EMULATE)),
    Option("emulate-task-duration", "seconds a task takes to finish", EMULATOR, "S",
           default=0.3, convert=float, spelled="task-duration", **_only(EMULATE)),
    Option("emulate-jobs", "jobs to seed under /jobs", EMULATOR, "N", default=6, convert=int,
           spelled="jobs", **_only(EMULATE)),
    Option("emulate-seed", "seed of the job GUIDs", EMULATOR, "N", default=0, convert=int,
           spelled="seed", **_only(EMULATE)),
    Option("max-sessions", "logon sessions kept at most; past it a logon evicts the longest"
           " idle one", EMULATOR, "N", default=1000, convert=int, **_only(EMULATE)),
    Option("request-timeout", "seconds a request (headers and body) may take to arrive before"
           " its connection is closed", EMULATOR, "S", default=30, convert=float,
           **_only(EMULATE)),
    Option("list-faults", "print the fault profiles and exit", EMULATOR, flag=True,
           **_only(EMULATE)),
    Option("diff-format", "output format", OUTPUT, default="markdown",
           choices=("markdown", "json"), spelled="format", **_only(DIFF)),
    Option("fail-on", "exit 1 on findings of this impact or worse", WHAT, default="breaking",
           **_only(DIFF)),
    Option("resource", "the resource the body should be", BODY,
           default_text="read off the XML root element or the JSON properties",
           **_only(VALIDATE_BODY)),
    Option("media-type", "the body's format", BODY, default_text="sniffed from the first byte",
           **_only(VALIDATE_BODY)),
)  # fmt: skip

_BY_NAME = {option.name: option for option in OPTIONS}


def option(name: str) -> Option:
    """The option of that name (`max-examples`), its flag or variable spelling, an alias,
    or its `Settings` field (`formats`); KeyError when there is none."""
    return _BY_NAME[_LOOKUP[_plain(name)]]


def _plain(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def _spellings() -> Iterator[tuple[str, str]]:
    for entry in OPTIONS:
        for spelling in (entry.name, *entry.aliases, (entry.field or entry.name)):
            yield _plain(spelling), entry.name


_LOOKUP = dict(_spellings())


def for_front_end(front_end: str) -> list[Option]:
    """The options of a command (`run`, `emulate`, ...) or of the plugin (`pytest`)."""
    return [entry for entry in OPTIONS if front_end in entry.front_ends]


def default(name: str) -> Any:
    """The table's default of option `name`, converted (None when it has none): the one
    default that library defaults such as `ClientOptions`' are taken from."""
    entry = option(name)
    return None if entry.default is None else entry.convert(entry.default)


_Container = argparse.ArgumentParser | argparse._ArgumentGroup


def add_options(
    parser: argparse.ArgumentParser,
    command: str,
    choices: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, argparse._ArgumentGroup]:
    """Declare every option `command` has on its parser, each in the argument group its row
    names, and return the groups.  `choices` gives, by option name, the choices the table
    cannot hold because they live in heavier modules (the resources `validate-body` knows)."""
    groups: dict[str, argparse._ArgumentGroup] = {}
    for entry in for_front_end(command):
        group = groups.get(entry.group) or groups.setdefault(
            entry.group, parser.add_argument_group(entry.group)
        )
        _add(group, entry, command, (choices or {}).get(entry.name))
    return groups


def _add(container: _Container, entry: Option, command: str, choices: Sequence[str] | None) -> None:
    words = entry.keywords(command)
    if choices is not None:
        words.pop("metavar", None)
        words["choices"] = tuple(choices)
    container.add_argument(str(entry.flag_of(command)), **words)


def given_settings(front_end: str, read: Callable[[str], Any]) -> dict[str, Any]:
    """The settings given on a front end's command line, by `Settings` field: `read(dest)`
    gives the parsed value of an option's destination (None when it was not given)."""
    found = {}
    for entry in for_front_end(front_end):
        if entry.field is not None:
            found[entry.field] = read(entry.keywords(front_end)["dest"])
    return found


def _cell(value: str | None) -> str:
    return f"`{value}`" if value else "—"


def _commands(entry: Option) -> str:
    return ", ".join(f"`{command}`" for command in entry.commands) or "—"


def render_table() -> str:
    """README.md's configuration table, one row per option."""
    lines = [
        "| option | commands | flag | pytest flag | `EM_*` variable | TOML key | default"
        " | what it does |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for entry in OPTIONS:
        flag = next((entry.flag_of(command) for command in entry.commands), None)
        cells = (
            entry.name,
            _commands(entry),
            _cell(flag),
            _cell(entry.flag_of(PYTEST)),
            _cell(entry.env),
            _cell(entry.toml_key),
            entry.describe_default() or ("off" if entry.flag else "—"),
            entry.help.replace("|", "\\|"),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m conformance.options: the README table
    print(render_table(), end="")
