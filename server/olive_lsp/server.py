"""The language server: one pygls instance, the shared state, and the handler modules that wire features.

Features are functions of (analysis, position) in their own modules; the
``handlers_*`` modules connect them to LSP.  Every handler is guarded: a bug in
a feature is logged to the client and the server carries on, because a crashed
server leaves the user with no help at all.
"""

from __future__ import annotations

import importlib
import logging
import traceback
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from olive_lsp.analysis import Analyses, Analysis
from olive_lsp.diagnostics import diagnostics_for
from olive_lsp.settings import ClientFacts, Settings

NAME = "olive-studio"
VERSION = "0.1.0"
HANDLER_MODULES = (
    "handlers_documents",
    "handlers_editing",
    "handlers_navigation",
    "handlers_actions",
    "handlers_runs",
)
log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


class OliveServer(LanguageServer):
    """pygls' server plus what every handler shares: settings and the analyses of open documents."""

    def __init__(self) -> None:
        super().__init__(NAME, VERSION, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = Settings()
        self.client_facts = ClientFacts()
        self.analyses = Analyses()

    def analysis(self, uri: str) -> Analysis:
        """The analysis of the document's current text (computed at most once per version)."""
        document = self.workspace.get_text_document(uri)
        return self.analyses.get(document, self.settings.target_version())

    def publish(self, uri: str) -> None:
        analysis = self.analysis(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=analysis.version, diagnostics=diagnostics_for(analysis, self.settings)
            )
        )

    def log_problem(self, message: str) -> None:
        log.warning(message)
        self.window_log_message(types.LogMessageParams(types.MessageType.Warning, message))


server = OliveServer()


def guarded(handler: Callable[P, R]) -> Callable[P, R | None]:
    """Log a failing handler to the client instead of letting it take the server down."""

    @wraps(handler)
    def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return handler(*args, **kwargs)
        except Exception:
            _report_failure(handler.__name__)
            return None

    return run


def guarded_async(handler: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R | None]]:
    """``guarded`` for coroutine handlers (pygls awaits them on its event loop)."""

    @wraps(handler)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return await handler(*args, **kwargs)
        except Exception:
            _report_failure(handler.__name__)
            return None

    return run


def _report_failure(name: str) -> None:
    """The traceback of the exception being handled, to the log and to the client's log."""
    message = f"{name} failed:\n{traceback.format_exc()}"
    log.error(message)
    server.window_log_message(types.LogMessageParams(types.MessageType.Error, message))


def load_handlers() -> None:
    """Import the handler modules (each registers its features on ``server``); absent ones are skipped."""
    for name in HANDLER_MODULES:
        try:
            importlib.import_module(f"olive_lsp.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"olive_lsp.{name}":
                raise


def serve() -> None:
    """Run over stdio until the client says exit."""
    load_handlers()
    server.start_io()
