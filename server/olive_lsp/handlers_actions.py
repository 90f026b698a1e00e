"""Formatting, code actions, code lenses and the server's commands: LSP wiring for the action features.

Each handler answers from the document's current analysis through a feature
module; commands report to the user with ``window/showMessage`` and return a
JSON result, so a client can act on it (or a test can check it).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from lsprotocol import types

from olive_lsp import code_actions, code_lens, commands, formatting
from olive_lsp.server import OliveServer, guarded, server

CODE_ACTION_KINDS = [types.CodeActionKind.QuickFix, types.CodeActionKind.Source, code_actions.MIGRATE_KIND]


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
@guarded
def format_document(ls: OliveServer, params: types.DocumentFormattingParams) -> list[types.TextEdit]:
    return formatting.format_document(ls.analysis(params.text_document.uri), params.options)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=CODE_ACTION_KINDS))
@guarded
def code_action(ls: OliveServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    return code_actions.code_actions(ls.analysis(params.text_document.uri), params.context)


@server.feature(types.TEXT_DOCUMENT_CODE_LENS)
@guarded
def lenses(ls: OliveServer, params: types.CodeLensParams) -> list[types.CodeLens]:
    return code_lens.code_lenses(ls.analysis(params.text_document.uri), ls.client_facts.runs_allowed)


@server.command(commands.SUBMIT_AZURE_ML)
@guarded
def submit_azure_ml(ls: OliveServer, *args: Any) -> dict[str, Any]:
    return _execute(ls, commands.SUBMIT_AZURE_ML, args)


@server.command(commands.VALIDATE)
@guarded
def validate(ls: OliveServer, *args: Any) -> dict[str, Any]:
    return _execute(ls, commands.VALIDATE, args)


def _execute(ls: OliveServer, command: str, args: tuple[Any, ...]) -> dict[str, Any]:
    """Run ``command`` on the document the first argument names; tell the user the outcome (if there is one)."""
    outcome = check(ls, command, args)
    if outcome.message:
        ls.window_show_message(types.ShowMessageParams(type=outcome.message_type, message=outcome.message))
    return outcome.result


def check(ls: OliveServer, command: str, args: tuple[Any, ...]) -> commands.Outcome:
    """Validate the document the first argument names, for ``command``."""
    uri = commands.uri_argument(args)
    if uri is None:
        outcome = commands.refused(f"{commands.TITLES[command]} needs the URI of an Olive config as its argument.")
    elif not uri.startswith("file:") and unquote(uri) not in ls.workspace.text_documents:
        outcome = commands.refused(f"{uri} is not open in the editor: open it first.")
    else:
        try:
            outcome = commands.execute(command, ls.analysis(uri), ls.settings)
        except OSError as exc:  # a URI of a document that is neither open nor readable
            outcome = commands.refused(f"Cannot read {uri}: {exc.strerror or exc}")
    return outcome
