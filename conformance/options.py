"""The option table: every setting of a run, declared once.

`em-conformance run` (argparse), the pytest plugin (`--em-*`) and the loader of `EM_*`
variables and TOML files (`conformance.suite.settings`) all read this table, so each
option has one name, one default and one help text.  The names agree everywhere: the
flag `--max-examples`, the TOML key `max-examples` (or `max_examples`), the variable
`EM_MAX_EXAMPLES`, the pytest option `--em-max-examples`.  README.md's configuration table
is generated from it (`python -m conformance.options`; tests/test_options_page.py keeps
it in step), and so is each front end's `--help`.

Layer one: this module imports nothing else of the package, since the pytest plugin reads
it at every pytest start-up and must stay cheap.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "FORMATS",
    "OPTIONS",
    "OUTPUT",
    "PYTEST",
    "RUN",
    "SAFETY",
    "TARGET",
    "WHAT",
    "Option",
    "for_front_end",
    "given_settings",
    "option",
    "render_table",
]

RUN, PYTEST = "run", "pytest"  # the front ends: `em-conformance run` and the pytest plugin
FORMATS = {"xml": ("xml",), "json": ("json",), "both": ("xml", "json")}


# Converters from what a user writes (a flag, an EM_* variable, a TOML value) to a value.
# Each raises ValueError with a message that ends a sentence "Invalid <name> in <where>: ".
def text(value: Any) -> str:
    return str(value)


def switch(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected true or false, received {value!r}")


def items(value: Any) -> tuple[str, ...]:
    """A list: a TOML array, repeated flags, or one comma-separated string."""
    found = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(str(item).strip() for item in found if str(item).strip())


def formats(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple) and set(value) <= {"xml", "json"}:
        return value
    lowered = str(value).strip().lower()
    if lowered not in FORMATS:
        raise ValueError(f"expected one of {', '.join(FORMATS)}, received {value!r}")
    return FORMATS[lowered]


def positive(kind: type[int] | type[float]) -> Callable[[Any], Any]:
    def convert(value: Any) -> int | float:
        try:
            number = kind(value)
        except (TypeError, ValueError):
            number = 0
        if number <= 0 or isinstance(value, bool):
            raise ValueError(f"expected a number above 0, received {value!r}")
        return number

    convert.__name__ = f"positive {kind.__name__}"
    return convert


def whole(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or isinstance(value, bool):
        raise ValueError(f"expected a whole number of 0 or more, received {value!r}")
    return number


def path(value: Any) -> Path:
    return value if isinstance(value, Path) else Path(str(value)).expanduser()


def _arg_type(convert: Callable[[Any], Any]) -> Callable[[str], Any]:
    """`convert` as an argparse `type`: its message becomes argparse's usage error."""

    def parse(value: str) -> Any:
        try:
            return convert(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = getattr(convert, "__name__", "value")
    return parse


_UNSET: Any = object()
_BOTH = frozenset({RUN, PYTEST})
_ENV_AND_TOML = frozenset({"env", "toml"})


class Option(NamedTuple):  # not a dataclass: building one costs the plugin's start-up 1 ms
    """One option.  `setting` names the `Settings` field it fills (None: the option steers
    a front end, such as `--config` or `--html`, and is no setting of the run)."""

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

    def flag_of(self, front_end: str) -> str | None:
        if front_end not in self.front_ends:
            return None
        return f"--em-{self.name}" if front_end == PYTEST else f"--{self.name}"

    def default_for(self, remote: bool) -> Any:
        return self.remote_default if remote and self.remote_default is not _UNSET else self.default

    def describe_default(self) -> str:
        if self.default_text:
            return self.default_text
        if self.default is None or self.default == ():
            return ""
        return str(self.default)

    def keywords(self, front_end: str) -> dict[str, Any]:
        """The keywords of argparse's `add_argument` (pytest's `addoption` takes the same)."""
        said = self.describe_default()
        notes = [self.env or "", f"default: {said}" if said else ""]
        text = self.help + (self.pytest_note if front_end == PYTEST else "")
        text += f" ({'; '.join(note for note in notes if note)})" if any(notes) else ""
        words: dict[str, Any] = {
            "dest": self.dest if front_end == RUN else f"em_{self.dest}",
            "help": _flags_for(front_end, text),
        }
        if self.flag:
            # None, not False: "not given" lets an EM_* variable or the TOML file decide.
            return words | {"action": "store_true", "default": None}
        words |= {"metavar": self.metavar} if self.metavar and not self.choices else {}
        words |= {"choices": self.choices} if self.choices else {}
        if self.field is None and self.default is not None:
            words["default"] = self.convert(self.default)  # no other source: argparse decides
        if self.repeatable:
            return words | {"action": "append"}
        if self.convert not in (text, formats) and not self.choices:
            words["type"] = _arg_type(self.convert)
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

OPTIONS: tuple[Option, ...] = (
    Option("run", "add the conformance suite (one test per rule) to the session; the target"
           " is --target, EM_TARGET or the TOML file, else the embedded emulator",
           WHAT, flag=True, setting=None, front_ends=frozenset({PYTEST}), sources=frozenset()),
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
    Option("level", "fail on MUST rules only, or on MUST and SHOULD", WHAT,
           default="should", remote_default="must", choices=("must", "should"),
           default_text="should on the embedded emulator, must against --target"),
    Option("max-examples", "examples per operation and format in the property-based flows",
           WHAT, "N", default=20, convert=positive(int)),
    Option("task-timeout", "how long a task may take to finish", WHAT, "SECONDS",
           default=60, convert=positive(float)),
    Option("fault", "switch on an emulator fault profile (no --target; repeatable)", WHAT,
           "NAME", default=(), convert=items, repeatable=True, is_list=True,
           setting="faults", aliases=("faults",)),
    Option("parallel", "servers of a fleet run at once", WHAT, "N", default=4,
           convert=positive(int), setting=None, front_ends=frozenset({RUN}),
           sources=frozenset()),
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
    Option("report", "write the JSON report here", OUTPUT, "FILE", convert=path),
    Option("junitxml", "write JUnit XML here", OUTPUT, "FILE",
           convert=path, front_ends=frozenset({RUN})),
    Option("cassette", "save every exchange of the run (redacted) as a cassette", OUTPUT,
           "FILE", convert=path),
    Option("html", "write a self-contained HTML report here", OUTPUT, "FILE", convert=path,
           setting=None, front_ends=frozenset({RUN}), sources=frozenset()),
    Option("markdown", "write a Markdown summary here (also appended to"
           " $GITHUB_STEP_SUMMARY when set)", OUTPUT, "FILE", convert=path, setting=None,
           front_ends=frozenset({RUN}), sources=frozenset()),
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
    return [entry for entry in OPTIONS if front_end in entry.front_ends]


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


def render_table() -> str:
    """README.md's configuration table, one row per option."""
    lines = [
        "| option | `run` flag | pytest flag | `EM_*` variable | TOML key | default | what it does |",
        "|---|---|---|---|---|---|---|",
    ]
    for entry in OPTIONS:
        cells = (
            entry.name,
            _cell(entry.flag_of(RUN)),
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
