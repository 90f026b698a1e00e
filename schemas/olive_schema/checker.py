"""The checker: text in, findings out.  The one entry point that the CLI, the
language server and the runner's pre-flight share, so they agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from olive_schema import codes, versions
from olive_schema.file_checks import file_findings
from olive_schema.findings import Finding, Severity
from olive_schema.jsontree import Document, parse
from olive_schema.rules import RULES
from olive_schema.schema_findings import schema_findings
from olive_schema.version_rules import adjust


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """``olive_version``: the release to check against (None: the newest known).
    ``base_dir``: the config's folder, for the checks that look at files (None: skip them)."""

    olive_version: str | None = None
    base_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class CheckResult:
    document: Document
    findings: list[Finding]
    olive_version: str = field(default="")

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def check_text(text: str, options: CheckOptions | None = None) -> CheckResult:
    """Parse (tolerating errors) and check everything that can be checked."""
    options = options or CheckOptions()
    version = options.olive_version or versions.newest()
    doc = parse(text)
    return CheckResult(doc, check_document(doc, version, options.base_dir), version)


def check_document(doc: Document, version: str, base_dir: Path | None = None) -> list[Finding]:
    findings = [Finding(codes.SYNTAX, Severity.ERROR, p.message, (), p.start, p.end) for p in doc.problems]
    if doc.root is not None and doc.root.kind == "object":
        config = doc.root.to_python()
        assert isinstance(config, dict)
        findings.extend(adjust(doc, schema_findings(doc, config, version), version))
        for rule in RULES:
            findings.extend(rule(doc, config, version))
        if base_dir is not None:
            findings.extend(file_findings(doc, config, base_dir))
    findings.sort(key=lambda f: (f.start, f.code))
    return findings
