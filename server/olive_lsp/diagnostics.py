"""Findings as LSP diagnostics, with ranges in the client's position encoding.

Each diagnostic carries its fixes in ``data`` so that code actions can offer
them later without checking the document again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from olive_schema.checker import CheckOptions, check_text
from olive_schema.detect import is_olive_config
from olive_schema.findings import Finding, Severity
from olive_schema.jsontree import LineIndex
from pygls.workspace import PositionCodec

SOURCE = "olive-studio"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def diagnostics_for(
    text: str, filename: str | None, codec: PositionCodec, lines: Sequence[str], olive_version: str | None = None
) -> list[types.Diagnostic]:
    """Diagnostics for an Olive config; none for other JSON documents.  File checks need a file name."""
    base_dir = Path(filename).parent if filename else None
    result = check_text(text, CheckOptions(olive_version=olive_version, base_dir=base_dir))
    if not is_olive_config(result.document.root, filename):
        return []
    index = LineIndex(text)
    return [_diagnostic(f, index, codec, lines) for f in result.findings]


def _diagnostic(finding: Finding, index: LineIndex, codec: PositionCodec, lines: Sequence[str]) -> types.Diagnostic:
    start_line, start_col = index.position(finding.start)
    end_line, end_col = index.position(finding.end)
    code_points = types.Range(types.Position(start_line, start_col), types.Position(end_line, end_col))
    return types.Diagnostic(
        range=codec.range_to_client_units(lines, code_points),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
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
