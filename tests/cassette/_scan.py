"""Scanning saved cassettes for secrets that redaction should have removed."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable
from pathlib import Path

# Credentials, not the `WWW-Authenticate: Basic Realm=RestSvc` challenge.
BASIC = re.compile(
    r"Basic\s+(?!<redacted:|realm=)([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])", re.IGNORECASE
)
COOKIE_TOKEN = re.compile(r"X-RestSvcSessionId=(?!<redacted:)[^;,\s]+", re.IGNORECASE)
# Tokens printed in the documentation: public, but tokens all the same.
DOC_TOKENS = (
    "O9Msj3rq7EGUhtSMBQx+mw==",
    "OsU6RL7OGkGKrPBGxKxURw==",
    "NDRjZmJkYmUtNWE5NS00MTU2LTg4NjctOTFmMDY5YjdjMmNj",
)


# A header of the kinds that carry secrets, and its first value, in block style as
# em-conformance, vcrpy and schemathesis write it.  Read off the text rather than parsed:
# the scan runs after every test, on 10,000-interaction cassettes too.
SECRET_HEADER = re.compile(
    r"""^\s*["']?(X-RestSvcSessionId|Authorization)["']?:\s*\n\s*-\s*(.*)$""",
    re.IGNORECASE | re.MULTILINE,
)


# The same headers in the layout em-conformance writes (`cassette/layout.py`): one JSON
# mapping of names to lists of values per line.
FLOW_HEADERS = re.compile(r"^    headers: (\{.*\})$", re.MULTILINE)
SECRET_HEADERS = ("x-restsvcsessionid", "authorization")


def _credentials(text: str) -> bool:
    """Whether `text` is base64 of `user:password` (and not prose such as "Basic header")."""
    try:
        return ":" in base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False


def leaks(path: Path, raw_secrets: Iterable[str] = ()) -> list[str]:
    """Every secret-looking value left in the cassette at `path`."""
    text = path.read_text(encoding="utf-8")
    found = [
        f"{path}: raw secret {secret!r}" for secret in {*raw_secrets, *DOC_TOKENS} if secret in text
    ]
    found += [
        f"{path}: Basic credentials {m.group(0)!r}"
        for m in BASIC.finditer(text)
        if _credentials(m.group(1))
    ]
    found += [f"{path}: cookie token {m.group(0)!r}" for m in COOKIE_TOKEN.finditer(text)]
    for match in SECRET_HEADER.finditer(text):
        # schemathesis writes its own placeholder when it sanitises a header.
        value = match.group(2).strip().strip("'\"")
        if value and "<redacted:" not in value and "[Filtered]" not in value:
            found.append(f"{path}: header {match.group(1)}: {match.group(2)!r}")
    for match in FLOW_HEADERS.finditer(text):
        for name, values in json.loads(match.group(1)).items():
            if name.lower() in SECRET_HEADERS:
                found += [
                    f"{path}: header {name}: {value!r}"
                    for value in values
                    if value and "<redacted:" not in value
                ]
    return found
