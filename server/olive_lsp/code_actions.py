"""Code actions: the findings' quick fixes, "Migrate to Olive X", and run/submit as source actions.

Quick fixes come from the checker (a diagnostic carries them in ``data``), but
the offsets there belong to the text the diagnostic was made for; a client may
ask after further edits.  So each diagnostic is matched (code and range) to a
finding of the current analysis and that finding's fixes are offered: never
an edit at a stale offset.  Source actions are the whole-file ones; they are
skipped for the automatic lightbulb requests that fire on every cursor move,
which clients do not show them for anyway, so a migration is only computed
when someone opens the source action menu.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from lsprotocol import types
from olive_schema import codes, versions
from olive_schema.checker import check_document
from olive_schema.findings import Finding, Fix
from olive_schema.migrate import MigrationError, migrate_text

from olive_lsp.analysis import Analysis
from olive_lsp.commands import RUN_LOCALLY, SUBMIT_AZURE_ML, TITLES
from olive_lsp.formatting import replace_text

MIGRATE_KIND = "source.migrate.olive"
RUN_KIND = types.CodeActionKind.Source.value
MIGRATION_CODES = frozenset({codes.KEY_NOT_IN_VERSION, codes.PASS_TYPE_NOT_IN_VERSION})
_MEMO_SIZE = 8
_migrations: OrderedDict[tuple[str, str], str | None] = OrderedDict()


def code_actions(analysis: Analysis, context: types.CodeActionContext) -> list[types.CodeAction]:
    if not analysis.is_olive:
        return []
    actions: list[types.CodeAction] = []
    if _wanted(types.CodeActionKind.QuickFix.value, context.only):
        actions.extend(quick_fixes(analysis, context.diagnostics))
    if context.only is None and context.trigger_kind == types.CodeActionTriggerKind.Automatic:
        return actions
    if _wanted(MIGRATE_KIND, context.only) and (migrate := migrate_action(analysis)) is not None:
        actions.append(migrate)
    if _wanted(RUN_KIND, context.only):
        actions.extend(run_actions(analysis.uri))
    return actions


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """LSP kinds are hierarchical: asking for ``source`` includes ``source.migrate.olive``."""
    return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)


# -- quick fixes ---------------------------------------------------------------------------------


def quick_fixes(analysis: Analysis, diagnostics: Sequence[types.Diagnostic]) -> list[types.CodeAction]:
    """Each fix of each diagnostic that has some; the first fix of a diagnostic is the preferred one."""
    actions = []
    for diagnostic in diagnostics:
        if not _has_fixes(diagnostic):
            continue
        for index, fix in enumerate(_current_fixes(analysis, diagnostic)):
            actions.append(
                types.CodeAction(
                    title=fix.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    is_preferred=index == 0,
                    edit=_fix_edit(analysis, fix),
                )
            )
    return actions


def _has_fixes(diagnostic: types.Diagnostic) -> bool:
    data = diagnostic.data
    return isinstance(data, dict) and bool(data.get("fixes"))


def _current_fixes(analysis: Analysis, diagnostic: types.Diagnostic) -> tuple[Fix, ...]:
    """The fixes of the current finding at the diagnostic's place (none if the text moved on)."""
    matches = [
        f for f in analysis.result.findings if f.code == diagnostic.code and _same_range(analysis, f, diagnostic)
    ]
    exact = [f for f in matches if f.message == diagnostic.message]
    best = (exact or matches)[:1]
    return best[0].fixes if best else ()


def _same_range(analysis: Analysis, finding: Finding, diagnostic: types.Diagnostic) -> bool:
    return analysis.range_of(finding.start, finding.end) == diagnostic.range


def _fix_edit(analysis: Analysis, fix: Fix) -> types.WorkspaceEdit:
    edits = [types.TextEdit(analysis.range_of(e.start, e.end), e.new_text) for e in fix.edits]
    return types.WorkspaceEdit(changes={analysis.uri: edits})


# -- migration -----------------------------------------------------------------------------------


def migrate_action(analysis: Analysis) -> types.CodeAction | None:
    """Rewrite the file for the newest Olive when it uses keys that release renamed or removed."""
    if analysis.tree.problems:
        return None
    newest = versions.newest()
    migrated = _migrated(analysis, newest)
    if migrated is None or migrated == analysis.text:
        return None
    return types.CodeAction(
        title=f"Migrate to Olive {newest}",
        kind=MIGRATE_KIND,
        edit=types.WorkspaceEdit(changes={analysis.uri: replace_text(analysis, migrated)}),
    )


def _migrated(analysis: Analysis, version: str) -> str | None:
    """The migrated text, computed once per text (code actions are asked for again and again)."""
    key = (analysis.text, version)
    if key not in _migrations:
        _migrations[key] = _migrate(analysis, version)
        while len(_migrations) > _MEMO_SIZE:
            _migrations.popitem(last=False)
    return _migrations[key]


def _migrate(analysis: Analysis, version: str) -> str | None:
    findings = analysis.result.findings if analysis.olive_version == version else check_document(analysis.tree, version)
    if not any(f.code in MIGRATION_CODES for f in findings):
        return None
    try:
        return migrate_text(analysis.text, version).text
    except MigrationError:
        return None


# -- run and submit ------------------------------------------------------------------------------


def run_actions(uri: str) -> list[types.CodeAction]:
    """Run and submit as source actions that call the server's commands (which validate first)."""
    return [
        types.CodeAction(
            title=TITLES[command],
            kind=RUN_KIND,
            command=types.Command(title=TITLES[command], command=command, arguments=[uri]),
        )
        for command in (RUN_LOCALLY, SUBMIT_AZURE_ML)
    ]
