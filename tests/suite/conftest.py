"""The fixtures of the tests that run the suite (tests/_suite_fixtures.py), and the scan
of every cassette a test here saves: none may leave a secret on disk (the client
validation tests save recordings of real clients)."""

from tests._secret_scan import no_secret_on_disk, raw_secrets  # noqa: F401
from tests._suite_fixtures import (  # noqa: F401 - pytest finds fixtures by name here
    EXAMPLES,
    SECRET,
    SEED,
    em_password,
    em_server_factory,
    small_example_budget,
)
