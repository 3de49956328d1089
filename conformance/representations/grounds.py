"""Grounds of schema constraints: the evidence nearest to the part of a schema that failed.

JSON Schemas carry `x-evidence` on every node that constrains; a jsonschema error names
the path of the failing keyword, so the evidence is the last `x-evidence` met walking
that path from the root (across `$ref`s).  The XSD carries `em:evidence` in
`xs:annotation/xs:appinfo` on every global element and named type; an lxml error names
the failing element, so its evidence is that of the element's type, or of the nearest
annotated type above it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from lxml import etree

from conformance.evidence import ANNOTATION, Evidence
from conformance.representations.xmlcodec import local_name
from conformance.spec import XSD_FILE, specs_dir

if TYPE_CHECKING:  # only a type here; importing it costs ~0.1 s
    import referencing

__all__ = ["EVIDENCE_NS", "json_evidence", "xml_evidence", "xsd_annotations"]

EVIDENCE_NS = "https://em-conformance.invalid/evidence"
_XS = "http://www.w3.org/2001/XMLSchema"


def _read(node: Any) -> Evidence | None:
    if isinstance(node, dict) and ANNOTATION in node:
        return Evidence.from_annotation(node[ANNOTATION])
    return None


def json_evidence(
    schema: dict[str, Any], registry: referencing.Registry[Any], path: Iterable[str | int]
) -> Evidence | None:
    """The `x-evidence` nearest to the keyword at `path` (a jsonschema schema path)."""
    resolver = registry.resolver(base_uri=str(schema.get("$id", "")))
    node: Any = schema
    found = _read(node)
    for part in path:
        if isinstance(node, dict) and "$ref" in node and (part == "$ref" or part not in node):
            resolved = resolver.lookup(str(node["$ref"]))
            node, resolver = resolved.contents, resolved.resolver
            found = _read(node) or found
            if part == "$ref":
                continue
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        found = _read(node) or found
    return found


def _annotation(declaration: etree._Element) -> Evidence | None:
    mark = declaration.find(f"{{{_XS}}}annotation/{{{_XS}}}appinfo/{{{EVIDENCE_NS}}}evidence")
    return None if mark is None else Evidence.from_annotation(dict(mark.attrib))


class _XsdIndex:
    """Which type each element has, and the evidence of each annotated declaration."""

    def __init__(self, document: etree._Element) -> None:
        self.globals: dict[str, str] = {}
        self.children: dict[tuple[str, str], str] = {}
        self.bases: dict[str, str] = {}
        self.evidence: dict[str, Evidence] = {}
        for element in document.iterfind(f"{{{_XS}}}element"):
            self.globals[element.get("name", "")] = element.get("type", "")
            self._note("element:" + element.get("name", ""), element)
        for kind in ("complexType", "simpleType"):
            for declared in document.iterfind(f"{{{_XS}}}{kind}"):
                self._index_type(declared)

    def _note(self, key: str, declaration: etree._Element) -> None:
        evidence = _annotation(declaration)
        if evidence is not None:
            self.evidence[key] = evidence

    def _index_type(self, declared: etree._Element) -> None:
        name = declared.get("name", "")
        self._note(name, declared)
        for extension in declared.iter(f"{{{_XS}}}extension"):
            self.bases[name] = extension.get("base", "")
        for element in declared.iter(f"{{{_XS}}}element"):
            self.children[(name, element.get("name", ""))] = element.get("type", "")

    def child_type(self, parent: str, child: str) -> str | None:
        while parent:
            found = self.children.get((parent, child))
            if found is not None:
                return found
            parent = self.bases.get(parent, "")
        return None

    def type_evidence(self, name: str) -> Evidence | None:
        while name and name not in self.evidence:
            name = self.bases.get(name, "")
        return self.evidence.get(name)


@functools.cache
def _xsd_index() -> _XsdIndex:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return _XsdIndex(etree.parse(str(specs_dir() / XSD_FILE), parser=parser).getroot())


def xsd_annotations() -> dict[str, Evidence]:
    """Every annotated declaration of the XSD: named types, and global elements as
    `element:<Name>`."""
    return dict(_xsd_index().evidence)


def _element_names(root: etree._Element, path: str) -> Sequence[str]:
    try:
        found = etree.ElementTree(root).xpath(path) if path else []
    except etree.XPathError:
        found = []
    if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
        return [local_name(root)]
    chain = [found[0], *found[0].iterancestors()]
    return [local_name(element) for element in reversed(chain)]


def xml_evidence(root: etree._Element, path: str) -> Evidence | None:
    """The evidence of the element an lxml error `path` names, or of its nearest ancestor
    whose type is annotated."""
    index = _xsd_index()
    first, *rest = _element_names(root, path)
    current = index.globals.get(first, "")
    evidence = index.evidence.get("element:" + first) or index.type_evidence(current)
    for name in rest:
        child = index.child_type(current, name)
        if not child or child.startswith("xs:"):
            break
        current = child
        evidence = index.type_evidence(current) or evidence
    return evidence
