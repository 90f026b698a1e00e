"""The language server over stdio (pytest-lsp): diagnostics on open and change, with exact ranges."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

CONFIG = """{
  "input_model": {"type": "HfModel", "model_path": "microsoft/Phi-3-mini-4k-instruct"},
  "data_configs": [{"name": "train", "type": "HuggingfaceContainer"}],
  "passes": {
    "lora": {"type": "LoRAA", "train_data_config": "train"},
    "merge": {"type": "MergeAdapterWeights"}
  }
}
"""
URI = "file:///work/olive-config.json"


async def open_document(client: LanguageClient, text: str, uri: str = URI) -> list[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="json", version=1, text=text))
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


def text_at(text: str, rng: types.Range) -> str:
    lines = text.splitlines(keepends=True)
    assert rng.start.line == rng.end.line
    return lines[rng.start.line][rng.start.character : rng.end.character]


async def test_open_reports_the_misspelled_pass_type_on_its_value(client: LanguageClient) -> None:
    diagnostics = await open_document(client, CONFIG)
    [diag] = [d for d in diagnostics if d.code == "OS110"]
    assert diag.severity == types.DiagnosticSeverity.Error
    assert diag.source == "olive-studio"
    assert 'Did you mean "LoRA"?' in diag.message
    assert diag.range.start.line == 4
    assert text_at(CONFIG, diag.range) == '"LoRAA"'
    assert diag.data["fixes"][0]["title"] == 'Change to "LoRA"'


async def test_change_rechecks_and_clears_the_fixed_error(client: LanguageClient) -> None:
    await open_document(client, CONFIG)
    start = CONFIG.splitlines()[4].index('"LoRAA"')
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(4, start), types.Position(4, start + 7)), text='"LoRA"'
                )
            ],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d for d in client.diagnostics[URI] if d.severity == types.DiagnosticSeverity.Error] == []


async def test_unknown_key_is_underlined_on_the_key(client: LanguageClient) -> None:
    text = CONFIG.replace('"input_model"', '"metadata": {"owner": "me"},\n  "input_model"')
    diagnostics = await open_document(client, text)
    [diag] = [d for d in diagnostics if d.code == "OS101"]
    assert text_at(text, diag.range) == '"metadata"'
    assert diag.severity == types.DiagnosticSeverity.Error


async def test_broken_document_reports_syntax_and_keeps_checking(client: LanguageClient) -> None:
    text = (
        '{\n  "input_model": {"type": "HfModel", "model_path": "m"}\n'
        '  "passes": {"lora": {"type": "LoRA", "train_data_config": "nowhere", "r": '
    )
    diagnostics = await open_document(client, text)
    syntax = [d for d in diagnostics if d.code == "OS001"]
    assert any(d.message == "Missing comma between properties." and d.range.start.line == 2 for d in syntax)
    [dangling] = [d for d in diagnostics if d.code == "OS120"]
    assert text_at(text, dangling.range) == '"nowhere"'


async def test_ranges_are_in_utf16_units(client: LanguageClient) -> None:
    text = CONFIG.replace('"lora": {', '"lora": {"comment_": "😀😀", ', 1)
    diagnostics = await open_document(client, text)
    [diag] = [d for d in diagnostics if d.code == "OS110"]
    line = text.splitlines()[4]
    python_index = line.index('"LoRAA"')
    assert diag.range.start.character == python_index + 2  # two astral characters, four UTF-16 units


async def test_other_json_files_get_no_diagnostics(client: LanguageClient) -> None:
    diagnostics = await open_document(client, '{"name": "x", "version": 1}', "file:///work/package.json")
    assert diagnostics == []


async def test_server_survives_any_input(client: LanguageClient) -> None:
    for text in [
        '{"passes": {"a": [',
        '{"input_model": 3, "passes": []}',
        "\x00\ufeff{",
        '{"passes": {"x": {"type": 5}}}',
    ]:
        await open_document(client, text)
    diagnostics = await open_document(client, CONFIG)
    assert any(d.code == "OS110" for d in diagnostics)
