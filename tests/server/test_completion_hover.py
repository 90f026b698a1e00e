"""Completion and hover over stdio (pytest-lsp), on whole and half-typed configs."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

URI = "file:///work/olive-config.json"
HEAD = '{\n  "input_model": {"type": "HfModel", "model_path": "m"},\n'


async def open_at(client: LanguageClient, marked: str) -> types.Position:
    """Open the text without its ``|`` and return the position of the ``|``."""
    index = marked.index("|")
    text = marked.replace("|", "", 1)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=URI, language_id="json", version=1, text=text))
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    line = text[:index].count("\n")
    return types.Position(line, index - (text.rfind("\n", 0, index) + 1))


async def labels(client: LanguageClient, marked: str) -> list[str]:
    position = await open_at(client, marked)
    result = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(URI), position)
    )
    assert isinstance(result, types.CompletionList)
    return [item.label for item in result.items]


async def test_pass_types_are_offered_with_their_docs(client: LanguageClient) -> None:
    position = await open_at(client, HEAD + '  "passes": {"lora": {"type": "|"}}\n}')
    result = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(URI), position)
    )
    assert isinstance(result, types.CompletionList)
    by_label = {item.label: item for item in result.items}
    assert {"LoRA", "QLoRA", "MergeAdapterWeights", "ModelBuilder"} <= set(by_label)
    lora = by_label["LoRA"]
    assert isinstance(lora.documentation, types.MarkupContent) and "LoRA" in lora.documentation.value
    assert lora.text_edit is not None and lora.text_edit.new_text == '"LoRA"'


async def test_pass_types_in_a_half_typed_document(client: LanguageClient) -> None:
    found = await labels(client, HEAD + '  "passes": {"lora": {"type": "LoRA", "r": 16}, "merge": {"type": |')
    assert "MergeAdapterWeights" in found


async def test_parameters_of_the_pass_the_cursor_is_in_without_the_present_ones(client: LanguageClient) -> None:
    found = await labels(client, HEAD + '  "passes": {"lora": {"type": "LoRA", "r": 16, "|"}}\n}')
    assert found[0] == "train_data_config"  # required first
    assert {"alpha", "lora_dropout", "target_modules", "training_args"} <= set(found)
    assert "r" not in found and "type" not in found
    assert "precision" not in found  # a ModelBuilder parameter


async def test_keys_at_the_top_level_and_a_required_snippet(client: LanguageClient) -> None:
    position = await open_at(client, "{\n  |\n}")
    result = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(URI), position)
    )
    assert isinstance(result, types.CompletionList)
    by_label = {item.label: item for item in result.items}
    assert {"input_model", "passes", "data_configs", "systems", "engine"} <= set(by_label)
    assert by_label["input_model"].text_edit is not None
    assert '"type": $1' in by_label["input_model"].text_edit.new_text  # required key filled in


async def test_enum_values_and_booleans(client: LanguageClient) -> None:
    precisions = await labels(client, HEAD + '  "passes": {"mb": {"type": "ModelBuilder", "precision": "|"}}\n}')
    assert {"int4", "fp16", "fp32"} <= set(precisions)
    booleans = await labels(client, HEAD + '  "passes": {"mb": {"type": "ModelBuilder", "metadata_only": |}}\n}')
    assert {"true", "false"} <= set(booleans)


async def test_names_where_a_reference_is_expected(client: LanguageClient) -> None:
    text = (
        HEAD + '  "systems": {"local": {"type": "LocalSystem"}, "gpu_box": {"type": "LocalSystem"}},\n'
        '  "data_configs": [{"name": "train"}, {"name": "eval"}],\n'
        '  "passes": {"lora": {"type": "LoRA", "train_data_config": "|"}},\n  "host": "local"\n}'
    )
    assert set(await labels(client, text)) >= {"train", "eval"}
    systems = await labels(
        client,
        text.replace('"train_data_config": "|"', '"train_data_config": "train"').replace(
            '"host": "local"', '"host": "|"'
        ),
    )
    assert systems[:2] == ["local", "gpu_box"]


async def test_hover_on_a_pass_type_shows_its_doc_and_releases(client: LanguageClient) -> None:
    position = await open_at(client, HEAD + '  "passes": {"lora": {"type": "Lo|RA"}}\n}')
    result = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(URI), position))
    assert result is not None and isinstance(result.contents, types.MarkupContent)
    assert result.contents.value.startswith("**LoRA** (pass): ")
    assert "Releases: 0.4.0 and later" in result.contents.value


async def test_hover_on_a_parameter_shows_type_default_and_history(client: LanguageClient) -> None:
    position = await open_at(client, HEAD + '  "passes": {"lora": {"type": "LoRA", "|r": 16}}\n}')
    result = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(URI), position))
    assert result is not None and isinstance(result.contents, types.MarkupContent)
    text = result.contents.value
    assert text.startswith("**r** · `integer`")
    assert "Default: `64`" in text
    assert "In LoRA: Olive 0.8.0 and later." in text


async def test_hover_on_a_removed_parameter_says_when_and_what_replaced_it(client: LanguageClient) -> None:
    position = await open_at(client, HEAD + '  "passes": {"lora": {"type": "LoRA", "lora_|r": 16}}\n}')
    result = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(URI), position))
    assert result is not None and isinstance(result.contents, types.MarkupContent)
    assert "Olive 0.4.0 to before 0.8.0" in result.contents.value and "`r`" in result.contents.value


async def test_hover_on_a_reference_shows_what_it_points_to(client: LanguageClient) -> None:
    text = HEAD + '  "systems": {"local": {"type": "LocalSystem"}},\n  "host": "lo|cal"\n}'
    position = await open_at(client, text)
    result = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(URI), position))
    assert result is not None and isinstance(result.contents, types.MarkupContent)
    assert result.contents.value.startswith("**local** → `systems` (LocalSystem)")


async def test_completion_with_the_cursor_before_the_opening_quote(client: LanguageClient) -> None:
    found = await labels(client, HEAD + '  "passes": {"mb": {"type": "ModelBuilder", "precision": |"int4"}}\n}')
    assert {"int4", "fp16"} <= set(found)


async def test_hover_on_a_plain_value_explains_its_key(client: LanguageClient) -> None:
    position = await open_at(client, HEAD.replace('"model_path": "m"', '"model_path": "m|odels/phi"') + "}")
    result = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(URI), position))
    assert result is not None and isinstance(result.contents, types.MarkupContent)
    assert result.contents.value.startswith("**model_path**")
