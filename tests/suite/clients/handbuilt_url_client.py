"""A client that builds task URLs from the API root and the TaskId, not from the Href.

Real clients do this (field notes) and break when EM sits behind a reverse proxy or
is reached by another name: the Href then differs from what string-building gives.
Otherwise well-behaved: XML, one-second polls, a failed task reported, logout.
"""

from __future__ import annotations

import os
import sys
import time
from xml.etree import ElementTree

import requests

NS = "{http://www.veeam.com/ent/v1.0}"


def main() -> int:
    api = os.environ["EM_URL"].rstrip("/")
    http = requests.Session()
    http.headers["Accept"] = "application/xml"
    logon = http.post(
        f"{api}/sessionMngr/?v=latest", auth=(os.environ["EM_USERNAME"], os.environ["EM_PASSWORD"])
    )
    if logon.status_code != 201:
        print(f"error: logon answered {logon.status_code}", file=sys.stderr)
        return 1
    http.headers["X-RestSvcSessionId"] = logon.headers["X-RestSvcSessionId"]
    session_id = ElementTree.fromstring(logon.content).findtext(f"{NS}SessionId")
    try:
        refs = ElementTree.fromstring(http.get(f"{api}/jobs").content)
        job = next(refs.iter(f"{NS}Ref")).get("UID", "").rsplit(":", 1)[-1]
        task = ElementTree.fromstring(http.delete(f"{api}/jobs/{job}").content)
        task_url = f"{api}/tasks/{task.findtext(f'{NS}TaskId')}"  # built, not followed
        while task.findtext(f"{NS}State") != "Finished":
            time.sleep(1)
            answer = http.get(task_url)
            if answer.status_code != 200:
                print(f"error: {task_url} answered {answer.status_code}", file=sys.stderr)
                return 1
            task = ElementTree.fromstring(answer.content)
    finally:
        http.delete(f"{api}/logonSessions/{session_id}")
    result = task.find(f"{NS}Result")
    ok = result is not None and result.get("Success") == "true"
    print(
        f"deleted job {job}" if ok else f"error: deleting job {job} failed",
        file=sys.stdout if ok else sys.stderr,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
