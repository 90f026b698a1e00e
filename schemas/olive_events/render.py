"""Renderings of the contract for readers outside Python: docs/events.md's tables and the extension's types.

``python -m olive_events.render --write`` regenerates the three files; tests/events/test_contract.py fails
when any of them differs from what this module renders, so the docs and the TypeScript cannot drift from
``contract.py``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from olive_events import contract, schema

REPO = Path(__file__).resolve().parents[2]
DOCS_FILE = REPO / "docs" / "events.md"
TS_FILE = REPO / "extension" / "src" / "shared" / "events.generated.ts"
DOCS_START = "<!-- generated from schemas/olive_events/contract.py: start -->"
DOCS_END = "<!-- generated from schemas/olive_events/contract.py: end -->"


def literal_names() -> dict[tuple[Any, ...], str]:
    """The named Literal aliases of contract.py (``PassStatus``...), by their values."""
    return {get_args(v): k for k, v in vars(contract).items() if get_origin(v) is Literal}


# ---------------------------------------------------------------------------------------------- markdown


def md_type(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is Literal:
        return " \\| ".join(f"`{v}`" for v in get_args(annotation))
    if origin in (types.UnionType, typing.Union):
        return " or ".join(md_type(a) if a is not type(None) else "null" for a in get_args(annotation))
    if origin is list:
        return f"list of {md_type(get_args(annotation)[0])}"
    if dataclasses.is_dataclass(annotation):
        return "`{" + ", ".join(f.name for f in dataclasses.fields(annotation)) + "}`"
    return {str: "string", int: "integer", float: "number", bool: "boolean"}[annotation]


def markdown() -> str:
    """The envelope table, then one table per event type."""
    lines = [
        f"Events format version **{contract.VERSION}** (major {contract.MAJOR}). Every event has:",
        "",
        "| field | meaning |",
        "|---|---|",
        *(f"| `{name}` | {meaning} |" for name, meaning in contract.ENVELOPE.items()),
        "",
        "| type | when |",
        "|---|---|",
        *(f"| [`{cls.TYPE}`](#{cls.TYPE}) | {cls.WHEN} |" for cls in contract.EVENT_TYPES),
    ]
    for cls in contract.EVENT_TYPES:
        lines += ["", f"### {cls.TYPE}", "", f"{cls.WHEN[0].upper()}{cls.WHEN[1:]} (since {cls.SINCE}).", ""]
        lines += ["| field | type | required | since | meaning |", "|---|---|---|---|---|"]
        for f, hint in schema.declared_fields(cls):
            need = "yes" if schema.is_required(f) else "no"
            since = f.metadata.get("since", cls.SINCE)
            lines.append(f"| `{f.name}` | {md_type(hint)} | {need} | {since} | {f.metadata.get('doc', '')} |")
    return "\n".join(lines) + "\n"


def docs_text(current: str) -> str:
    """``current`` (docs/events.md) with the generated part replaced."""
    head, found, rest = current.partition(DOCS_START)
    _, found_end, tail = rest.partition(DOCS_END)
    if not found or not found_end:
        raise ValueError(f"{DOCS_FILE} lacks the markers {DOCS_START!r} ... {DOCS_END!r}")
    return f"{head}{DOCS_START}\n{markdown()}{DOCS_END}{tail}"


# ---------------------------------------------------------------------------------------------- TypeScript


def ts_type(annotation: Any, names: dict[tuple[Any, ...], str]) -> str:
    origin = get_origin(annotation)
    if origin is Literal:
        values = get_args(annotation)
        return names.get(values) or " | ".join(f"'{v}'" for v in values)
    if origin in (types.UnionType, typing.Union):
        return " | ".join(ts_type(a, names) if a is not type(None) else "null" for a in get_args(annotation))
    if origin is list:
        inner = ts_type(get_args(annotation)[0], names)
        return f"readonly {inner}[]" if " " not in inner else f"readonly ({inner})[]"
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return annotation.__name__
    return {str: "string", int: "number", float: "number", bool: "boolean"}[annotation]


def ts_interface(name: str, cls: Any, names: dict[tuple[Any, ...], str], extends: str = "") -> list[str]:
    head = f"export interface {name}{f' extends {extends}' if extends else ''} {{"
    body = []
    if extends:
        body.append(f"    readonly type: '{cls.TYPE}';")
    for f, hint in schema.declared_fields(cls):
        mark = "" if schema.is_required(f) else "?"
        body += [f"    /** {f.metadata.get('doc', '')} */", f"    readonly {f.name}{mark}: {ts_type(hint, names)};"]
    return [head, *body, "}"]


def typescript() -> str:
    names = literal_names()
    out = [
        "// Generated from schemas/olive_events/contract.py by `python -m olive_events.render --write`: do not edit.",
        "// The run events as the runner declares them (docs/events.md). Readers still check every field at run time:",
        "// events come from another process, and a newer runner may add types and optional fields.",
        "",
        f"export const EVENTS_MAJOR = {contract.MAJOR};",
        f"export const EVENTS_VERSION = '{contract.VERSION}';",
        "export const EVENT_TYPES = [" + ", ".join(f"'{c.TYPE}'" for c in contract.EVENT_TYPES) + "] as const;",
        "export type EventType = (typeof EVENT_TYPES)[number];",
        "",
    ]
    for values, name in sorted(names.items(), key=lambda item: item[1]):
        out.append(f"export type {name} = {' | '.join(repr(v) for v in values)};")
    out.append("")
    for part in (contract.PassRef, contract.Progress):
        out += [f"/** {(part.__doc__ or '').strip()} */", *ts_interface(part.__name__, part, names), ""]
    out += [
        "/** What every event carries. */",
        "export interface EventEnvelope {",
        *(_envelope_line(key, meaning) for key, meaning in contract.ENVELOPE.items()),
        "}",
        "",
    ]
    for cls in contract.EVENT_TYPES:
        out += [f"/** `{cls.TYPE}`: {cls.WHEN}. */", *ts_interface(_ts_name(cls), cls, names, "EventEnvelope"), ""]
    out.append("export type KnownRunEvent =\n" + "\n".join(f"    | {_ts_name(c)}" for c in contract.EVENT_TYPES) + ";")
    return "\n".join(out) + "\n"


def _ts_name(cls: type[contract.Event]) -> str:
    return cls.__name__ if cls.__name__.endswith("Event") else f"{cls.__name__}Event"


def _envelope_line(key: str, meaning: str) -> str:
    kind = {"v": "number", "type": "string", "time": "number", "run_id": "string", "progress": "Progress"}[key]
    return f"    /** {meaning} */\n    readonly {key}{'?' if key == 'progress' else ''}: {kind};"


# ---------------------------------------------------------------------------------------------- files


def rendered() -> dict[Path, str]:
    """Each generated file and what it must hold."""
    return {
        schema.SCHEMA_FILE: schema.render(),
        DOCS_FILE: docs_text(DOCS_FILE.read_text(encoding="utf-8")),
        TS_FILE: typescript(),
    }


def stale() -> list[Path]:
    return [path for path, text in rendered().items() if not path.exists() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m olive_events.render", description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the generated files")
    args = parser.parse_args(argv)
    if not args.write:
        for path in stale():
            print(f"stale: {path}", file=sys.stderr)
        return 1 if stale() else 0
    for path, text in rendered().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
