"""Representations: hardened parsing, validation, XML-to-JSON mapping and comparison."""

from conformance.representations.compare import json_differences, xml_canonical, xml_differences
from conformance.representations.jsoncodec import UTF8_BOM, dump_json, parse_json
from conformance.representations.mapping import element_to_json
from conformance.representations.validation import (
    RESOURCES,
    ValidationResult,
    Violation,
    guess_json_resource,
    guess_xml_resource,
    sniff_media_type,
    validate_body,
    validate_json,
    validate_xml,
)
from conformance.representations.variants import as_nested, supported_versions_form
from conformance.representations.xmlcodec import NS, dump_xml, local_name, parse_xml, qname

__all__ = [
    "NS",
    "RESOURCES",
    "UTF8_BOM",
    "ValidationResult",
    "Violation",
    "as_nested",
    "dump_json",
    "dump_xml",
    "element_to_json",
    "guess_json_resource",
    "guess_xml_resource",
    "json_differences",
    "local_name",
    "parse_json",
    "parse_xml",
    "qname",
    "sniff_media_type",
    "supported_versions_form",
    "validate_body",
    "validate_json",
    "validate_xml",
    "xml_canonical",
    "xml_differences",
]
