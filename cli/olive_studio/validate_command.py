"""``olive-studio validate``: findings as ``FILE:LINE:COL: severity code message``.

Exit status: 0 no errors, 1 errors, 2 a file that cannot be read or parsed,
so scripts and CI can tell a broken config from a wrong one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from olive_schema import codes, versions
from olive_schema.checker import CheckOptions, CheckResult, check_text
from olive_schema.findings import Severity
from olive_schema.jsontree import LineIndex

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def run_validate(
    files: Sequence[str],
    fmt: str,
    out: TextIO,
    err: TextIO,
    olive_version: str | None = None,
    file_checks: bool = True,
) -> int:
    try:
        version = versions.resolve(olive_version)
    except versions.UnknownVersionError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_UNREADABLE
    status = EXIT_OK
    counts = {severity: 0 for severity in Severity}
    records: list[dict[str, object]] = []
    for name in files:
        try:
            text = Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{name}: error: cannot read the file: {_reason(exc)}", file=err)
            status = EXIT_UNREADABLE
            continue
        base_dir = Path(name).resolve().parent if file_checks else None
        result = check_text(text, CheckOptions(olive_version=version, base_dir=base_dir))
        records.extend(_report(name, result, fmt, out))
        for finding in result.findings:
            counts[finding.severity] += 1
        status = max(status, _file_status(result))
    if fmt == "json":
        json.dump(records, out, indent=2)
        out.write("\n")
    summary = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    plural = "s" if len(files) != 1 else ""
    print(f"{summary or 'no findings'} in {len(files)} file{plural} (checked against Olive {version})", file=err)
    return status


def _report(name: str, result: CheckResult, fmt: str, out: TextIO) -> list[dict[str, object]]:
    index = LineIndex(result.document.text)
    records: list[dict[str, object]] = []
    for finding in result.findings:
        line, col = index.position(finding.start)
        if fmt == "text":
            out.write(f"{name}:{line + 1}:{col + 1}: {finding.severity.value} {finding.code} {finding.message}\n")
        else:
            records.append(
                {
                    "file": name,
                    "line": line + 1,
                    "column": col + 1,
                    "severity": finding.severity.value,
                    "code": finding.code,
                    "path": finding.path_text,
                    "message": finding.message,
                }
            )
    return records


def _file_status(result: CheckResult) -> int:
    if any(f.code == codes.SYNTAX for f in result.findings):
        return EXIT_UNREADABLE
    return EXIT_ERRORS if result.has_errors else EXIT_OK


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte {exc.start})"
    return exc.strerror or str(exc) if isinstance(exc, OSError) else str(exc)
