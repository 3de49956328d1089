"""The XML-to-JSON shape mapping that Veeam's JSON representation follows.

No Veeam page states the rules; they are read off the documented twins
(resource_representation_for_ke.html, representation_collections.html) and the
community captures, see specs/README.md:

- the root element is dropped: the document is the root's content;
- attributes become ordinary PascalCase properties, after the child elements;
- `Links` becomes an array of link objects; absent link attributes are omitted;
- a list wrapper becomes an object keyed by the plural of its item name
  (`<Tasks><Task/>` -> `{"Tasks": [...]}`, `<EntityReferences><Ref/>` -> `{"Refs": [...]}`),
  except wrappers the docs show as bare arrays (`Links`, folder lists); an empty
  nested wrapper holds null, an empty top-level collection an empty array;
- repeated simple elements become arrays; text beside attributes becomes `Value`;
- `true`/`false` become booleans and integers numbers, except in fields that are text.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from conformance.representations.xmlcodec import local_name

__all__ = ["element_to_json", "plural"]

# Wrappers rendered as a bare JSON array of their items.
_BARE_ARRAYS = frozenset({"Links", "IncludedIndexingFolders", "ExcludedIndexingFolders"})

# Wrappers rendered as {"<Item>s": [...]}, with the item name for when they are empty.
_WRAPPED_LISTS = {
    "Tasks": "Task",
    "LogonSessions": "LogonSession",
    "EntityReferences": "Ref",
    "Jobs": "Job",
    "BackupJobSessions": "BackupJobSession",
    "SupportedVersions": "SupportedVersion",
    "CloudTenants": "CloudTenant",
    "Resources": "CloudTenantResource",
    "ComputeResources": "CloudTenantComputeResource",
    "VCloudComputeResources": "CloudTenantVCloudComputeResource",
    "Includes": "ObjectInJob",
    "StorageResourceStats": "StorageResourceStat",
    "TimePeriods": "Day",
    "Schedule": "Day",
}

# Fields that carry text even when it looks like a number or a boolean.
_TEXT_FIELDS = frozenset(
    {
        "Name", "UID", "Href", "Type", "Rel", "Id", "Message", "Description", "TaskId",
        "SessionId", "UserName", "DisplayName", "JobName", "Value", "Operation", "State",
        "FirstChanceExceptionMessage", "StackTrace", "Status", "Username", "Path",
    }
)  # fmt: skip

# Attributes come last, in the order of the documented JSON examples.
_TRAILING_ATTRIBUTES = ("Name", "UID", "Links", "Href", "Type")

_INTEGER = re.compile(r"-?(0|[1-9][0-9]{0,17})")


def plural(item_name: str) -> str:
    return item_name + "s"


def _scalar(name: str, text: str) -> Any:
    if name in _TEXT_FIELDS:
        return text
    if text in ("true", "false"):
        return text == "true"
    if _INTEGER.fullmatch(text):
        return int(text)
    return text


def _children_by_name(element: etree._Element) -> dict[str, list[etree._Element]]:
    groups: dict[str, list[etree._Element]] = {}
    for child in element:
        if isinstance(child.tag, str):
            groups.setdefault(local_name(child), []).append(child)
    return groups


def _bare_array(element: etree._Element) -> list[Any]:
    return [_value(child) for child in element if isinstance(child.tag, str)]


def _wrapped_list(element: etree._Element, *, empty: list[Any] | None) -> dict[str, Any]:
    groups = _children_by_name(element)
    if not groups:
        return {plural(_WRAPPED_LISTS[local_name(element)]): empty}
    return {plural(name): [_value(item) for item in items] for name, items in groups.items()}


def _value(element: etree._Element) -> Any:
    name = local_name(element)
    if name in _BARE_ARRAYS:
        return _bare_array(element)
    if name in _WRAPPED_LISTS:
        # An empty nested list is null in the documented twins (ComputeResources).
        return _wrapped_list(element, empty=None)
    has_children = any(isinstance(child.tag, str) for child in element)
    if not has_children and not element.attrib:
        return _scalar(name, (element.text or "").strip())
    document = _content(element)
    if not has_children and (element.text or "").strip():
        document["Value"] = element.text.strip() if element.text else ""
    return document


def _content(element: etree._Element) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for name, items in _children_by_name(element).items():
        if len(items) > 1 and name not in _BARE_ARRAYS and name not in _WRAPPED_LISTS:
            document[name] = [_value(item) for item in items]
        else:
            document[name] = _value(items[0])
    for attribute, text in element.attrib.items():
        name = etree.QName(attribute).localname
        document[name] = _scalar(name, str(text))
    for name in _TRAILING_ATTRIBUTES:
        if name in document:
            document[name] = document.pop(name)
    return document


def element_to_json(root: etree._Element) -> Any:
    """The JSON document Veeam renders for the XML document rooted at `root`."""
    name = local_name(root)
    if name in _WRAPPED_LISTS:
        # No twin shows an empty top-level collection; [] keeps `for item in ...` working.
        return _wrapped_list(root, empty=[])
    return _content(root)
