"""A small Python EM client, as the README shows it: delete the first job, wait, log out.

Importable (`delete_first_job`, for tests replaying a cassette in-process) and runnable
(`python python_client.py [--json]`, reading EM_URL, EM_USERNAME, EM_PASSWORD and
EM_CA_FILE, for `validate-client`).  It follows the Task's Href, backs off while
polling, waits out a 503's Retry-After, reports a failed task, and stops with one clear
line (never a traceback) on anything it cannot work with.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

import requests

NS = "{http://www.veeam.com/ent/v1.0}"
MAX_WAIT = 30.0
MAX_BUSY_RETRIES = 3
# Each wait 2.5 times the last: back-off that stays plain when request latency is added.
BACKOFF = 2.5


class ClientError(Exception):
    """The server answered something this client cannot work with."""


def _xml(content: bytes) -> dict[str, Any]:
    root = ElementTree.fromstring(content)
    result = root.find(f"{NS}Result")
    return {
        "Href": root.get("Href"),
        "State": root.findtext(f"{NS}State"),
        "Links": [dict(link.attrib) for link in root.iter(f"{NS}Link")],
        "Result": None if result is None else {"Success": result.get("Success") == "true"},
        "Refs": [{"UID": ref.get("UID")} for ref in root.iter(f"{NS}Ref")],
    }


def document(answer: requests.Response, fmt: str, *, href: bool = True) -> dict[str, Any]:
    """The body as a dict; a resource without an Href is refused, as a real client must."""
    try:
        found = answer.json() if fmt == "json" else _xml(answer.content)
    except (ValueError, ElementTree.ParseError) as exc:
        raise ClientError(
            f"{answer.request.method} {answer.url}: unreadable body ({exc})"
        ) from None
    if not isinstance(found, dict) or (href and not found.get("Href")):
        raise ClientError(f"{answer.url}: no Href in the answer ({str(found)[:80]})")
    return found


class Client:
    """One logon session; every call checks its status and waits out 503 Retry-After."""

    def __init__(self, api: str, fmt: str, sleep: Callable[[float], None] = time.sleep) -> None:
        self.api, self.fmt, self.sleep = api.rstrip("/"), fmt, sleep
        self.http = requests.Session()
        self.http.verify = os.environ.get("EM_CA_FILE") or True
        self.http.headers["Accept"] = f"application/{fmt}"

    def call(self, method: str, url: str, expected: int, **kwargs: Any) -> requests.Response:
        for _ in range(MAX_BUSY_RETRIES):
            answer = self.http.request(method, url, timeout=10, **kwargs)
            if answer.status_code != 503:
                break
            self.sleep(float(answer.headers.get("Retry-After", "1")))
        if answer.status_code != expected:
            raise ClientError(f"{method} {url} answered {answer.status_code}, expected {expected}")
        return answer

    def log_on(self, username: str, password: str) -> str:
        answer = self.call(
            "POST", f"{self.api}/sessionMngr/?v=latest", 201, auth=(username, password)
        )
        self.http.headers["X-RestSvcSessionId"] = answer.headers["X-RestSvcSessionId"]
        me = document(answer, self.fmt)
        return str(next(link["Href"] for link in me["Links"] if link["Rel"] == "Delete"))

    def wait(self, task: dict[str, Any]) -> dict[str, Any]:
        delay, waited = 0.25, 0.0
        while task["State"] != "Finished":
            if waited > MAX_WAIT:
                raise ClientError(f"task {task['Href']} did not finish within {MAX_WAIT:g} s")
            self.sleep(delay)
            waited, delay = waited + delay, min(delay * BACKOFF, 5.0)
            task = document(self.call("GET", task["Href"], 200), self.fmt)
        return task


def delete_first_job(client: Client, username: str, password: str) -> str:
    """Delete the first job listed; returns its ID, raises ClientError if that failed."""
    logout = client.log_on(username, password)
    try:
        refs = document(client.call("GET", f"{client.api}/jobs", 200), client.fmt, href=False)
        job_id = str(refs["Refs"][0]["UID"]).rsplit(":", 1)[-1]
        accepted = client.call("DELETE", f"{client.api}/jobs/{job_id}", 202)
        task = client.wait(document(accepted, client.fmt))
        if not (task.get("Result") or {}).get("Success"):
            raise ClientError(f"deleting job {job_id} failed: {task.get('Result')}")
        return job_id
    finally:
        client.http.delete(logout, timeout=10)


def main() -> int:
    client = Client(os.environ["EM_URL"], "json" if "--json" in sys.argv else "xml")
    try:
        job_id = delete_first_job(client, os.environ["EM_USERNAME"], os.environ["EM_PASSWORD"])
    except (ClientError, requests.RequestException) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"deleted job {job_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
