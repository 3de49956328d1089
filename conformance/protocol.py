"""EM's protocol facts, defined once: the session token's names, the media types, and
the rule that turns an `Accept` header into a format.

The emulator (which answers by these facts), the checks (which judge a server by them),
the client and the cassette tools all import this module; none of them restates a fact.
Sources: em-api-facts §2.4 (negotiation) and §3.1 (token), http_authentication.html,
em_web_api_specifications.html, and the field notes on Accept lists real clients send.
"""

from __future__ import annotations

from conformance.exchange import RecordedRequest, RecordedResponse, media_type

__all__ = [
    "JSON",
    "MEDIA_TYPES",
    "SESSION_COOKIE",
    "SESSION_HEADER",
    "XML",
    "accepted_media",
    "carried_token",
    "cookie_token",
    "issued_tokens",
    "negotiated_format",
    "negotiated_media",
    "sends_token",
    "token_cookie",
    "wants_json",
]

# The logon answers the token in this header and sets a cookie of the same name
# (`Path=/api`); later requests send either, and the cookie wins when both are sent.
SESSION_HEADER = "X-RestSvcSessionId"
SESSION_COOKIE = SESSION_HEADER

XML = "application/xml"
JSON = "application/json"
MEDIA_TYPES = {"xml": XML, "json": JSON}


def accepted_media(accept: str | None) -> frozenset[str]:
    """The bare media types an `Accept` header lists, lower-cased, parameters dropped."""
    return frozenset(media_type(entry) for entry in (accept or "").split(",")) - {""}


def wants_json(accept: str | None) -> bool:
    """Whether `accept` negotiates JSON: any `application/json` entry does, whatever its
    order or q-value; no Accept, `*/*`, `application/xml` or a vCloud-style
    `application/*+xml` give XML (em_web_api_specifications.html, field notes)."""
    return JSON in accepted_media(accept)


def negotiated_format(accept: str | None) -> str:
    """ "json" or "xml": the format an `Accept` header negotiates."""
    return "json" if wants_json(accept) else "xml"


def negotiated_media(accept: str | None) -> str:
    """`application/json` or `application/xml`: the media type `accept` negotiates."""
    return JSON if wants_json(accept) else XML


def cookie_token(header: str | None) -> str | None:
    """The session token in a `Cookie` header or a `Set-Cookie` value (name in any case),
    or None when there is no such cookie."""
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name.strip().lower() == SESSION_COOKIE.lower():
            return value.strip()
    return None


def token_cookie(token: str) -> str:
    """A `Cookie` header value carrying `token`."""
    return f"{SESSION_COOKIE}={token}"


def carried_token(request: RecordedRequest) -> str | None:
    """The token a request carries; the cookie wins over the header, as on EM."""
    return cookie_token(request.header("Cookie")) or request.header(SESSION_HEADER)


def sends_token(request: RecordedRequest) -> bool:
    """Whether the request sends a session token at all, as the header or the cookie
    (even an empty or malformed one: a probe for a bad token still sends one)."""
    if request.header(SESSION_HEADER):
        return True
    return f"{SESSION_COOKIE.lower()}=" in (request.header("Cookie") or "").lower()


def issued_tokens(response: RecordedResponse) -> set[str]:
    """The tokens a response hands out, in the header and in `Set-Cookie`."""
    tokens = {(response.header(SESSION_HEADER) or "").strip()}
    tokens |= {cookie_token(value) or "" for value in response.header_values("Set-Cookie")}
    return tokens - {""}
