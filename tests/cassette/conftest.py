"""Every test here gets its cassettes scanned: none may leave a secret on disk."""

from tests._secret_scan import no_secret_on_disk, raw_secrets  # noqa: F401 - fixtures
