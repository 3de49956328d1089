"""A naive JSON client that trusts every answer: under a fault it dies with a traceback.

It indexes the documents it gets without checking them (`task["Href"]`), so EM 13's
camelCase JSON (`href`) ends it with `KeyError`, as the field notes report of real
scripts.  Otherwise it deletes the first job, polls once a second and logs out.
"""

from __future__ import annotations

import os
import sys
import time

import requests


def main() -> int:
    api = os.environ["EM_URL"].rstrip("/")
    http = requests.Session()
    http.headers["Accept"] = "application/json"
    logon = http.post(
        f"{api}/sessionMngr/?v=latest", auth=(os.environ["EM_USERNAME"], os.environ["EM_PASSWORD"])
    )
    http.headers["X-RestSvcSessionId"] = logon.headers["X-RestSvcSessionId"]
    logout = next(link["Href"] for link in logon.json()["Links"] if link["Rel"] == "Delete")
    job = http.get(f"{api}/jobs").json()["Refs"][0]["UID"].rsplit(":", 1)[-1]
    task = http.delete(f"{api}/jobs/{job}").json()
    while task["State"] != "Finished":
        time.sleep(1)
        task = http.get(task["Href"]).json()
    http.delete(logout)
    return 0 if task["Result"]["Success"] else 1


if __name__ == "__main__":
    sys.exit(main())
