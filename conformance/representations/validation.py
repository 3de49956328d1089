"""Validation of XML bodies against the XSD and JSON bodies against the JSON Schemas."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml import etree

from conformance.errors import BodyError, UsageError
from conformance.evidence import Evidence
from conformance.protocol import JSON, XML
from conformance.representations.grounds import json_evidence, xml_evidence
from conformance.representations.jsoncodec import parse_json
from conformance.representations.xmlcodec import NS, local_name, parse_xml
from conformance.spec import XSD_FILE, load_json_schema, specs_dir
from conformance.views import view

if TYPE_CHECKING:  # jsonschema costs ~0.2 s to import: loaded on the first JSON validation
    import jsonschema
    import referencing

__all__ = [
    "RESOURCES",
    "ValidationResult",
    "Violation",
    "guess_json_resource",
    "guess_xml_resource",
    "sniff_media_type",
    "validate_body",
    "validate_json",
    "validate_xml",
]

RESOURCES = (
    "BackupJobSessions",
    "EnterpriseManager",
    "EntityRef",
    "EntityReferences",
    "Error",
    "Job",
    "JobCloneSpec",
    "Jobs",
    "LogonSession",
    "LogonSessions",
    "Task",
    "Tasks",
)

# XML roots that are another name for a resource.
_ROOT_ALIASES = {"Ref": "EntityRef"}

# A JSON document has no root element, so its resource is told by a property only it has.
_JSON_MARKERS = (
    ("tasks", "Tasks"),
    ("taskid", "Task"),
    ("operation", "Task"),
    ("refs", "EntityReferences"),
    ("logonsessions", "LogonSessions"),
    ("sessionid", "LogonSession"),
    ("supportedversions", "EnterpriseManager"),
    ("statuscode", "Error"),
    ("jobs", "Jobs"),
    ("backupjobsessions", "BackupJobSessions"),
    ("jobtype", "Job"),
    ("backupjobcloneinfo", "JobCloneSpec"),
    ("replicajobcloneinfo", "JobCloneSpec"),
    ("uid", "EntityRef"),
)


@dataclass(frozen=True)
class Violation:
    """One way a body breaks its schema: where, what is wrong, and the evidence of the
    constraint it breaks (None when the body breaks no particular constraint: unreadable,
    another resource, another namespace)."""

    path: str
    message: str
    evidence: Evidence | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    @property
    def documented(self) -> bool:
        """Whether the broken constraint may fail a target at MUST."""
        return self.evidence is None or self.evidence.documented


@dataclass(frozen=True)
class ValidationResult:
    resource: str
    media_type: str
    violations: tuple[Violation, ...]

    @property
    def valid(self) -> bool:
        return not self.violations


def _check_resource(resource: str) -> str:
    if resource not in RESOURCES:
        raise UsageError(f"Unknown resource {resource!r}; valid choices: {', '.join(RESOURCES)}.")
    return resource


@functools.cache
def _xsd() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    document = etree.parse(str(specs_dir() / XSD_FILE), parser=parser)
    return etree.XMLSchema(document)


def guess_xml_resource(root: etree._Element) -> str | None:
    name = local_name(root)
    name = _ROOT_ALIASES.get(name, name)
    return name if name in RESOURCES else None


def guess_json_resource(document: Any) -> str | None:
    if not isinstance(document, dict):
        return None
    keys = {str(key).lower() for key in document}
    if len(document) == 1:
        (only,) = keys
        wrapped = next((r for r in RESOURCES if r.lower() == only), None)
        if wrapped and isinstance(next(iter(document.values())), dict):
            return wrapped
    return next((resource for marker, resource in _JSON_MARKERS if marker in keys), None)


def _xml_violations(root: etree._Element, resource: str) -> list[Violation]:
    if etree.QName(root).namespace != NS:
        received = etree.QName(root).namespace or "no namespace"
        return [Violation(f"/{local_name(root)}", f"Expected namespace {NS}; received {received}.")]
    found = guess_xml_resource(root)
    if found != resource:
        return [
            Violation(
                f"/{local_name(root)}",
                f"Expected root element {resource}; received {local_name(root)}.",
            )
        ]
    schema = _xsd()
    if schema.validate(root):
        return []
    errors: list[Any] = list(schema.error_log)  # type: ignore[call-overload]
    return [
        Violation(error.path or "/", error.message, xml_evidence(root, error.path or ""))
        for error in errors
    ]


def validate_xml(body: bytes, resource: str | None = None) -> ValidationResult:
    """Validate an XML body; the resource is read off the root element when not given."""
    media = XML
    try:
        root = parse_xml(body)
    except BodyError as exc:
        return ValidationResult(resource or "unknown", media, (Violation("/", str(exc)),))
    name = _check_resource(resource) if resource else guess_xml_resource(root)
    if name is None:
        message = f"Expected a root element naming a resource ({', '.join(RESOURCES)}); received {local_name(root)}."
        return ValidationResult("unknown", media, (Violation("/", message),))
    return ValidationResult(name, media, tuple(_xml_violations(root, name)))


@functools.cache
def _registry() -> referencing.Registry[Any]:
    import referencing

    resources = []
    for path in sorted((specs_dir() / "json").glob("*.schema.json")):
        contents = json.loads(path.read_text("utf-8"))
        resources.append((contents["$id"], referencing.Resource.from_contents(contents)))
    return referencing.Registry().with_resources(resources)


@functools.cache
def _json_validator(resource: str) -> jsonschema.protocols.Validator:
    import jsonschema

    schema = load_json_schema(resource)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, registry=_registry(), format_checker=cls.FORMAT_CHECKER)


def _json_path(error: jsonschema.ValidationError) -> str:
    return "$" + "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
    )


def _specific(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For an anyOf/oneOf failure, the sub-error that says what is actually wrong."""
    if not error.context:
        return error
    # A branch that failed only on type ("not of type 'null'") says less than one that matched the type.
    telling = [sub for sub in error.context if sub.validator != "type"] or error.context
    from jsonschema.exceptions import best_match

    best = best_match(telling)
    return error if best is None else _specific(best)


def _json_violations(document: Any, resource: str) -> list[Violation]:
    if (
        isinstance(document, dict)
        and len(document) == 1
        and resource in document
        and resource not in ("Tasks", "Jobs", "LogonSessions", "BackupJobSessions")
    ):
        return [
            Violation(
                "$",
                f'Expected the {resource} properties at the top level; received them wrapped in {{"{resource}": ...}} (JSON drops the root element).',
            )
        ]
    errors = sorted(
        _json_validator(resource).iter_errors(document), key=lambda e: list(e.absolute_path)
    )
    return [_json_violation(_specific(error), resource) for error in errors]


def _json_violation(error: jsonschema.ValidationError, resource: str) -> Violation:
    path = error.absolute_schema_path
    evidence = json_evidence(load_json_schema(resource), _registry(), path)
    return Violation(_json_path(error), error.message, evidence)


def validate_json(body: bytes, resource: str | None = None) -> ValidationResult:
    """Validate a JSON body; the resource is told by its properties when not given."""
    media = JSON
    try:
        document = parse_json(body)
    except BodyError as exc:
        return ValidationResult(resource or "unknown", media, (Violation("$", str(exc)),))
    name = _check_resource(resource) if resource else guess_json_resource(document)
    if name is None:
        message = f"Expected the properties of a resource ({', '.join(RESOURCES)}); received none that names one."
        return ValidationResult("unknown", media, (Violation("$", message),))
    return ValidationResult(name, media, tuple(_json_violations(document, name)))


def sniff_media_type(body: bytes) -> str:
    """`application/json` or `application/xml`, by the first meaningful byte."""
    start = body.lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
    return JSON if start in (b"{", b"[") else XML


def validate_body(
    body: bytes, media_type: str | None = None, resource: str | None = None
) -> ValidationResult:
    """Validate `body` as XML or JSON, by `media_type` or by sniffing when it is not given."""
    kind = f"validation {media_type} {resource}"
    return view(body, kind, lambda: _validate_body(body, media_type, resource))


def _validate_body(body: bytes, media_type: str | None, resource: str | None) -> ValidationResult:
    media = (media_type or sniff_media_type(body)).split(";", 1)[0].strip().lower()
    if media.endswith("json"):
        return validate_json(body, resource)
    if media.endswith("xml"):
        return validate_xml(body, resource)
    raise UsageError(
        f"Unsupported media type {media_type!r}; valid choices: application/xml, application/json."
    )
