"""The checker: text in, findings out.  The one entry point that the CLI, the
language server and the runner's pre-flight share, so they agree."""

from __future__ import annotations

from dataclasses import dataclass

from olive_schema import codes
from olive_schema.findings import Finding, Severity
from olive_schema.jsontree import Document, parse
from olive_schema.rules import RULES
from olive_schema.schema_findings import schema_findings


@dataclass(frozen=True, slots=True)
class CheckResult:
    document: Document
    findings: list[Finding]

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def check_text(text: str) -> CheckResult:
    """Parse (tolerating errors) and check everything that can be checked."""
    doc = parse(text)
    return CheckResult(doc, check_document(doc))


def check_document(doc: Document) -> list[Finding]:
    findings = [Finding(codes.SYNTAX, Severity.ERROR, p.message, (), p.start, p.end) for p in doc.problems]
    if doc.root is not None and doc.root.kind == "object":
        config = doc.root.to_python()
        assert isinstance(config, dict)
        findings.extend(schema_findings(doc, config))
        for rule in RULES:
            findings.extend(rule(doc, config))
    findings.sort(key=lambda f: (f.start, f.code))
    return findings
