"""Formatting: whitespace changes only, the requested indentation, nothing for broken documents."""

from __future__ import annotations

import json

import pytest
from lsprotocol import types
from olive_lsp.formatting import format_document
from pytest_lsp import LanguageClient

from tests.conftest import shared_path
from tests.server.lsp_support import (
    CONFIG,
    URI,
    analysis_of,
    apply_edits,
    open_document,
    parsed_only,
)

SPACES_2 = types.FormattingOptions(tab_size=2, insert_spaces=True)
SPACES_4 = types.FormattingOptions(tab_size=4, insert_spaces=True)
TABS = types.FormattingOptions(tab_size=4, insert_spaces=False)


def formatted(text: str, options: types.FormattingOptions = SPACES_4) -> str:
    return apply_edits(text, format_document(parsed_only(text), options))


async def test_formatting_over_lsp_uses_the_requested_indentation(client: LanguageClient) -> None:
    await open_document(client, CONFIG)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=types.TextDocumentIdentifier(uri=URI), options=TABS)
    )
    assert edits
    result = apply_edits(CONFIG, edits)
    assert json.loads(result) == json.loads(CONFIG)
    assert '\n\t"input_model": {\n\t\t"type": "HfModel",' in result


def test_keeps_key_order_scalars_and_duplicates_as_written() -> None:
    text = '{"input_model": {"type": "HfModel", "model_path": "m"}, "b": 1e-4, "a": "\\u00e9\\n", "b": 0.10}'
    result = formatted(text, SPACES_2)
    assert result == (
        "{\n"
        '  "input_model": {\n'
        '    "type": "HfModel",\n'
        '    "model_path": "m"\n'
        "  },\n"
        '  "b": 1e-4,\n'
        '  "a": "\\u00e9\\n",\n'
        '  "b": 0.10\n'
        "}"
    )


def test_empty_containers_line_endings_bom_and_final_newline() -> None:
    text = '\ufeff{"input_model": {"type": "HfModel"},\r\n "passes": { }, "x": [ ]}\r\n'
    assert formatted(text, SPACES_2) == (
        '\ufeff{\r\n  "input_model": {\r\n    "type": "HfModel"\r\n  },\r\n  "passes": {},\r\n  "x": []\r\n}\r\n'
    )
    no_newline = '{"input_model": {}}'
    assert formatted(no_newline) == '{\n    "input_model": {}\n}'
    with_option = types.FormattingOptions(tab_size=4, insert_spaces=True, insert_final_newline=True)
    assert formatted(no_newline, with_option).endswith("}\n")


def test_edits_touch_only_the_lines_that_change() -> None:
    text = formatted(CONFIG)
    changed = text.replace('    "output_dir": "models/out"', '  "output_dir":   "models/out"')
    [edit] = format_document(analysis_of(changed), SPACES_4)
    assert edit.range.start.line == edit.range.end.line - 1 == text.splitlines().index('    "output_dir": "models/out"')
    assert format_document(analysis_of(text), SPACES_4) == []


@pytest.mark.parametrize(
    "text",
    [
        '{"input_model": {"type": "HfModel"}, "passes": {',  # half-typed
        '{"input_model": {"type": "HfModel"}, // a comment\n "passes": {}}',  # comments would be lost
        '{"input_model": {"type": "HfModel"} "passes": {}}',  # missing comma
        '{"name": "x",   "version": 1}',  # not an Olive config
    ],
)
def test_broken_or_other_documents_get_no_edits(text: str) -> None:
    assert format_document(analysis_of(text, uri="file:///work/config.json"), SPACES_4) == []


def test_every_corpus_config_keeps_its_value_and_formatting_is_stable() -> None:
    corpus = shared_path("olive", "corpus")
    checked = 0
    for path in sorted(corpus.rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        analysis = parsed_only(text, uri=path.as_uri())
        if analysis.tree.problems or not analysis.is_olive:
            assert format_document(analysis, SPACES_4) == []
            continue
        once = formatted(text)
        assert json.loads(once) == json.loads(text), path
        assert list(json.loads(once)) == list(json.loads(text)), path
        assert formatted(once) == once, path
        checked += 1
    assert checked > 100
