"""Code actions: the findings' quick fixes (never at stale offsets), migration, run and submit."""

from __future__ import annotations

import json

from lsprotocol import types
from olive_lsp.code_actions import MIGRATE_KIND, code_actions
from olive_schema import versions
from olive_schema.migrate import migrate_text
from pytest_lsp import LanguageClient

from tests.server.lsp_support import (
    CONFIG,
    URI,
    analysis_of,
    apply_edits,
    no_server_errors,
    open_document,
    text_at,
)

DOC = types.TextDocumentIdentifier(uri=URI)
NEWEST = versions.newest()
TYPO = CONFIG.replace('"type": "LoRA"', '"type": "LoRAA"')
OLD = """{
    "input_model": {"type": "HfModel", "model_path": "microsoft/phi-2"},
    "data_configs": [{"name": "train", "type": "HuggingfaceContainer"}],
    "passes": {
        "lora": {"type": "LoRA", "lora_r": 32, "lora_alpha": 64, "train_data_config": "train"}
    }
}
"""
EVERYWHERE = types.Range(types.Position(0, 0), types.Position(0, 0))


async def request(
    client: LanguageClient,
    diagnostics: list[types.Diagnostic],
    only: list[str] | None = None,
    trigger: types.CodeActionTriggerKind | None = types.CodeActionTriggerKind.Invoked,
) -> list[types.CodeAction | types.Command]:
    """The answer, unfiltered (see test_run_and_submit_are_offered_when_asked_for about bare Commands)."""
    rng = diagnostics[0].range if diagnostics else EVERYWHERE
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=DOC,
            range=rng,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only, trigger_kind=trigger),
        )
    )
    return list(result or [])


def edits_of(action: types.CodeAction | types.Command) -> list[types.TextEdit]:
    assert isinstance(action, types.CodeAction) and action.edit is not None and action.edit.changes is not None
    return list(action.edit.changes[URI])


async def test_quick_fix_from_the_diagnostic(client: LanguageClient) -> None:
    diagnostics = await open_document(client, TYPO)
    [typo] = [d for d in diagnostics if d.code == "OS110"]
    [fix] = await request(client, [typo], only=[types.CodeActionKind.QuickFix])
    assert isinstance(fix, types.CodeAction)
    assert fix.title == 'Change to "LoRA"'
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred
    assert list(fix.diagnostics or []) == [typo]
    [edit] = edits_of(fix)
    assert text_at(TYPO, edit.range) == '"LoRAA"'
    assert apply_edits(TYPO, [edit]) == CONFIG


async def test_stale_diagnostics_get_fixes_at_the_current_offsets(client: LanguageClient) -> None:
    diagnostics = await open_document(client, TYPO)
    [old] = [d for d in diagnostics if d.code == "OS110"]
    moved = "\n\n" + TYPO
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=moved)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert await request(client, [old], only=[types.CodeActionKind.QuickFix]) == []  # nothing there any more
    shifted = types.Range(
        types.Position(old.range.start.line + 2, old.range.start.character),
        types.Position(old.range.end.line + 2, old.range.end.character),
    )
    same_data = types.Diagnostic(range=shifted, message=old.message, code=old.code, source=old.source, data=old.data)
    [fix] = await request(client, [same_data], only=[types.CodeActionKind.QuickFix])
    [edit] = edits_of(fix)
    assert text_at(moved, edit.range) == '"LoRAA"'  # the data's offsets were for the old text


async def test_migrate_to_the_newest_olive(client: LanguageClient) -> None:
    await open_document(client, OLD)
    actions = await request(client, [], only=[types.CodeActionKind.Source])
    [migrate] = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == MIGRATE_KIND]
    assert migrate.title == f"Migrate to Olive {NEWEST}"
    migrated = apply_edits(OLD, edits_of(migrate))
    assert migrated == migrate_text(OLD, NEWEST).text
    lora = json.loads(migrated)["passes"]["lora"]
    assert (lora["r"], lora["alpha"]) == (32, 64)
    assert no_server_errors(client)


async def test_run_and_submit_are_offered_when_asked_for(client: LanguageClient) -> None:
    await open_document(client, CONFIG)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(text_document=DOC, range=EVERYWHERE, context=types.CodeActionContext(diagnostics=[]))
    )
    # lsprotocol's client reads any code action with a command as a bare Command (its kind is lost on the way), so
    # only the titles and the commands inside are checked here; test_run_actions checks the actions themselves.
    assert [(item.title, "oliveStudio." in str(item.command)) for item in result or []] == [
        ("Run locally", True),
        ("Submit to Azure ML", True),
    ]
    assert await request(client, [], trigger=types.CodeActionTriggerKind.Automatic) == []  # not on every cursor move
    assert await request(client, [], only=[types.CodeActionKind.QuickFix]) == []


async def test_no_actions_for_other_json(client: LanguageClient) -> None:
    other = "file:///work/package.json"
    await open_document(client, '{"name": "x"}', other)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=other),
            range=EVERYWHERE,
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert not result


# -- the function --------------------------------------------------------------------------------


def source_actions(text: str) -> list[types.CodeAction]:
    return code_actions(analysis_of(text), types.CodeActionContext(diagnostics=[], only=[MIGRATE_KIND]))


def test_migration_is_offered_only_when_it_changes_a_valid_document() -> None:
    assert [a.title for a in source_actions(OLD)] == [f"Migrate to Olive {NEWEST}"]
    assert source_actions(CONFIG) == []  # already current
    assert source_actions(OLD.replace('"lora_r": 32,', '"lora_r": 32')) == []  # syntax error: no migration


def test_migration_is_judged_against_the_newest_release_whatever_the_target() -> None:
    analysis = analysis_of(OLD, version="0.6.2")
    [action] = code_actions(analysis, types.CodeActionContext(diagnostics=[], only=["source.migrate"]))
    assert action.title == f"Migrate to Olive {NEWEST}"


def test_every_fix_of_a_diagnostic_is_offered_first_one_preferred() -> None:
    analysis = analysis_of(TYPO)
    finding = next(f for f in analysis.result.findings if f.code == "OS110")
    diagnostic = types.Diagnostic(
        range=analysis.range_of(finding.start, finding.end),
        message=finding.message,
        code=finding.code,
        data={"path": finding.path_text, "fixes": [{"title": "x", "edits": []}]},
    )
    without_data = types.Diagnostic(range=diagnostic.range, message=finding.message, code=finding.code)
    actions = code_actions(analysis, types.CodeActionContext(diagnostics=[diagnostic, without_data]))
    fixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert [(a.title, a.is_preferred) for a in fixes] == [(fix.title, i == 0) for i, fix in enumerate(finding.fixes)]


def test_run_actions() -> None:
    actions = code_actions(analysis_of(CONFIG), types.CodeActionContext(diagnostics=[], only=["source"]))
    assert [(a.title, a.kind) for a in actions] == [("Run locally", "source"), ("Submit to Azure ML", "source")]
    assert [(a.command.command, a.command.arguments) for a in actions if a.command] == [
        ("oliveStudio.runLocally", [URI]),
        ("oliveStudio.submitAzureML", [URI]),
    ]
