"""Rewrite a config written for an older Olive release into the format of a newer one.

Two kinds of steps, repeated until nothing changes:
- the fixes that the findings for the target release carry (renames, removals),
  applied as text edits, so untouched lines keep their formatting;
- structural rewrites that no single rename expresses (``hf_config`` to
  ``HfModel``, ``data_configs`` object to list, ``params_config`` to components,
  execution providers to system accelerators, old search keys), each replacing
  one value, serialized in the document's own indentation.
Keys that the target ignores and that have no equivalent are removed (each
removal is listed as a step, e.g. ``eval_dataset_size``, whose replacement is a
data split of its own); what needs a person's decision stays, and the
checker's findings on the result say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from olive_schema import codes
from olive_schema.checker import check_document
from olive_schema.findings import Finding, TextEdit
from olive_schema.jsontree import Document, parse
from olive_schema.rewrites import REWRITES, apply_edits, old_form_valid, value_edit

MAX_ROUNDS = 8
AUTOMATIC_FIX_CODES = frozenset({codes.KEY_NOT_IN_VERSION, codes.PASS_TYPE_NOT_IN_VERSION, codes.PASS_TYPE_CASE})


@dataclass
class Migration:
    text: str
    steps: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class MigrationError(ValueError):
    """The text is not a JSON object that can be migrated (e.g. it has syntax errors)."""


def migrate_text(text: str, to_version: str) -> Migration:
    doc = parse(text)
    if doc.problems or doc.root is None or doc.root.kind != "object":
        raise MigrationError("the file has JSON syntax errors: fix them first (olive-studio validate shows where)")
    result = Migration(text)
    for _ in range(MAX_ROUNDS):
        doc = parse(result.text)
        changed = _rewrite_structure(doc, to_version, result) or _apply_fixes(doc, to_version, result)
        if not changed:
            break
    result.findings = check_document(parse(result.text), to_version)
    return result


def _apply_fixes(doc: Document, version: str, result: Migration) -> bool:
    """Apply the first fix of every finding that has one, where the fixes do not overlap."""
    edits: list[TextEdit] = []
    for finding in check_document(doc, version):
        if finding.code not in AUTOMATIC_FIX_CODES or not finding.fixes:
            continue
        fix = finding.fixes[0]
        if any(_overlaps(e, other) for e in fix.edits for other in edits):
            continue
        edits.extend(fix.edits)
        result.steps.append(f"{finding.path_text}: {fix.title}")
    if not edits:
        return False
    result.text = apply_edits(result.text, edits)
    return True


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    return (a.start < b.end and b.start < a.end) or a.start == b.start


def _rewrite_structure(doc: Document, version: str, result: Migration) -> bool:
    config = doc.root.to_python() if doc.root is not None else {}
    assert isinstance(config, dict)
    for change_id, rewrite in REWRITES:
        if change_id and old_form_valid(change_id, version):
            continue
        found = rewrite(config)
        if found is not None:
            changes, step = found
            result.text = apply_edits(doc.text, [value_edit(doc, path, value) for path, value in changes])
            result.steps.append(step)
            return True
    return False
