"""The fixtures of the tests that run the suite (tests/_suite_fixtures.py)."""

from tests._suite_fixtures import (  # noqa: F401 - pytest finds fixtures by name here
    EXAMPLES,
    SECRET,
    SEED,
    em_password,
    em_server_factory,
    small_example_budget,
)
