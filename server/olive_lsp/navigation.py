"""Go to definition, find references and rename for data config, system and evaluator names.

A name is defined once (a key of ``systems``/``evaluators``, a data config's
``name``) and used wherever Olive resolves it (see ``names.py``).  All three
features start from the name under the cursor, on either side, and answer with
every string that is the same name of the same kind.  Rename refuses, with a
reason the editor shows, names Olive would not accept and names already taken,
because a silent no-op or a merged definition would be worse than no rename.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from lsprotocol import types

from olive_lsp.analysis import Analysis
from olive_lsp.names import SECTIONS, NameKind, Occurrence, occurrence_at, occurrences, same_name

DATA_CONFIG_NAME = re.compile(r"[A-Za-z0-9_]+")
_KIND_WORDS: dict[NameKind, str] = {"system": "system", "evaluator": "evaluator", "data_config": "data config"}


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a rename cannot be done; the handler turns it into an error response the editor shows."""

    message: str


def _target(analysis: Analysis, position: types.Position) -> tuple[list[Occurrence], Occurrence] | None:
    """All names of the document and the one under the cursor (None off a name or outside Olive configs)."""
    if not analysis.is_olive:
        return None
    found = occurrences(analysis.tree)
    target = occurrence_at(found, analysis.offset_at(position))
    return (found, target) if target is not None else None


def _location(analysis: Analysis, occurrence: Occurrence) -> types.Location:
    return types.Location(analysis.uri, analysis.range_of(occurrence.start, occurrence.end))


def definition(analysis: Analysis, position: types.Position) -> list[types.Location]:
    """Where the name under the cursor is defined (empty for an undefined name)."""
    hit = _target(analysis, position)
    if hit is None:
        return []
    found, target = hit
    return [_location(analysis, o) for o in same_name(found, target) if o.is_definition]


def references(analysis: Analysis, position: types.Position, include_declaration: bool) -> list[types.Location]:
    """Every use of the name under the cursor, with its definition when the client asks for it."""
    hit = _target(analysis, position)
    if hit is None:
        return []
    found, target = hit
    return [_location(analysis, o) for o in same_name(found, target) if include_declaration or not o.is_definition]


def prepare_rename(analysis: Analysis, position: types.Position) -> types.PrepareRenamePlaceholder | Rejection | None:
    """The name's range and text when it can be renamed; None off a name."""
    hit = _target(analysis, position)
    if hit is None:
        return None
    found, target = hit
    problem = _undefined(found, target)
    if problem is not None:
        return problem
    return types.PrepareRenamePlaceholder(analysis.range_of(target.start, target.end), target.name)


def rename(analysis: Analysis, position: types.Position, new_name: str) -> types.WorkspaceEdit | Rejection | None:
    """Change the definition and every reference, or say why not."""
    hit = _target(analysis, position)
    if hit is None:
        return None
    found, target = hit
    problem = _undefined(found, target) or _invalid_name(found, target, new_name)
    if problem is not None:
        return problem
    if new_name == target.name:
        return types.WorkspaceEdit(changes={analysis.uri: []})
    replacement = json.dumps(new_name, ensure_ascii=False)[1:-1]  # the text between the quotes
    edits = [types.TextEdit(analysis.range_of(o.start, o.end), replacement) for o in same_name(found, target)]
    return types.WorkspaceEdit(changes={analysis.uri: edits})


def _undefined(found: list[Occurrence], target: Occurrence) -> Rejection | None:
    """Renaming a name nothing defines would only move the dangling reference around."""
    if any(o.is_definition for o in same_name(found, target)):
        return None
    return Rejection(
        f'"{target.name}" is not defined in `{SECTIONS[target.kind]}`, so there is nothing to rename; '
        f"define it first or pick a defined name."
    )


def _invalid_name(found: list[Occurrence], target: Occurrence, new_name: str) -> Rejection | None:
    what = _KIND_WORDS[target.kind]
    if target.kind == "data_config" and not DATA_CONFIG_NAME.fullmatch(new_name):
        return Rejection(
            f'"{new_name}" is not a valid data config name: use only letters, digits and underscores (A-Z a-z 0-9 _).'
        )
    if not new_name.strip() or new_name != new_name.strip():
        return Rejection(f"A {what} name cannot be empty or start or end with spaces.")
    if new_name != target.name and any(o.is_definition and o.name == new_name for o in _of_kind(found, target.kind)):
        return Rejection(f'`{SECTIONS[target.kind]}` already defines "{new_name}": pick another {what} name.')
    return None


def _of_kind(found: list[Occurrence], kind: NameKind) -> list[Occurrence]:
    return [o for o in found if o.kind == kind]
