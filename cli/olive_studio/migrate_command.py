"""``olive-studio migrate FILE --to X``: show (or write) the config rewritten for release X.

The diff goes to stdout; what could not be migrated automatically goes to
stderr as findings.  Exit status: 0 the result has no errors, 1 it still has
some (manual steps remain), 2 the file cannot be read or parsed.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TextIO

from olive_schema import versions
from olive_schema.findings import Severity
from olive_schema.jsontree import LineIndex
from olive_schema.migrate import MigrationError, migrate_text


def run_migrate(name: str, to_version: str | None, write: bool, out: TextIO, err: TextIO) -> int:
    try:
        target = versions.resolve(to_version) if to_version else versions.newest()
        text = Path(name).read_text(encoding="utf-8-sig")
        migration = migrate_text(text, target)
    except (OSError, UnicodeDecodeError, versions.UnknownVersionError, MigrationError) as exc:
        print(f"{name}: error: {exc}", file=err)
        return 2
    out.writelines(
        difflib.unified_diff(
            text.splitlines(True), migration.text.splitlines(True), f"{name} (before)", f"{name} (Olive {target})"
        )
    )
    for step in migration.steps:
        print(f"migrated: {step}", file=err)
    index = LineIndex(migration.text)
    for finding in migration.findings:
        line, col = index.position(finding.start)
        print(f"{name}:{line + 1}:{col + 1}: {finding.severity.value} {finding.code} {finding.message}", file=err)
    if write and migration.text != text:
        Path(name).write_text(migration.text, encoding="utf-8")
        print(f"wrote {name}", file=err)
    elif not migration.steps:
        print(f"{name}: nothing to migrate for Olive {target}", file=err)
    return 1 if any(f.severity is Severity.ERROR for f in migration.findings) else 0
