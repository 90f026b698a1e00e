"""The tolerant parser: equal to json.loads on valid JSON, keeps nesting and exact places on broken JSON."""

from __future__ import annotations

import json

import pytest
from olive_schema.jsontree import LineIndex, parse

from tests.conftest import shared_path


def problems(text: str) -> list[tuple[str, str]]:
    """(message, the text the problem points at)."""
    doc = parse(text)
    return [(p.message, text[p.start : p.end]) for p in doc.problems]


def test_valid_documents_parse_like_json_loads_with_no_problems() -> None:
    text = '{"a": [1, 2.5, -3e2, true, false, null], "b": {"c": "\\u00e9\\n\\"q\\""}, "d": "\\ud83d\\ude00"}'
    doc = parse(text)
    assert doc.problems == []
    assert doc.root is not None and doc.root.to_python() == json.loads(text)


def test_every_corpus_config_parses_exactly_like_json_loads() -> None:
    corpus = shared_path("olive", "corpus")
    files = sorted(corpus.rglob("*.json"))
    assert len(files) > 700
    for file in files:
        text = file.read_text(encoding="utf-8")
        doc = parse(text)
        assert doc.problems == [], file
        assert doc.root is not None and doc.root.to_python() == json.loads(text), file


def test_half_typed_document_keeps_the_nesting_completion_needs() -> None:
    text = '{"passes": {"lora": {"type": "LoRA", "r": 16, "merge": {"type": }'
    doc = parse(text)
    merge = doc.node_at_path(("passes", "lora", "merge"))
    assert merge is not None and merge.kind == "object"
    assert doc.node_at_path(("passes", "lora", "r")).value == 16  # type: ignore[union-attr]
    prop = merge.prop("type")
    assert prop is not None and prop.value is None  # the value is not typed yet
    assert ("Value expected.", "") in problems(text)
    # One cause (the text ends), one problem: not one "missing }" per open object.
    assert [m for m, _ in problems(text)].count("Missing '}' to close this object.") == 1


@pytest.mark.parametrize(
    ("text", "message", "at"),
    [
        ('{"a": 1 "b": 2}', "Missing comma between properties.", ""),
        ('{"a": 1,}', "Trailing comma: remove it.", ","),
        ('{"a": tru}', "Invalid value 'tru' (strings need double quotes: \"...\").", "tru"),
        ('{"a": "abc\n}', "Unterminated string: add the closing quote.", '"abc'),
        ("{a: 1}", 'Property keys need double quotes: "a".', "a"),
        ('{"a" 1}', "Colon expected after the key.", ""),
        ('{"a": 1} // note', "Comments are not allowed in JSON; Olive reads configs with a strict parser.", "// note"),
        ('{"a": 1}}', "Unexpected content after the end of the JSON document.", "}"),
        ("", "The document is empty: an Olive config is a JSON object.", ""),
        ("[1]", "An Olive config must be a JSON object ({ ... }).", "[1]"),
    ],
)
def test_syntax_problems_say_what_and_point_at_the_place(text: str, message: str, at: str) -> None:
    assert (message, at) in problems(text)


def test_recovery_keeps_checking_after_a_syntax_error() -> None:
    doc = parse('{"a": 1 "b": {"c": [1, 2,, 3]}, "d": true}')
    assert doc.root is not None
    assert doc.root.to_python() == {"a": 1, "b": {"c": [1, 2, 3]}, "d": True}


def test_duplicate_keys_resolve_to_the_last_like_json_loads() -> None:
    doc = parse('{"a": 1, "a": 2}')
    assert doc.root is not None and doc.root.to_python() == {"a": 2}
    assert doc.node_at_path(("a",)).value == 2  # type: ignore[union-attr]


def test_line_index_counts_utf16_units_for_lsp() -> None:
    text = '{\n  "x": "😀", "y": 1\n}'
    index = LineIndex(text)
    offset = text.index('"y"')
    assert index.position(offset) == (1, 12)
    assert index.utf16_position(offset) == (1, 13)  # the emoji is two UTF-16 units
    assert index.offset_of_utf16(1, 13) == offset
