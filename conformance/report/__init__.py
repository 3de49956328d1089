"""Reports of a run: the printed summary, the JSON report with its traceability matrix,
and JUnit XML."""

from __future__ import annotations

from conformance.report.junit import junit_xml, write_junit
from conformance.report.matrix import build_report, write_report
from conformance.report.summary import render_summary

__all__ = ["build_report", "junit_xml", "render_summary", "write_junit", "write_report"]
