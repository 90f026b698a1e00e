"""Settings apply on workspace/didChangeConfiguration, without a restart: target release and severities."""

from __future__ import annotations

import sys

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

URI = "file:///work/olive-config.json"
OLD_STYLE = """{
  "input_model": {"type": "PyTorchModel", "config": {"hf_config": {"model_name": "m", "task": "text-generation"}}},
  "data_configs": [{"name": "train", "type": "HuggingfaceContainer"}],
  "passes": {"lora": {"type": "LoRA", "config": {"lora_r": 16, "train_data_config": "train"}}}
}
"""


async def open_and_wait(client: LanguageClient, text: str) -> list[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=URI, language_id="json", version=1, text=text))
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[URI])


async def change_settings(client: LanguageClient, settings: object) -> list[types.Diagnostic]:
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[URI])


async def test_target_release_and_severity_change_without_restart(client: LanguageClient) -> None:
    newest = await open_and_wait(client, OLD_STYLE)
    assert {d.code for d in newest} >= {"OS104"}  # lora_r, hf_config: renamed/removed in the newest release
    old = await change_settings(client, {"oliveStudio": {"oliveVersion": "0.6.1"}})
    assert old == []  # the config is fine for the release it was written for
    quiet = await change_settings(client, {"oliveStudio": {"severity": {"OS104": "off"}}})
    assert [d for d in quiet if d.code == "OS104"] == []
    hinted = await change_settings(client, {"oliveVersion": "", "severity": {"OS104": "hint"}})
    assert {d.severity for d in hinted if d.code == "OS104"} == {types.DiagnosticSeverity.Hint}


async def test_bad_settings_are_reported_and_ignored(client: LanguageClient) -> None:
    await open_and_wait(client, OLD_STYLE)
    after = await change_settings(client, {"oliveVersion": "9.9", "severity": {"OS104": "loud"}})
    assert any(d.code == "OS104" for d in after)  # falls back to the default release and severities
    logged = " ".join(m.message for m in client.log_messages)
    assert "oliveStudio.oliveVersion" in logged and "oliveStudio.severity.OS104" in logged


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "olive_lsp"]),
)
async def configured(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(), initialization_options={"oliveVersion": "0.6.1"}
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_initialization_options_set_the_release_from_the_start(configured: LanguageClient) -> None:
    assert await open_and_wait(configured, OLD_STYLE) == []
