"""Document sync, diagnostics and settings: check on open and on every change, re-check on new settings."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from olive_lsp.server import OliveServer, guarded, server
from olive_lsp.settings import parse_client_facts, parse_settings


def apply_settings(ls: OliveServer, raw: Any) -> None:
    ls.settings = parse_settings(raw)
    for problem in ls.settings.problems:
        ls.log_problem(problem)
    for uri in ls.analyses.uris():
        ls.publish(uri)


@server.feature(types.INITIALIZE)
@guarded
def initialize(ls: OliveServer, params: types.InitializeParams) -> None:
    if params.initialization_options:
        ls.client_facts = parse_client_facts(params.initialization_options)
        apply_settings(ls, params.initialization_options)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded
def did_open(ls: OliveServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded
def did_change(ls: OliveServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded
def did_close(ls: OliveServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.analyses.forget(params.text_document.uri)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
@guarded
def did_change_configuration(ls: OliveServer, params: types.DidChangeConfigurationParams) -> None:
    apply_settings(ls, params.settings)
