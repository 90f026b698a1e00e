"""Helpers shared by the editor-feature tests: build analyses, open documents, find and apply positions."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from lsprotocol import types
from olive_lsp.analysis import Analysis, analyze, filename_of
from olive_schema import versions
from olive_schema.checker import CheckResult
from olive_schema.detect import is_olive_config
from olive_schema.jsontree import LineIndex, parse
from pygls.workspace import TextDocument
from pytest_lsp import ClientServerConfig, LanguageClient

URI = "file:///work/olive-config.json"
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "olive_lsp"])
CAPABILITIES = types.ClientCapabilities(
    text_document=types.TextDocumentClientCapabilities(
        rename=types.RenameClientCapabilities(prepare_support=True),
        document_symbol=types.DocumentSymbolClientCapabilities(hierarchical_document_symbol_support=True),
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(value_set=[k for k in types.CodeActionKind])
            ),
            is_preferred_support=True,
        ),
    )
)

# A clean config for Olive 0.13.0 that uses every kind of name reference.
CONFIG = """{
  "input_model": {"type": "HfModel", "model_path": "microsoft/Phi-3-mini-4k-instruct"},
  "systems": {
    "gpu_box": {"type": "LocalSystem", "accelerators": [{"device": "gpu"}]}
  },
  "data_configs": [
    {"name": "train_data", "type": "HuggingfaceContainer", "load_dataset_config": {"data_name": "glue"}},
    {"name": "eval_data", "type": "HuggingfaceContainer", "load_dataset_config": {"data_name": "glue"}}
  ],
  "evaluators": {
    "common_evaluator": {
      "metrics": [
        {"name": "accuracy", "type": "accuracy", "data_config": "eval_data", "sub_types": [{"name": "accuracy_score"}]}
      ]
    }
  },
  "passes": {
    "lora": {"type": "LoRA", "train_data_config": "train_data", "eval_data_config": "eval_data", "host": "gpu_box"},
    "conversion": {"type": "OnnxConversion", "target_opset": 17},
    "quantization": {"type": "OnnxStaticQuantization", "data_config": "train_data", "evaluator": "common_evaluator"}
  },
  "host": "gpu_box",
  "target": "gpu_box",
  "evaluator": "common_evaluator",
  "output_dir": "models/out"
}
"""


def analysis_of(text: str, uri: str = URI, version: str | None = None) -> Analysis:
    """The analysis the server would make of ``text``, without a server."""
    return analyze(TextDocument(uri, text, version=1), version or versions.newest())


def parsed_only(text: str, uri: str = URI) -> Analysis:
    """An analysis without findings, for features that read only the tree (fast enough for the whole corpus)."""
    document = TextDocument(uri, text, version=1)
    tree = parse(text)
    return Analysis(
        uri=uri,
        version=1,
        text=text,
        result=CheckResult(tree, [], versions.newest()),
        index=LineIndex(text),
        is_olive=is_olive_config(tree.root, filename_of(uri)),
        _document=document,
    )


async def open_document(client: LanguageClient, text: str, uri: str = URI) -> list[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="json", version=1, text=text))
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


def position_of(text: str, needle: str, nth: int = 0, delta: int = 1) -> types.Position:
    """The position ``delta`` characters into the ``nth`` occurrence of ``needle`` (UTF-16 columns)."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line, character = LineIndex(text).utf16_position(offset + delta)
    return types.Position(line, character)


def offset_of(text: str, position: types.Position) -> int:
    return LineIndex(text).offset_of_utf16(position.line, position.character)


def text_at(text: str, rng: types.Range) -> str:
    return text[offset_of(text, rng.start) : offset_of(text, rng.end)]


def apply_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply non-overlapping LSP edits, as a client would."""
    spans = sorted((offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits)
    for start, end, new_text in reversed(spans):
        text = text[:start] + new_text + text[end:]
    return text


def no_server_errors(client: LanguageClient) -> bool:
    """Guarded handlers log failures as errors: a test that ends with none saw no crash."""
    return not [m for m in client.log_messages if m.type == types.MessageType.Error]
