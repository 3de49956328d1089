"""The pytest plugin (entry point `pytest11`): fixtures and options of em-conformance.

Thin by design: each fixture family lives in its own `conformance._plugin` module
and heavy imports happen inside fixtures.
"""

from __future__ import annotations

from conformance._plugin.cassette_fixtures import em_cassette as em_cassette
from conformance._plugin.emulator_fixtures import em_emulator as em_emulator
from conformance._plugin.emulator_fixtures import em_emulator_server as em_emulator_server

pytest_plugins = ["conformance._plugin.suite_plugin"]

__all__: list[str] = []
