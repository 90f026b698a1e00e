"""Outline, folding, go to definition, find references and rename: LSP wiring for the navigation features.

The features are functions of an analysis in their own modules; here each
request is answered for the document's current analysis.  Rename's refusals
(an invalid or taken name) become error responses, which editors show to the
user, so the guarded part returns them as values and only the thin outer
handler raises.
"""

from __future__ import annotations

from typing import TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from olive_lsp import folding, navigation, symbols
from olive_lsp.navigation import Rejection
from olive_lsp.server import OliveServer, guarded, server

T = TypeVar("T")


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@guarded
def document_symbol(ls: OliveServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    return symbols.document_symbols(ls.analysis(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
@guarded
def folding_range(ls: OliveServer, params: types.FoldingRangeParams) -> list[types.FoldingRange]:
    return folding.folding_ranges(ls.analysis(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@guarded
def definition(ls: OliveServer, params: types.DefinitionParams) -> list[types.Location]:
    return navigation.definition(ls.analysis(params.text_document.uri), params.position)


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
@guarded
def references(ls: OliveServer, params: types.ReferenceParams) -> list[types.Location]:
    analysis = ls.analysis(params.text_document.uri)
    return navigation.references(analysis, params.position, params.context.include_declaration)


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: OliveServer, params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder | None:
    return _refuse_or_return(_prepare_rename(ls, params))


@server.feature(types.TEXT_DOCUMENT_RENAME)
def rename(ls: OliveServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    return _refuse_or_return(_rename(ls, params))


@guarded
def _prepare_rename(
    ls: OliveServer, params: types.PrepareRenameParams
) -> types.PrepareRenamePlaceholder | Rejection | None:
    return navigation.prepare_rename(ls.analysis(params.text_document.uri), params.position)


@guarded
def _rename(ls: OliveServer, params: types.RenameParams) -> types.WorkspaceEdit | Rejection | None:
    return navigation.rename(ls.analysis(params.text_document.uri), params.position, params.new_name)


def _refuse_or_return(outcome: T | Rejection | None) -> T | None:
    """Raise a refusal as a ``RequestFailed`` error response (its message is what the user reads)."""
    if isinstance(outcome, Rejection):
        raise JsonRpcException(outcome.message, code=types.LSPErrorCodes.RequestFailed.value)
    return outcome
