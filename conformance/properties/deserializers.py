"""An XML response deserializer for schemathesis, so response-schema checks cover XML.

The project's OpenAPI schemas describe the JSON shape; an XML body is parsed with the
hardened parser and mapped to that shape with the same rule Veeam's JSON follows, so
one schema judges both formats.  Registering replaces schemathesis's own XML reader for
`application/xml`, which would otherwise parse server XML without our protections.
"""

from __future__ import annotations

from typing import Any

import schemathesis

from conformance.protocol import XML
from conformance.representations.mapping import element_to_json
from conformance.representations.xmlcodec import parse_xml

__all__ = ["deserialize_em_xml", "register_xml_deserializer"]


def deserialize_em_xml(
    _context: schemathesis.DeserializationContext, response: schemathesis.Response
) -> Any:
    return element_to_json(parse_xml(response.content))


def register_xml_deserializer() -> None:
    """Idempotent: schemathesis keeps one deserializer per media type."""
    schemathesis.deserializer(XML, "text/xml")(deserialize_em_xml)
