"""Code lenses above "passes" and the commands they call: validate first, refuse on errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from olive_lsp.code_lens import code_lenses
from pytest_lsp import LanguageClient

from tests.server.lsp_support import CONFIG, URI, analysis_of, no_server_errors, open_document

DOC = types.TextDocumentIdentifier(uri=URI)
BROKEN = CONFIG.replace('"type": "LoRA"', '"type": "LoRAA"').replace('"host": "gpu_box",', '"host": "remote",')


async def execute(client: LanguageClient, command: str, *arguments: Any) -> tuple[Any, types.ShowMessageParams]:
    """The command's result and the one message it showed."""
    before = len(client.messages)
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=list(arguments))
    )
    [message] = client.messages[before:]
    return result, message


async def test_lenses_sit_on_the_passes_key_and_call_the_commands(client: LanguageClient) -> None:
    await open_document(client, CONFIG)
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=DOC))
    assert lenses is not None
    passes_line = CONFIG.splitlines().index('  "passes": {')
    assert {lens.range.start.line for lens in lenses} == {passes_line}
    assert [
        (lens.command.title, lens.command.command, list(lens.command.arguments or []))
        for lens in lenses
        if lens.command
    ] == [
        ("▶ Run locally", "oliveStudio.runLocally", [URI]),
        ("☁ Submit to Azure ML", "oliveStudio.submitAzureML", [URI]),
        ("✓ Validate", "oliveStudio.validate", [URI]),
    ]


async def test_no_lenses_for_other_json(client: LanguageClient) -> None:
    other = "file:///work/tsconfig.json"
    await open_document(client, '{"compilerOptions": {}, "passes": {}}', other)
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=other))
    )
    assert not lenses


async def test_validate_a_valid_config(client: LanguageClient) -> None:
    await open_document(client, CONFIG)
    result, message = await execute(client, "oliveStudio.validate", URI)
    assert result["ok"] is True
    assert result["findings"] == []
    assert message.type == types.MessageType.Info
    assert "olive-config.json is valid for Olive" in message.message


@pytest.mark.parametrize("command", ["oliveStudio.validate", "oliveStudio.runLocally", "oliveStudio.submitAzureML"])
async def test_every_command_refuses_a_config_with_errors(client: LanguageClient, command: str) -> None:
    await open_document(client, BROKEN)
    result, message = await execute(client, command, URI)
    assert result["ok"] is False
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    assert [(f["code"], f["line"]) for f in errors] == [("OS110", 18), ("OS121", 22)]
    assert message.type == types.MessageType.Error
    assert message.message.startswith("olive-config.json has 2 errors")
    assert 'line 18: Unknown pass type "LoRAA"' in message.message
    assert "line 22:" in message.message


async def test_submit_says_azure_ml_is_not_available_yet(client: LanguageClient) -> None:
    await open_document(client, CONFIG)
    result, message = await execute(client, "oliveStudio.submitAzureML", URI)
    assert result["ok"] is False
    assert result["reason"] == "runner not available"
    assert message.type == types.MessageType.Info
    assert "not available yet" in message.message


async def test_run_refuses_a_valid_config_that_is_not_saved_to_disk(client: LanguageClient) -> None:
    await open_document(client, CONFIG)  # URI names /work/olive-config.json, which does not exist
    result, message = await execute(client, "oliveStudio.runLocally", URI)
    assert result["ok"] is False
    assert message.type == types.MessageType.Error
    assert result["reason"] == message.message
    assert "olive-config.json is not saved on disk" in message.message and "save it, then run it" in message.message


async def test_commands_on_files_not_open_and_without_arguments(client: LanguageClient, tmp_path: Path) -> None:
    on_disk = tmp_path / "olive-config.json"
    on_disk.write_text(CONFIG, encoding="utf-8")
    result, _ = await execute(client, "oliveStudio.validate", on_disk.as_uri())
    assert result["ok"] is True
    result, message = await execute(client, "oliveStudio.validate", (tmp_path / "missing.json").as_uri())
    assert result["ok"] is False and "Cannot read" in result["reason"]
    result, message = await execute(client, "oliveStudio.runLocally")
    assert result == {"ok": False, "reason": message.message}
    result, message = await execute(client, "oliveStudio.validate", "untitled:Untitled-1")
    assert result["ok"] is False and "not open" in message.message
    assert no_server_errors(client)


def test_lenses_on_a_half_typed_document() -> None:
    text = '{\n  "input_model": {"type": "HfModel"},\n  "passes": {"a": {"type": '
    [run, _submit, validate] = code_lenses(analysis_of(text))
    assert run.range.start.line == 2
    assert validate.command is not None and validate.command.command == "oliveStudio.validate"
    assert code_lenses(analysis_of('{\n  "input_model": {"type": "HfModel"}\n')) == []
