"""Delete a job and wait for its task, using the published `veeam-em` client library.

Written the way the library's API invites: it has no polling helper, so the task is
polled in a plain loop, and no logout method, so the session is left open.  Reads
EM_URL (the API root), EM_USERNAME and EM_PASSWORD; EM_CA_FILE for TLS.
"""

from __future__ import annotations

import os
import sys

from veeam_em.manager import VeeamEm


def main() -> int:
    api_root = os.environ["EM_URL"].rstrip("/")
    em = VeeamEm(
        api_endpoint=api_root.removesuffix("/api"), ssl_verify=os.environ.get("EM_CA_FILE") or False
    )
    em.get_token(os.environ["EM_USERNAME"], os.environ["EM_PASSWORD"])
    jobs = em.request("/jobs") or {}
    job_id = jobs["Refs"][0]["UID"].rsplit(":", 1)[-1]
    task = em.request(f"/jobs/{job_id}", method=em.DELETE) or {}
    while task.get("State") != "Finished":
        task = em.request(task["Href"]) or {}
    result = task.get("Result") or {}
    print(f"deleted job {job_id}: {task['State']}, success={result.get('Success')}")
    return 0 if result.get("Success") else 1


if __name__ == "__main__":
    sys.exit(main())
