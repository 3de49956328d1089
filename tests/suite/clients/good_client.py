"""A small, well-behaved EM client written for the tests: delete one job, wait, log out.

It logs on with Basic credentials, sends the token on every call, asks for one format,
follows the Task's Href, polls with a doubling back-off until Finished, reports a
task that finished Success=false, and deletes its logon session.  Reads EM_URL (the
API root), EM_USERNAME, EM_PASSWORD and EM_CA_FILE; `--json` asks for JSON, `--job ID`
deletes that job instead of the first one listed.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import requests

MAX_WAIT = 20.0


def _body(answer: requests.Response, json: bool, resource: bool = True) -> dict[str, Any]:
    """The answer's document; a resource (Task, LogonSession) must carry its Href."""
    if json:
        document = answer.json()
        if resource and "Href" not in document:
            raise SystemExit(f"server answered without an Href: {sorted(document)}")
        return dict(document)
    from xml.etree import ElementTree

    root = ElementTree.fromstring(answer.content)
    ns = "{http://www.veeam.com/ent/v1.0}"
    result = root.find(f"{ns}Result")
    return {
        "Href": root.get("Href"),
        "State": root.findtext(f"{ns}State"),
        "Links": [dict(link.attrib) for link in root.iter(f"{ns}Link")],
        "Result": None if result is None else {"Success": result.get("Success") == "true"},
        "Refs": [{"UID": ref.get("UID")} for ref in root.iter(f"{ns}Ref")],
    }


def _argument(name: str) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


def main() -> int:
    json = "--json" in sys.argv
    api = os.environ["EM_URL"].rstrip("/")
    session = requests.Session()
    session.verify = os.environ.get("EM_CA_FILE") or True
    session.headers["Accept"] = "application/json" if json else "application/xml"
    logon = session.post(
        f"{api}/sessionMngr/?v=latest", auth=(os.environ["EM_USERNAME"], os.environ["EM_PASSWORD"])
    )
    logon.raise_for_status()
    session.headers["X-RestSvcSessionId"] = logon.headers["X-RestSvcSessionId"]
    me = _body(logon, json)
    try:
        return delete_first_job(session, api, json)
    finally:
        delete = next(link["Href"] for link in me["Links"] if link["Rel"] == "Delete")
        session.delete(delete)


def delete_first_job(session: requests.Session, api: str, json: bool) -> int:
    job_id = _argument("--job")
    if job_id is None:
        refs = _body(session.get(f"{api}/jobs"), json, resource=False)["Refs"]
        job_id = refs[0]["UID"].rsplit(":", 1)[-1]
    task = _body(session.delete(f"{api}/jobs/{job_id}"), json)
    delay, waited = 0.1, 0.0
    while task["State"] != "Finished":
        if waited > MAX_WAIT:
            print(f"task {task['Href']} did not finish within {MAX_WAIT} s")
            return 3
        time.sleep(delay)
        waited += delay
        delay = min(delay * 2, 5.0)
        task = _body(session.get(task["Href"]), json)
    if not (task["Result"] or {}).get("Success"):
        print(f"deleting job {job_id} failed")
        return 1
    print(f"deleted job {job_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
