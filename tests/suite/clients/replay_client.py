"""An in-process client for replay tests: log on, delete a job, follow its task, log out.

Strict about what it is told: a 202 for the delete, a Task with an Href, a poll that
ends at Finished within a bounded number of polls.  It raises `ClientNoticed` when
the server breaks one of those, which is how a replayed fault shows up in a client.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree

import requests

NS = "{http://www.veeam.com/ent/v1.0}"
MAX_POLLS = 50


class ClientNoticed(Exception):
    """The server answered something this client cannot work with."""


def _document(answer: requests.Response, fmt: str) -> dict[str, Any]:
    if fmt == "json":
        try:
            # Strict, as many clients are: a byte-order mark is not JSON (field notes).
            document = json.loads(answer.content.decode("utf-8"))
        except ValueError as exc:
            raise ClientNoticed(f"not JSON: {exc}") from None
        if not isinstance(document, dict) or "Href" not in document:
            raise ClientNoticed(
                f"no Href in {sorted(document) if isinstance(document, dict) else document!r}"
            )
        return document
    root = ElementTree.fromstring(answer.content)
    links = [dict(link.attrib) for link in root.iter(f"{NS}Link")]
    return {"Href": root.get("Href"), "State": root.findtext(f"{NS}State"), "Links": links}


def delete_job(api: str, job_id: str, fmt: str) -> str:
    """Delete `job_id` through the API at `api`; returns the task's final State."""
    session = requests.Session()
    session.headers["Accept"] = f"application/{fmt}"
    logon = session.post(
        f"{api}/sessionMngr/?v=latest", auth=("administrator", "unused-in-replay"), timeout=5
    )
    if logon.status_code != 201:
        raise ClientNoticed(f"logon answered {logon.status_code}")
    session.headers["X-RestSvcSessionId"] = logon.headers["X-RestSvcSessionId"]
    me = _document(logon, fmt)
    accepted = session.delete(f"{api}/jobs/{job_id}", timeout=5)
    if accepted.status_code != 202:
        raise ClientNoticed(f"delete answered {accepted.status_code}, not 202")
    task = _document(accepted, fmt)
    for _ in range(MAX_POLLS):
        if task.get("State") == "Finished":
            break
        task = _document(session.get(task["Href"], timeout=5), fmt)
    else:
        raise ClientNoticed(f"task {task['Href']} never finished")
    session.delete(next(link["Href"] for link in me["Links"] if link["Rel"] == "Delete"), timeout=5)
    return str(task["State"])
