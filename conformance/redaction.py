"""Redaction: secrets replaced by stable placeholders where output leaves the run.

Redaction happens only at the output boundary (a cassette, a report, JUnit, a log or
error line): the exchanges the checks judge are never altered, since a replaced
substring inside a media type or a Task body would change the verdict.

A secret is learned where the protocol puts one (the Basic credentials and the
password inside them, the `X-RestSvcSessionId` token in a header or a cookie, a
`Password` element or property of a tenant logon body) or given by the caller; then
every occurrence, in URLs, header values and bodies, is replaced.  The same raw value
always maps to the same placeholder (`<redacted:token-1>`), so a recorded flow still
shows that the token from the logon is the one sent on every later call.

The logon-session `SessionId` is not a secret: it is the session's public GUID (it is
in every `Href` of the session), unlike the token (em-api-facts §3.1).
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote, quote_plus

from conformance.exchange import Exchange, Headers
from conformance.protocol import SESSION_COOKIE, SESSION_HEADER

__all__ = ["MIN_ANYWHERE", "PLACEHOLDER_PREFIX", "Redactor", "redact"]

PLACEHOLDER_PREFIX = "<redacted:"
# Secrets shorter than this are replaced where they sit, never hunted elsewhere.
MIN_ANYWHERE = 6

_COOKIE_TOKEN = re.compile(rf"{re.escape(SESSION_COOKIE)}=([^;,\s]+)", re.IGNORECASE)
_XML_PASSWORD = re.compile(r"<(?:\w+:)?Password>([^<]+)</", re.IGNORECASE)
_JSON_PASSWORD = re.compile(r'"Password"\s*:\s*"((?:[^"\\]|\\.)+)"', re.IGNORECASE)


def _variants(raw: str) -> set[str]:
    """The forms a secret takes in a URL, an XML or JSON body, or echoed base64-encoded."""
    escaped = {raw, html.escape(raw, quote=False), json.dumps(raw)[1:-1]}
    encoded = {quote(raw, safe=""), quote_plus(raw, safe=""), quote(raw)}
    encoded |= {_lower_hex(form) for form in encoded}
    data = raw.encode("utf-8", "surrogateescape")
    b64 = {base64.b64encode(data).decode(), base64.urlsafe_b64encode(data).decode()}
    b64 |= {form.rstrip("=") for form in b64}
    return {form for form in escaped | encoded | b64 if form}


def _lower_hex(form: str) -> str:
    """A percent-encoded form with lower-case hex digits, as some servers echo it."""
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), form)


class Redactor:
    """Learns secrets, then replaces each with its placeholder wherever it appears.

    Where a secret sits is known (a token header, the Basic credentials, a `Password`
    element), it is replaced in place whatever its length; only secrets of at least
    `MIN_ANYWHERE` characters are also hunted, in each of their forms (raw, escaped,
    URL-encoded, base64), in every URL, header and body, since a password `x` or a
    probe's one-letter "token" would otherwise turn every "x" of the output into a
    placeholder.  Distinct secrets get distinct placeholders (`<redacted:token-1>`,
    `<redacted:password-2>`), so a recording still tells the right password from a wrong
    one and the token of one session from another's.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._placeholders: dict[str, str] = {}  # raw value -> placeholder
        self._anywhere: dict[str, str] = {}  # every form of a long secret -> placeholder
        self._counts: Counter[str] = Counter()
        self._pattern: re.Pattern[str] | None = None
        # Bodies already redacted during one `redact_all` (a run repeats many bodies word
        # for word, a listing or an error): about 4x fewer bytes to search.
        self._done: dict[bytes, bytes] | None = None
        for secret in secrets:
            if secret:  # a short one is replaced where the protocol puts it, never hunted
                self.add(secret, "secret")

    def add(self, raw: str, kind: str, *, anywhere: bool | None = None) -> str:
        """Register `raw` as a secret of `kind`; returns its placeholder.  It is replaced
        everywhere if `anywhere` (by default: if it is at least `MIN_ANYWHERE` long)."""
        if raw.startswith(PLACEHOLDER_PREFIX):
            return raw
        if raw not in self._placeholders:
            self._counts[kind] += 1
            self._placeholders[raw] = f"{PLACEHOLDER_PREFIX}{kind}-{self._counts[kind]}>"
        if (
            len(raw) >= MIN_ANYWHERE if anywhere is None else anywhere
        ) and raw not in self._anywhere:
            for variant in _variants(raw):
                self._anywhere.setdefault(variant, self._placeholders[raw])
            self._pattern = None
            if self._done is not None:
                self._done.clear()  # redacted before this secret was known
        return self._placeholders[raw]

    @property
    def secrets(self) -> frozenset[str]:
        return frozenset(self._placeholders)

    def learn(self, exchange: Exchange) -> None:
        """Learn the secrets that the protocol puts in this exchange."""
        for name, value in (*exchange.request.headers, *exchange.response.headers):
            self._header(name.lower(), value)
        for body in (exchange.request.body, exchange.response.body):
            self._body(body.decode("utf-8", "surrogateescape"))

    def _header(self, name: str, value: str) -> str:
        """`value` with the secret the protocol puts in header `name` replaced (and learned)."""
        if name == "authorization":
            return self._authorization(value)
        if name == SESSION_HEADER.lower():
            return self.add(value.strip(), "token") if value.strip() else value
        if name in ("cookie", "set-cookie"):
            return _COOKIE_TOKEN.sub(
                lambda m: f"{SESSION_COOKIE}={self.add(m.group(1), 'token')}", value
            )
        return value

    def _authorization(self, value: str) -> str:
        scheme, _, credentials = value.strip().partition(" ")
        if not credentials.strip():
            return self.add(value.strip(), "credentials") if value.strip() else value
        placeholder = self.add(credentials.strip(), "credentials")
        password = _basic_password(credentials.strip()) if scheme.lower() == "basic" else None
        if password:
            self.add(password, "password")
        return f"{scheme} {placeholder}"

    def _body(self, text: str) -> str:
        """`text` with `Password` elements and properties replaced (and learned)."""
        text = _XML_PASSWORD.sub(lambda m: self._in_place(m, html.unescape(m.group(1))), text)
        return _JSON_PASSWORD.sub(lambda m: self._in_place(m, _json_string(m.group(1))), text)

    def _in_place(self, match: re.Match[str], raw: str) -> str:
        start, end = match.span(1)
        whole = match.group(0)
        offset = match.start(0)
        return whole[: start - offset] + self.add(raw, "password") + whole[end - offset :]

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._anywhere:
            self._pattern = re.compile(_trie_pattern(self._anywhere))
        return self._pattern

    def text(self, value: str) -> str:
        """`value` with every secret that is hunted everywhere replaced by its placeholder."""
        pattern = self._compiled()
        if pattern is None:
            return value
        return pattern.sub(lambda match: self._anywhere[match.group(0)], value)

    def _bytes(self, body: bytes) -> bytes:
        if not body:
            return body
        done = self._done.get(body) if self._done is not None else None
        if done is None:
            text = self._body(body.decode("utf-8", "surrogateescape"))
            done = self.text(text).encode("utf-8", "surrogateescape")
            if self._done is not None:
                self._done[body] = done
        return done

    def _headers(self, headers: Headers, before: bytes, after: bytes) -> Headers:
        redacted = tuple(
            (name, self.text(self._header(name.lower(), value))) for name, value in headers
        )
        return _recount(redacted, after) if after != before else redacted

    def redact_all(self, exchanges: Sequence[Exchange]) -> list[Exchange]:
        """The exchanges redacted, every one read first: a token first seen in a later
        response is still replaced in an earlier request."""
        for exchange in exchanges:
            self.learn(exchange)
        self._done = {}
        try:
            return [self.redact(exchange) for exchange in exchanges]
        finally:
            self._done = None  # one pass's memo, not a copy of every body for the run's life

    def redact(self, exchange: Exchange) -> Exchange:
        """The exchange with every known secret replaced."""
        request, response = exchange.request, exchange.response
        request_body, response_body = self._bytes(request.body), self._bytes(response.body)
        new_request = replace(
            request,
            url=self.text(request.url),
            headers=self._headers(request.headers, request.body, request_body),
            body=request_body,
        )
        new_response = replace(
            response,
            headers=self._headers(response.headers, response.body, response_body),
            body=response_body,
        )
        label, tags = self.text(exchange.label), tuple(map(self.text, exchange.tags))
        return replace(exchange, request=new_request, response=new_response, label=label, tags=tags)


def _trie_pattern(forms: Iterable[str]) -> str:
    """One pattern matching any of `forms`, the longest where several match at a place (so
    a secret is never half-replaced by a shorter one inside it).  Shaped as a prefix tree:
    a flat alternation of a run's few hundred forms tries each at every character of
    every body, several times slower on a run's megabyte of bodies."""
    root: dict[str, dict[str, Any]] = {}
    for form in forms:
        node = root
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}  # a form ends here
    return _branches(root)


def _branches(node: dict[str, dict[str, Any]]) -> str:
    children = [_chain(char, child) for char, child in node.items() if char]
    if not children:
        return ""
    either = children[0] if len(children) == 1 else f"(?:{'|'.join(children)})"
    # Where a form also ends here, the longer ones are tried first (a greedy `?`).
    return f"(?:{either})?" if "" in node else either


def _chain(char: str, node: dict[str, dict[str, Any]]) -> str:
    """`char`, then the run of characters below it up to the next fork or end of a form
    (walked, not recursed: a long secret must not reach the recursion limit)."""
    run = [char]
    while len(node) == 1 and "" not in node:
        ((char, node),) = node.items()
        run.append(char)
    return re.escape("".join(run)) + _branches(node)


def _json_string(escaped: str) -> str:
    try:
        return str(json.loads(f'"{escaped}"'))
    except ValueError:
        return escaped


def _basic_password(credentials: str) -> str | None:
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    _, separator, password = decoded.partition(":")
    return password if separator else None


def _recount(headers: Headers, body: bytes) -> Headers:
    """Headers with `Content-Length` matching `body`, where the header was present."""
    return tuple(
        (name, str(len(body)) if name.lower() == "content-length" else value)
        for name, value in headers
    )


def redact(exchanges: Sequence[Exchange], secrets: Iterable[str] = ()) -> list[Exchange]:
    """Exchanges with protocol secrets and the given `secrets` replaced by placeholders.

    All exchanges are read before any is redacted, so a token first seen in a later
    response is still replaced in an earlier request.
    """
    return Redactor(secrets).redact_all(exchanges)
