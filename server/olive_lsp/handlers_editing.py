"""Completion and hover, wired to LSP."""

from __future__ import annotations

from lsprotocol import types

from olive_lsp.completion import complete
from olive_lsp.hover import hover
from olive_lsp.server import OliveServer, guarded, server


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=['"', ":"]))
@guarded
def completion(ls: OliveServer, params: types.CompletionParams) -> types.CompletionList | None:
    return complete(ls.analysis(params.text_document.uri), params.position)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@guarded
def on_hover(ls: OliveServer, params: types.HoverParams) -> types.Hover | None:
    return hover(ls.analysis(params.text_document.uri), params.position)
