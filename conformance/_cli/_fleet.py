"""`em-conformance run` against a fleet: several `--target`s, or a config file's
`[[targets]]`, run concurrently (conformance.suite.fleet), each with its own outputs,
then one combined summary with a row per server and the worst exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conformance._cli._console import colour_wanted, exchange_line, paint_verdict
from conformance._cli.run import _check_outputs, _outputs, _sigterm_as_interrupt, given_options
from conformance.errors import UsageError
from conformance.exchange import Exchange
from conformance.suite.fleet import (
    FleetMember,
    FleetResult,
    FleetRun,
    fleet_members,
    run_fleet,
    suffixed,
    targets_from_config,
)

__all__ = ["fleet_entries", "handle_fleet"]


def fleet_entries(args: argparse.Namespace, env: Mapping[str, str]) -> list[dict[str, Any]]:
    """The fleet's servers: two or more --target, or (with no --target) [[targets]]."""
    targets = args.target or []
    if len(targets) > 1:
        return [{"url": url} for url in targets]
    if targets:
        return []
    config = args.config or (Path(env["EM_CONFIG"]) if env.get("EM_CONFIG") else None)
    return targets_from_config(config)


def _members(args: argparse.Namespace, entries: list[dict[str, Any]]) -> list[FleetMember]:
    if args.parallel < 1:
        raise UsageError(f"--parallel {args.parallel}: give 1 or more servers at a time.")
    options = {name: value for name, value in given_options(args).items() if name != "target"}
    members = fleet_members(entries, options, os.environ, args.config)
    for member in members:
        people = {"--html": args.html, "--markdown": args.markdown}
        _check_outputs(member.settings, {k: suffixed(v, member.label) for k, v in people.items()})
    return members


def _say(line: str) -> None:
    sys.stderr.write(f"em-conformance: {line}\n")
    sys.stderr.flush()


def _talk(args: argparse.Namespace) -> dict[str, Any]:
    """Plain, labelled lines (runs interleave): none with --quiet, exchanges with -v."""
    if args.quiet:
        return {}

    def progress(label: str, line: str) -> None:
        _say(f"[{label}] {line}")

    def watch(label: str, exchange: Exchange) -> None:
        _say(f"[{label}] {exchange_line(exchange)}")

    return {"progress": progress, "watch": watch if args.verbose else None}


def _print(fleet: FleetResult, args: argparse.Namespace) -> None:
    from conformance.report import render_summary
    from conformance.report.fleet import fleet_verdict, render_fleet

    lines: list[str] = []
    for run in [] if args.quiet else fleet.failed:
        lines.append(f"== {run.member.label} ({run.member.settings.target}) ==")
        lines.append(render_summary(run.result) if run.result else f"error: {run.error}\n")
    if not args.quiet:
        lines.append(render_fleet(fleet, args.parallel).removesuffix(fleet_verdict(fleet) + "\n"))
    colour = colour_wanted(sys.stdout, os.environ)
    lines.append(paint_verdict(fleet_verdict(fleet), fleet.exit_code, colour) + "\n")
    sys.stdout.write("".join(line if line.endswith("\n") else line + "\n" for line in lines))


def _write(run: FleetRun, args: argparse.Namespace) -> None:
    from conformance.report.html import write_html
    from conformance.report.markdown import render_markdown, write_markdown

    if run.result is None:
        return
    _outputs(run.result, run.member.settings)
    html, markdown = (
        suffixed(args.html, run.member.label),
        suffixed(args.markdown, run.member.label),
    )
    if html is not None:
        write_html(run.result, html)
    if markdown is not None:
        write_markdown(render_markdown(run.result), markdown)


def handle_fleet(args: argparse.Namespace, entries: list[dict[str, Any]]) -> int:
    """Run the fleet, write each server's outputs, print the combined summary."""
    from conformance.report.fleet import fleet_markdown
    from conformance.report.markdown import write_step_summary

    members = _members(args, entries)
    with _sigterm_as_interrupt() as signals:
        fleet = run_fleet(members, args.parallel, **_talk(args))
        for run in fleet.runs:
            _write(run, args)
        _print(fleet, args)
        write_step_summary(fleet_markdown(fleet))
    if signals and fleet.interrupted:
        return 128 + signals[0]
    return fleet.exit_code
