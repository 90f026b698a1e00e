"""Findings as LSP diagnostics, with ranges in the client's position encoding.

Each diagnostic carries its fixes in ``data`` so that code actions can offer
them without checking the document again.  Severity overrides from the
settings (``oliveStudio.severity``) apply here, per finding code.
"""

from __future__ import annotations

from lsprotocol import types
from olive_schema.findings import Finding, Severity

from olive_lsp.analysis import Analysis
from olive_lsp.settings import SEVERITIES, Settings

SOURCE = "olive-studio"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def diagnostics_for(analysis: Analysis, settings: Settings) -> list[types.Diagnostic]:
    """Diagnostics for an Olive config; none for other JSON documents."""
    if not analysis.is_olive:
        return []
    out = []
    for finding in analysis.result.findings:
        override = settings.severity.get(finding.code)
        severity = SEVERITIES[override] if override else _SEVERITY[finding.severity]
        if severity is not None:
            out.append(_diagnostic(finding, analysis, severity))
    return out


def _diagnostic(finding: Finding, analysis: Analysis, severity: types.DiagnosticSeverity) -> types.Diagnostic:
    return types.Diagnostic(
        range=analysis.range_of(finding.start, finding.end),
        message=finding.message,
        severity=severity,
        code=finding.code,
        source=SOURCE,
        data={
            "path": finding.path_text,
            "fixes": [
                {"title": fix.title, "edits": [[e.start, e.end, e.new_text] for e in fix.edits]}
                for fix in finding.fixes
            ],
        },
    )
