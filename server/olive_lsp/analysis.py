"""One analysis per document version, shared by every feature.

Parsing and checking happen once per edit; completion, hover, symbols and the
rest read the same tree and findings.  Positions cross the LSP boundary in the
client's encoding (UTF-16 for VS Code) and are offsets into the text inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from olive_schema.checker import CheckOptions, CheckResult, check_text
from olive_schema.detect import is_olive_config
from olive_schema.jsontree import Document, LineIndex
from pygls.workspace import TextDocument


@dataclass(frozen=True, slots=True)
class Analysis:
    uri: str
    version: int | None
    text: str
    result: CheckResult
    index: LineIndex
    is_olive: bool
    _document: TextDocument

    @property
    def tree(self) -> Document:
        return self.result.document

    @property
    def olive_version(self) -> str:
        return self.result.olive_version

    def offset_at(self, position: types.Position) -> int:
        """The text offset of a client position."""
        server_position = self._document.position_codec.position_from_client_units(self._document.lines, position)
        line = min(server_position.line, len(self.index.line_starts) - 1)
        start = self.index.line_starts[line]
        end = self.index.line_starts[line + 1] if line + 1 < len(self.index.line_starts) else len(self.text)
        return min(start + server_position.character, end)

    def position_at(self, offset: int) -> types.Position:
        line, column = self.index.position(offset)
        return self._document.position_codec.position_to_client_units(
            self._document.lines, types.Position(line, column)
        )

    def range_of(self, start: int, end: int) -> types.Range:
        return types.Range(self.position_at(start), self.position_at(end))


def filename_of(uri: str) -> str | None:
    return unquote(urlparse(uri).path) if uri.startswith("file:") else None


class Analyses:
    """The latest analysis of each open document, recomputed only when its version changes."""

    def __init__(self) -> None:
        self._by_uri: dict[str, Analysis] = {}

    def get(self, document: TextDocument, olive_version: str) -> Analysis:
        cached = self._by_uri.get(document.uri)
        if (
            cached is not None
            and cached.version == document.version
            and cached.olive_version == olive_version
            and cached.text == document.source
        ):
            return cached
        analysis = analyze(document, olive_version)
        self._by_uri[document.uri] = analysis
        return analysis

    def forget(self, uri: str) -> None:
        self._by_uri.pop(uri, None)

    def uris(self) -> list[str]:
        return list(self._by_uri)


def analyze(document: TextDocument, olive_version: str) -> Analysis:
    text = document.source
    filename = filename_of(document.uri)
    base_dir = Path(filename).parent if filename else None
    result = check_text(text, CheckOptions(olive_version=olive_version, base_dir=base_dir))
    return Analysis(
        uri=document.uri,
        version=document.version,
        text=text,
        result=result,
        index=LineIndex(text),
        is_olive=is_olive_config(result.document.root, filename),
        _document=document,
    )
