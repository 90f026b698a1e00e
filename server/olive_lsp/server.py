"""Wiring of the features to LSP: document sync and diagnostics for now.

Every handler is guarded: a bug in a feature is logged to the client and the
server carries on, because a crashed server leaves the user with no help at all.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from functools import cache, wraps
from typing import ParamSpec, TypeVar
from urllib.parse import unquote, urlparse

from lsprotocol import types
from olive_schema import versions
from pygls.lsp.server import LanguageServer

from olive_lsp.diagnostics import diagnostics_for

NAME = "olive-studio"
VERSION = "0.1.0"
log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

server = LanguageServer(NAME, VERSION, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)


def guarded(handler: Callable[P, R]) -> Callable[P, R | None]:
    """Log a failing handler to the client instead of letting it take the server down."""

    @wraps(handler)
    def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return handler(*args, **kwargs)
        except Exception:
            message = f"{handler.__name__} failed:\n{traceback.format_exc()}"
            log.error(message)
            server.window_log_message(types.LogMessageParams(types.MessageType.Error, message))
            return None

    return run


@cache
def target_version() -> str:
    """The olive-ai installed beside the server, else the newest release the facts know."""
    return versions.resolve(None)


def _filename(uri: str) -> str:
    return unquote(urlparse(uri).path)


def publish(uri: str) -> None:
    document = server.workspace.get_text_document(uri)
    filename = _filename(uri) if uri.startswith("file:") else None
    found = diagnostics_for(document.source, filename, document.position_codec, document.lines, target_version())
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, version=document.version, diagnostics=found)
    )


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded
def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded
def did_close(ls: LanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
    )


def serve() -> None:
    """Run over stdio until the client says exit."""
    server.start_io()
