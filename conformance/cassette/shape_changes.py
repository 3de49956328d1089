"""What changed between two body shapes, named as a client would feel it.

One cause, one change: a renamed key moves its children with it (EM 13's camelCase),
a new XML namespace moves every element (`/Task` becomes `/{...v1.1}Task`), a JSON
body wrapped in its root element moves every key under `$.Task`; each is reported
once, at the top, not once per path it moved.  A list or element that is empty this
time (no jobs in a job list) is noise, not a removed key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from conformance.cassette.shape import Shape

__all__ = ["Change", "parent", "shape_changes"]

Change = tuple[str, str, str, str]
"""kind, where, old, new"""

_NAMESPACE = re.compile(r"\{([^}]*)\}")
_EM_NAMESPACE = "http://www.veeam.com/ent/v1.0"


def parent(path: str) -> str:
    # A step may carry a namespace, `{http://www.veeam.com/ent/v1.1}Task`, dots and all.
    return re.sub(r"(\[\]|[./](\{[^}]*\})?[^./\[{]*)$", "", path)


def _last_step(path: str) -> str:
    return re.split(r"[./]", _NAMESPACE.sub("", path))[-1]


def _emptied(path: str, other: Shape) -> bool:
    """Whether `path` is missing from `other` only because its parent there is an empty
    list or element."""
    above = parent(path)
    return above in other and not any(parent(p) == above for p in other if p != above)


def _topmost(paths: Iterable[str]) -> list[str]:
    """Paths whose parent is not among them: a removed element, not also its children."""
    chosen = sorted(paths)
    kept = set(chosen)
    return [path for path in chosen if parent(path) not in kept]


def _renames(removed: list[str], added: list[str]) -> dict[str, str]:
    """Removed paths whose new spelling differs only in letter case."""
    by_folded: dict[str, str] = {path.casefold(): path for path in added}
    return {path: by_folded[path.casefold()] for path in removed if path.casefold() in by_folded}


def _namespace(removed: list[str], added: list[str]) -> Change | None:
    """Every element moved to another namespace (or out of one): one change."""
    plain = {_NAMESPACE.sub("", path): path for path in added}
    if not removed or any(path not in plain for path in (_NAMESPACE.sub("", p) for p in removed)):
        return None
    was = (_NAMESPACE.findall(removed[0]) or [_EM_NAMESPACE])[0]
    now = (_NAMESPACE.findall(plain[_NAMESPACE.sub("", removed[0])]) or [_EM_NAMESPACE])[0]
    return ("namespace changed", _NAMESPACE.sub("", removed[0]), was, now) if was != now else None


def _wrapping(was: Shape, now: Shape) -> Change | None:
    """A JSON body that gained (or lost) a wrapper named after its root element."""
    for outer, inner, kind in ((now, was, "root wrapped"), (was, now, "root unwrapped")):
        roots = {p.split(".")[1].removesuffix("[]") for p in outer if p.count(".") >= 1}
        if len(roots) != 1 or not all(p.startswith("$") for p in inner):
            continue
        root = roots.pop()
        moved = {"$" + p[len(f"$.{root}") :] for p in outer if p.startswith(f"$.{root}")}
        if len(inner) > 1 and set(inner) <= moved:
            return (
                (kind, "$", "$", f"$.{root}")
                if kind == "root wrapped"
                else (kind, "$", f"$.{root}", "$")
            )
    return None


def _plain(shape: Shape) -> Shape:
    return {_NAMESPACE.sub("", path): types for path, types in shape.items()}


def _unwrapped(shape: Shape) -> Shape:
    roots = {p.split(".")[1] for p in shape if p.count(".") >= 1}
    if len(roots) != 1 or not any(p.count(".") >= 2 for p in shape):
        return shape
    prefix = f"$.{roots.pop()}"
    inner = {"$" + p[len(prefix) :]: t for p, t in shape.items() if p.startswith(prefix)}
    return inner if "$" in inner else shape


def shape_changes(was: Shape, now: Shape) -> list[Change]:
    """Every change from shape `was` to shape `now`, one per cause."""
    removed, added = sorted(was.keys() - now.keys()), sorted(now.keys() - was.keys())
    moved = _namespace(removed, added)
    if moved is not None:  # the move, then whatever else changed inside
        return [moved, *shape_changes(_plain(was), _plain(now))]
    moved = _wrapping(was, now)
    if moved is not None:
        if moved[0] == "root wrapped":
            return [moved, *shape_changes(was, _unwrapped(now))]
        return [moved, *shape_changes(_unwrapped(was), now)]
    renamed = _renames(removed, added)
    found: list[Change] = [
        ("key renamed", old, old, new)
        for old, new in renamed.items()
        # `$.Links[]` and `$.Result.Success` move with a renamed parent: one entry each.
        if _last_step(old) != _last_step(new) and not old.endswith("[]")
    ]
    for path in _topmost(p for p in removed if p not in renamed):
        kind = "collection emptied" if _emptied(path, now) else "key removed"
        found.append((kind, path, "present", "absent"))
    for path in _topmost(p for p in added if p not in renamed.values()):
        kind = "collection filled" if _emptied(path, was) else "key added"
        found.append((kind, path, "absent", "present"))
    for path in sorted(was.keys() & now.keys()):
        if was[path] != now[path]:
            found.append(
                ("type changed", path, "|".join(sorted(was[path])), "|".join(sorted(now[path])))
            )
    return found
