"""Code lenses above ``"passes"``: run the pipeline locally, submit it to Azure ML, or validate it.

The passes are what a run executes, so that is where the buttons go; each calls
a server command with the document's URI, which validates before doing
anything.  Other JSON files get no lenses; where runs are not allowed (an
untrusted workspace) only Validate is offered.
"""

from __future__ import annotations

from lsprotocol import types

from olive_lsp.analysis import Analysis
from olive_lsp.commands import RUN_LOCALLY, SUBMIT_AZURE_ML, VALIDATE

LENSES = ((RUN_LOCALLY, "▶ Run locally"), (SUBMIT_AZURE_ML, "☁ Submit to Azure ML"), (VALIDATE, "✓ Validate"))


def code_lenses(analysis: Analysis, runs_allowed: bool = True) -> list[types.CodeLens]:
    root = analysis.tree.root
    passes = root.prop("passes") if analysis.is_olive and root is not None and root.kind == "object" else None
    if passes is None:
        return []
    where = analysis.range_of(passes.key.start, passes.key.end)
    return [
        types.CodeLens(range=where, command=types.Command(title=title, command=command, arguments=[analysis.uri]))
        for command, title in LENSES
        if runs_allowed or command == VALIDATE
    ]
