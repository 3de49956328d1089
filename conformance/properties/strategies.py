"""Hypothesis strategies for the identifiers a hostile or careless client might send.

A job ID reaches the server as a path segment, so the strategies cover what real
clients get wrong (URNs instead of GUIDs, IDs cut out of an `Href` with the query
still attached, another platform's GUIDs) as well as plain garbage.
"""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import strategies as st

__all__ = ["job_ids", "untargeted_job_ids"]

# The utf-8 codec leaves out lone surrogates, which no HTTP client can send.
_SAFE = st.characters(codec="utf-8")


def _guids() -> st.SearchStrategy[str]:
    return st.uuids().map(str)


def _urns() -> st.SearchStrategy[str]:
    kinds = st.sampled_from(["Job", "NasJob", "AgentBackupJob", "BackupServer", ""])
    return st.builds(lambda kind, guid: f"urn:veeam:{kind}:{guid}", kinds, st.uuids())


def _guid_variants() -> st.SearchStrategy[str]:
    transforms = st.sampled_from(
        [
            str.upper,
            lambda g: "{" + g + "}",
            lambda g: g.replace("-", ""),
            lambda g: g + "?format=Entity",
            lambda g: g[:-1],
        ]
    )
    return st.builds(lambda guid, transform: transform(str(guid)), st.uuids(), transforms)


def job_ids() -> st.SearchStrategy[str]:
    """GUIDs, URNs, near-GUIDs, unicode, very long and empty IDs."""
    return st.one_of(
        _guids(),
        _urns(),
        _guid_variants(),
        st.text(_SAFE, max_size=40),
        st.text(st.sampled_from("abcdef0123456789-"), min_size=1000, max_size=5000),
        st.sampled_from(["", " ", "..", "%2e%2e", "null", "0", "-1", "task-1", "%00", "a/b"]),
    )


def untargeted_job_ids(protected: Iterable[str]) -> st.SearchStrategy[str]:
    """Job IDs that are none of `protected`: a request with one must delete nothing."""
    known = {item.lower() for item in protected}
    return job_ids().filter(lambda candidate: candidate.strip().lower() not in known)
