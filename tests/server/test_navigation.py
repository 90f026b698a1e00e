"""Outline, folding, go to definition, find references and rename: over LSP and as plain functions."""

from __future__ import annotations

import json

import pytest
import pytest_lsp
from lsprotocol import types
from olive_lsp import folding, navigation, symbols
from olive_lsp.names import SECTIONS, occurrences
from olive_schema import catalog, codes, versions
from olive_schema.checker import check_document, check_text
from olive_schema.jsontree import parse
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from tests.conftest import shared_path
from tests.server.lsp_support import (
    CAPABILITIES,
    CONFIG,
    SERVER,
    URI,
    analysis_of,
    apply_edits,
    no_server_errors,
    open_document,
    parsed_only,
    position_of,
    text_at,
)

DOC = types.TextDocumentIdentifier(uri=URI)
NEWEST = versions.newest()
MAGIC_NAMES = set(catalog.load("changes")["magic_names"])  # names some releases resolve without a definition


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    """Unlike conftest's client, this one says it supports prepareRename, as VS Code and Neovim do."""
    result = await lsp_client.initialize_session(types.InitializeParams(capabilities=CAPABILITIES))
    assert result.capabilities.rename_provider == types.RenameOptions(prepare_provider=True)
    yield
    await lsp_client.shutdown_session()


# -- over LSP ------------------------------------------------------------------------------------


async def test_outline_lists_the_workflow_in_order(client: LanguageClient) -> None:
    await open_document(client, CONFIG)
    result = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=DOC))
    assert result is not None
    outline = {s.name: s for s in result if isinstance(s, types.DocumentSymbol)}
    assert list(outline) == [
        "input_model", "systems", "data_configs", "evaluators", "passes", "host", "target", "evaluator", "output_dir",
    ]  # fmt: skip
    assert outline["input_model"].detail == "HfModel · microsoft/Phi-3-mini-4k-instruct"
    passes = outline["passes"].children or []
    assert [(p.name, p.detail) for p in passes] == [
        ("lora", "LoRA"),
        ("conversion", "OnnxConversion"),
        ("quantization", "OnnxStaticQuantization"),
    ]
    assert [(d.name, d.detail) for d in outline["data_configs"].children or []] == [
        ("train_data", "HuggingfaceContainer"),
        ("eval_data", "HuggingfaceContainer"),
    ]
    assert [s.name for s in outline["systems"].children or []] == ["gpu_box"]
    assert [(e.name, e.detail) for e in outline["evaluators"].children or []] == [("common_evaluator", "accuracy")]
    assert text_at(CONFIG, passes[0].selection_range) == '"lora"'
    assert no_server_errors(client)


async def test_definition_jumps_from_each_kind_of_reference(client: LanguageClient) -> None:
    await open_document(client, CONFIG)
    cases = [
        (position_of(CONFIG, '"train_data"', nth=1), "train_data", 6),  # a pass's train_data_config
        (position_of(CONFIG, '"eval_data"', nth=1), "eval_data", 7),  # a metric's data_config
        (position_of(CONFIG, '"gpu_box"', nth=2), "gpu_box", 3),  # top-level host
        (position_of(CONFIG, '"common_evaluator"', nth=1), "common_evaluator", 10),  # a pass's evaluator
    ]
    for position, name, line in cases:
        result = await client.text_document_definition_async(
            types.DefinitionParams(text_document=DOC, position=position)
        )
        assert isinstance(result, list)
        [location] = result
        assert isinstance(location, types.Location)
        assert text_at(CONFIG, location.range) == name
        assert location.range.start.line == line


async def test_references_list_every_use_from_either_side(client: LanguageClient) -> None:
    await open_document(client, CONFIG)
    on_definition = position_of(CONFIG, '"gpu_box"')
    with_declaration = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=DOC, position=on_definition, context=types.ReferenceContext(include_declaration=True)
        )
    )
    assert with_declaration is not None
    assert [loc.range.start.line for loc in with_declaration] == [3, 17, 21, 22]
    on_reference = position_of(CONFIG, '"gpu_box"', nth=3)
    without = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=DOC, position=on_reference, context=types.ReferenceContext(include_declaration=False)
        )
    )
    assert without is not None
    assert [loc.range.start.line for loc in without] == [17, 21, 22]


async def test_rename_changes_the_definition_and_every_reference(client: LanguageClient) -> None:
    await open_document(client, CONFIG)
    position = position_of(CONFIG, '"train_data"', nth=2)  # the quantization pass's data_config
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=DOC, position=position)
    )
    assert isinstance(prepared, types.PrepareRenamePlaceholder)
    assert prepared.placeholder == "train_data"
    assert text_at(CONFIG, prepared.range) == "train_data"
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=DOC, position=position, new_name="mrpc_train")
    )
    assert edit is not None and edit.changes is not None
    renamed = apply_edits(CONFIG, edit.changes[URI])
    config = json.loads(renamed)
    assert config["data_configs"][0]["name"] == "mrpc_train"
    assert config["passes"]["lora"]["train_data_config"] == "mrpc_train"
    assert config["passes"]["quantization"]["data_config"] == "mrpc_train"
    assert '"train_data"' not in renamed
    assert check_text(renamed).findings == []


@pytest.mark.parametrize(
    ("needle", "nth", "new_name", "says"),
    [
        ('"train_data"', 0, "train data", "not a valid data config name"),
        ('"train_data"', 1, "eval_data", "already defines"),
        ('"gpu_box"', 1, "", "cannot be empty"),
    ],
)
async def test_rename_refuses_bad_names_with_a_reason(
    client: LanguageClient, needle: str, nth: int, new_name: str, says: str
) -> None:
    await open_document(client, CONFIG)
    with pytest.raises(JsonRpcException) as error:
        await client.text_document_rename_async(
            types.RenameParams(text_document=DOC, position=position_of(CONFIG, needle, nth), new_name=new_name)
        )
    assert says in error.value.message
    assert error.value.code == types.LSPErrorCodes.RequestFailed.value
    assert no_server_errors(client)


async def test_prepare_rename_refuses_an_undefined_name_and_ignores_other_strings(client: LanguageClient) -> None:
    text = CONFIG.replace('"host": "gpu_box"', '"host": "remote"')
    await open_document(client, text)
    with pytest.raises(JsonRpcException, match="not defined in `systems`"):
        await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=DOC, position=position_of(text, '"remote"'))
        )
    on_pass_type = position_of(text, '"LoRA"')
    assert (
        await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=DOC, position=on_pass_type)
        )
        is None
    )
    assert (
        await client.text_document_definition_async(types.DefinitionParams(text_document=DOC, position=on_pass_type))
        == []
    )


async def test_folding_ranges_cover_multiline_containers(client: LanguageClient) -> None:
    await open_document(client, CONFIG)
    result = await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=DOC))
    assert result is not None
    spans = {(r.start_line, r.end_line) for r in result}
    assert (0, 24) in spans  # the root object, up to the line before its brace
    assert (2, 3) in spans  # systems
    assert (5, 7) in spans  # data_configs
    assert all(r.end_line > r.start_line for r in result)


async def test_half_typed_and_other_documents_get_well_formed_answers(client: LanguageClient) -> None:
    half = '{\n  "systems": {"local": {"type": "LocalSystem"}},\n  "passes": {"a": {"type": "LoRA", "host": "local'
    await open_document(client, half)
    outline = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=DOC))
    assert [s.name for s in outline or []] == ["systems", "passes"]
    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=DOC, position=position_of(half, '"local', nth=1))
    )
    assert isinstance(definition, list)  # the unterminated "local still names the system
    assert [text_at(half, loc.range) for loc in definition if isinstance(loc, types.Location)] == ["local"]
    assert await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=DOC)) is not None
    other = "file:///work/package.json"
    await open_document(client, '{"name": "x",\n "scripts": {\n  "a": "b"\n }\n}', other)
    other_doc = types.TextDocumentIdentifier(uri=other)
    assert not await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=other_doc))
    assert not await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=other_doc))
    assert no_server_errors(client)


# -- the functions -------------------------------------------------------------------------------


def names_of(text: str) -> list[tuple[str, str, bool]]:
    return [(o.kind, o.name, o.is_definition) for o in occurrences(analysis_of(text).tree)]


def test_every_reference_place_olive_resolves() -> None:
    text = json.dumps(
        {
            "input_model": {"type": "HfModel", "model_path": "m"},
            "systems": {"s": {"type": "LocalSystem"}},
            "evaluators": {"e": {"metrics": [{"name": "m", "type": "latency", "data_config": "d"}]}},
            "data_configs": [{"name": "d"}],
            "engine": {"host": "s", "target": "s", "evaluator": "e"},
            "passes": {
                "p": {"type": "OnnxStaticQuantization", "config": {"x": {"calib_data_config": "d"}}},
                "q": [{"type": "LoRA", "host": "s", "evaluator": {"metrics": [{"data_config": "d"}]}}],
                "r": {"type": "LoRA", "type_data_config": 3, "host": 5, "data_config": "d"},
            },
        }
    )
    found = names_of(text)
    assert found.count(("data_config", "d", False)) == 4  # metric, nested under config, inline evaluator, flat
    assert found.count(("system", "s", False)) == 3
    assert found.count(("evaluator", "e", False)) == 1
    assert {o for o in found if o[2]} == {("system", "s", True), ("evaluator", "e", True), ("data_config", "d", True)}


def test_old_object_form_data_configs_are_defined_by_their_key() -> None:
    text = (
        '{"input_model": {"type": "HfModel", "model_path": "m"},\n'
        ' "data_configs": {"train": {"name": "train", "type": "HuggingfaceContainer"}},\n'
        ' "passes": {"lora": {"type": "LoRA", "train_data_config": "train"}}}'
    )
    analysis = analysis_of(text)
    targets = navigation.definition(analysis, position_of(text, '"train"', nth=2))
    assert [text_at(text, t.range) for t in targets] == ["train", "train"]  # the key and the inner name
    edit = navigation.rename(analysis, position_of(text, '"train"', nth=2), "train_split")
    assert isinstance(edit, types.WorkspaceEdit) and edit.changes is not None
    assert apply_edits(text, edit.changes[URI]).count('"train_split"') == 3


def test_rename_escapes_and_keeps_utf16_columns() -> None:
    text = CONFIG.replace('"systems": {', '"systems": {"😀": {"type": "LocalSystem"},', 1)
    analysis = analysis_of(text)
    edit = navigation.rename(analysis, position_of(text, '"gpu_box"'), 'gpu "box"')
    assert isinstance(edit, types.WorkspaceEdit) and edit.changes is not None
    renamed = json.loads(apply_edits(text, edit.changes[URI]))
    assert renamed["host"] == renamed["passes"]["lora"]["host"] == 'gpu "box"'
    assert 'gpu "box"' in renamed["systems"]


def test_outline_of_old_layouts_and_alternatives() -> None:
    text = json.dumps(
        {
            "input_model": {"type": "PyTorchModel", "config": {"hf_config": {"model_name": "microsoft/phi-2"}}},
            "data_configs": {"d": {"type": "HuggingfaceContainer"}},
            "passes": {"q": [{"type": "OnnxDynamicQuantization"}, {"type": "OnnxStaticQuantization"}]},
            "engine": {"cache_dir": "cache", "target": "s"},
            "": 1,
        },
        indent=2,
    )
    outline = symbols.document_symbols(analysis_of(text))
    assert outline[0].detail == "PyTorchModel · microsoft/phi-2"
    assert [(d.name, d.detail) for d in outline[1].children or []] == [("d", "HuggingfaceContainer")]
    assert (outline[2].children or [])[0].detail == "OnnxDynamicQuantization | OnnxStaticQuantization"
    assert [(e.name, e.detail) for e in outline[3].children or []] == [("cache_dir", '"cache"'), ("target", '"s"')]
    assert outline[4].name == '""'  # clients reject empty symbol names


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        '{"passes": {"a": [',
        '{"input_model": 3, "passes": []}',
        '{"passes": {"x": {"type": 5, "host": , "evaluator": {"metrics": [1, {"data_config": }]}}}}',
        '{"data_configs": [{"name": }, 3], "systems": {"a": }, "evaluators": [], "engine": 7}',
        '{"input_model": {"type": "HfModel"}, "passes": {"p": {"type": "LoRA", "train_data_config": "x',
        "[1, 2",
    ],
)
def test_broken_documents_give_well_formed_answers(text: str) -> None:
    analysis = analysis_of(text)
    for symbol in symbols.document_symbols(analysis):
        assert symbol.name
    for fold in folding.folding_ranges(analysis):
        assert fold.end_line > fold.start_line
    for offset in range(len(text) + 1):
        line, character = analysis.index.utf16_position(offset)
        position = types.Position(line, character)
        navigation.definition(analysis, position)
        navigation.references(analysis, position, True)
        navigation.prepare_rename(analysis, position)
        navigation.rename(analysis, position, "new_name")


def test_references_are_the_places_the_checker_resolves_on_every_corpus_config() -> None:
    """With the definitions taken away, every reference we find is a dangling-name finding, and vice versa."""
    corpus = shared_path("olive", "corpus")
    compared = 0
    for path in sorted(corpus.rglob("*.json")):
        try:
            config = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if not isinstance(config, dict):
            continue
        config.update({key: [] if key == "data_configs" else {} for key in SECTIONS.values() if key in config})
        text = json.dumps(config, indent=1)
        doc = parse(text)
        ours = {(o.node_start, o.node_end) for o in occurrences(doc) if not o.is_definition}
        dangling = {
            (f.start, f.end)
            for f in check_document(doc, NEWEST)
            if f.code in (codes.UNDEFINED_DATA_CONFIG, codes.UNDEFINED_SYSTEM, codes.UNDEFINED_EVALUATOR)
        }
        magic = {(s, e) for s, e in ours if text[s + 1 : e - 1] in MAGIC_NAMES}
        assert ours - magic == dangling - magic, path
        compared += bool(ours)
    assert compared > 500


def test_outline_and_folding_of_every_corpus_config() -> None:
    for path in sorted(shared_path("olive", "corpus").rglob("*.json")):
        analysis = parsed_only(path.read_text(encoding="utf-8"), uri=path.as_uri())
        for symbol in symbols.document_symbols(analysis):
            assert symbol.name
        assert all(f.end_line > f.start_line for f in folding.folding_ranges(analysis))
