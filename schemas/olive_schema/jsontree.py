"""An error-tolerant JSON parser that keeps ranges and nesting.

Editors send half-typed documents: a missing comma, an unterminated string, a
value not yet written.  ``json.loads`` stops at the first of these, and
tree-sitter's JSON grammar folds a broken object into one flat error node, so
neither can tell which object the cursor is in.  This parser recovers locally
(skip to the next comma, brace or key) so that every later feature can still
walk the tree, and it records each syntax problem with its exact offsets.

Offsets are indexes into the Python ``str`` (code points); ``LineIndex``
converts them to lines and columns for the CLI and for LSP (UTF-16).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal

NodeKind = Literal["object", "array", "string", "number", "boolean", "null", "invalid"]
Scalar = str | int | float | bool | None
PathPart = str | int
JsonPath = tuple[PathPart, ...]


@dataclass(eq=False, slots=True)
class Node:
    """A JSON value with its source range ``[start, end)``."""

    kind: NodeKind
    start: int
    end: int
    value: Scalar = None
    properties: list[Property] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)
    closed: bool = True

    def get(self, key: str) -> Node | None:
        """The value of the last property named ``key`` (json.loads keeps the last too)."""
        for prop in reversed(self.properties):
            if prop.key.value == key:
                return prop.value
        return None

    def prop(self, key: str) -> Property | None:
        for prop in reversed(self.properties):
            if prop.key.value == key:
                return prop
        return None

    def to_python(self) -> object:
        """The value ``json.loads`` would give, skipping half-written members."""
        if self.kind == "object":
            return {
                p.key.value: p.value.to_python()
                for p in self.properties
                if p.value is not None and p.value.kind != "invalid"
            }
        if self.kind == "array":
            return [item.to_python() for item in self.items if item.kind != "invalid"]
        return self.value


@dataclass(eq=False, slots=True)
class Property:
    """``"key": value``; ``value`` is None while the user has not written it yet."""

    key: Node
    value: Node | None
    colon: int | None

    @property
    def start(self) -> int:
        return self.key.start

    @property
    def end(self) -> int:
        return self.value.end if self.value is not None else self.key.end


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    message: str
    start: int
    end: int


@dataclass(slots=True)
class Document:
    """A parsed document: the root value (None for an empty one) and its syntax problems."""

    text: str
    root: Node | None
    problems: list[SyntaxProblem]

    def node_at_path(self, path: JsonPath) -> Node | None:
        node = self.root
        for part in path:
            if node is None:
                return None
            if isinstance(part, int):
                items = [i for i in node.items if i.kind != "invalid"] if node.kind == "array" else []
                node = items[part] if 0 <= part < len(items) else None
            else:
                node = node.get(part) if node.kind == "object" else None
        return node

    def property_at_path(self, path: JsonPath) -> Property | None:
        """The property whose value lives at ``path`` (None for array items and the root)."""
        if not path or not isinstance(path[-1], str):
            return None
        parent = self.node_at_path(path[:-1])
        if parent is None or parent.kind != "object":
            return None
        return parent.prop(path[-1])


_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n\ufeff]+)
  | (?P<line_comment>//[^\n]*)
  | (?P<block_comment>/\*.*?(?:\*/|\Z))
  | (?P<string>"(?:[^"\\\n]|\\.)*(?:"|(?=\n)|\Z))
  | (?P<number>-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<punct>[{}\[\]:,])
  | (?P<word>[A-Za-z_$][\w$.\-]*|-?\d[\w.+\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_LITERALS: dict[str, tuple[NodeKind, Scalar]] = {
    "true": ("boolean", True),
    "false": ("boolean", False),
    "null": ("null", None),
}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokenize(text: str, problems: list[SyntaxProblem]) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "ws":
            continue
        start, end = match.span()
        if kind in ("line_comment", "block_comment"):
            problems.append(
                SyntaxProblem("Comments are not allowed in JSON; Olive reads configs with a strict parser.", start, end)
            )
            continue
        tokens.append(_Token(kind, match.group(), start, end))
    return tokens


def _decode_string(raw: str) -> tuple[str, bool]:
    """Decode a string token; the flag says whether it was terminated."""
    closed = len(raw) >= 2 and raw.endswith('"') and not _ends_with_escape(raw[:-1])
    body = raw[1:-1] if closed else raw[1:]
    if "\\" not in body:
        return body, closed
    try:
        decoded: str = json.loads(f'"{body}"')  # exact for valid escapes, surrogate pairs included
        return decoded, closed
    except ValueError:
        pass
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2 : i + 6]):
                out.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return _join_surrogates("".join(out)), closed


def _ends_with_escape(raw: str) -> bool:
    count = len(raw) - len(raw.rstrip("\\"))
    return count % 2 == 1


def _join_surrogates(text: str) -> str:
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


class _Parser:
    """Recursive descent with local recovery, in the manner of editors' JSON parsers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.problems: list[SyntaxProblem] = []
        self.tokens = _tokenize(text, self.problems)
        self.pos = 0
        self.eof_reported = False

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def advance(self) -> _Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def error(self, message: str, start: int, end: int | None = None) -> None:
        end = start + 1 if end is None else end
        if self.problems and self.problems[-1].start == start and self.problems[-1].message == message:
            return
        self.problems.append(SyntaxProblem(message, start, max(end, start)))

    def unclosed_at_eof(self, message: str, open_tok: _Token) -> None:
        """Report only the innermost container the end of the text leaves open: one cause, one finding."""
        if not self.eof_reported:
            self.error(message, open_tok.start, open_tok.end)
            self.eof_reported = True

    def eof_offset(self) -> int:
        return len(self.text)

    def parse(self) -> Document:
        tok = self.peek()
        if tok is None:
            self.error("The document is empty: an Olive config is a JSON object.", 0, 0)
            return Document(self.text, None, self.problems)
        root = self.parse_value()
        if root is not None and root.kind != "object":
            self.error("An Olive config must be a JSON object ({ ... }).", root.start, root.end)
        extra = self.peek()
        if extra is not None:
            self.error("Unexpected content after the end of the JSON document.", extra.start, len(self.text))
        self.problems.sort(key=lambda p: p.start)
        return Document(self.text, root, self.problems)

    def parse_value(self) -> Node | None:
        tok = self.peek()
        if tok is None:
            self.error("Value expected.", self.eof_offset(), self.eof_offset())
            return None
        if tok.kind == "punct" and tok.text == "{":
            return self.parse_object()
        if tok.kind == "punct" and tok.text == "[":
            return self.parse_array()
        if tok.kind == "punct":
            self.error("Value expected.", tok.start, tok.end)
            return None
        self.advance()
        return self.scalar(tok)

    def scalar(self, tok: _Token) -> Node:
        if tok.kind == "string":
            value, closed = _decode_string(tok.text)
            if not closed:
                self.error("Unterminated string: add the closing quote.", tok.start, tok.end)
            return Node("string", tok.start, tok.end, value, closed=closed)
        if tok.kind == "number":
            number: int | float = float(tok.text) if any(c in tok.text for c in ".eE") else int(tok.text)
            return Node("number", tok.start, tok.end, number)
        if tok.kind == "word" and tok.text in _LITERALS:
            kind, literal = _LITERALS[tok.text]
            return Node(kind, tok.start, tok.end, literal)
        hint = ' (strings need double quotes: "...")' if tok.kind == "word" else ""
        self.error(f"Invalid value {tok.text!r}{hint}.", tok.start, tok.end)
        return Node("invalid", tok.start, tok.end, tok.text)

    def parse_object(self) -> Node:
        open_tok = self.advance()
        node = Node("object", open_tok.start, open_tok.end)
        expect_member = True
        while True:
            tok = self.peek()
            if tok is None:
                self.unclosed_at_eof("Missing '}' to close this object.", open_tok)
                node.end, node.closed = self.eof_offset(), False
                return node
            if tok.kind == "punct" and tok.text == "}":
                self.advance()
                node.end = tok.end
                return node
            if tok.kind == "punct" and tok.text == ",":
                self.advance()
                if expect_member:
                    self.error("Property expected before this comma.", tok.start, tok.end)
                nxt = self.peek()
                if nxt is not None and nxt.kind == "punct" and nxt.text == "}":
                    self.error("Trailing comma: remove it.", tok.start, tok.end)
                expect_member = True
                continue
            if tok.kind == "punct" and tok.text == "]":
                self.error("Expected '}' but found ']'.", tok.start, tok.end)
                self.advance()
                continue
            if not expect_member:
                self.error("Missing comma between properties.", tok.start, tok.start)
            member = self.parse_property()
            if member is None:
                self.skip_to({",", "}"}, stop_at_string=True)
            else:
                node.properties.append(member)
                node.end = member.end
            expect_member = False

    def parse_property(self) -> Property | None:
        tok = self.peek()
        assert tok is not None
        if tok.kind == "word" or tok.kind == "number":
            self.advance()
            self.error(f'Property keys need double quotes: "{tok.text}".', tok.start, tok.end)
            key = Node("string", tok.start, tok.end, tok.text, closed=False)
        elif tok.kind == "string":
            self.advance()
            text, closed = _decode_string(tok.text)
            if not closed:
                self.error("Unterminated string: add the closing quote.", tok.start, tok.end)
            key = Node("string", tok.start, tok.end, text, closed=closed)
        elif tok.kind == "punct" and tok.text in "{[":
            self.error("Property key expected.", tok.start, tok.end)
            self.parse_value()
            return None
        else:
            self.advance()
            self.error("Property key expected.", tok.start, tok.end)
            return None
        colon_tok = self.peek()
        if colon_tok is None or not (colon_tok.kind == "punct" and colon_tok.text == ":"):
            self.error("Colon expected after the key.", key.end, key.end)
            if colon_tok is not None and self.starts_value(colon_tok) and colon_tok.kind != "string":
                return Property(key, self.parse_value(), None)
            return Property(key, None, None)
        self.advance()
        nxt = self.peek()
        if nxt is None or (nxt.kind == "punct" and nxt.text in ",}]"):
            self.error("Value expected.", colon_tok.end, colon_tok.end)
            return Property(key, None, colon_tok.start)
        return Property(key, self.parse_value(), colon_tok.start)

    @staticmethod
    def starts_value(tok: _Token) -> bool:
        return tok.kind != "punct" or tok.text in "{["

    def parse_array(self) -> Node:
        open_tok = self.advance()
        node = Node("array", open_tok.start, open_tok.end)
        expect_item = True
        while True:
            tok = self.peek()
            if tok is None:
                self.unclosed_at_eof("Missing ']' to close this array.", open_tok)
                node.end, node.closed = self.eof_offset(), False
                return node
            if tok.kind == "punct" and tok.text == "]":
                self.advance()
                node.end = tok.end
                return node
            if tok.kind == "punct" and tok.text == ",":
                self.advance()
                if expect_item:
                    self.error("Value expected before this comma.", tok.start, tok.end)
                nxt = self.peek()
                if nxt is not None and nxt.kind == "punct" and nxt.text == "]":
                    self.error("Trailing comma: remove it.", tok.start, tok.end)
                expect_item = True
                continue
            if tok.kind == "punct" and tok.text in "}:":
                # A '}' here usually closes the enclosing object: leave it to the caller.
                self.error(f"Expected ']' but found '{tok.text}'.", tok.start, tok.end)
                if tok.text == "}":
                    node.end, node.closed = tok.start, False
                    return node
                self.advance()
                continue
            if not expect_item:
                self.error("Missing comma between array items.", tok.start, tok.start)
            item = self.parse_value()
            if item is not None:
                node.items.append(item)
                node.end = item.end
            expect_item = False

    def skip_to(self, stops: set[str], stop_at_string: bool = False) -> None:
        while (tok := self.peek()) is not None:
            if tok.kind == "punct" and tok.text in stops:
                return
            if stop_at_string and tok.kind == "string":
                return
            self.advance()


def parse(text: str) -> Document:
    """Parse ``text`` into a tree, never raising on bad input."""
    return _Parser(text).parse()


class LineIndex:
    """Offset <-> (line, column) conversions, 0-based, for code points or UTF-16 units."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column in code points)."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        return line, offset - self.line_starts[line]

    def utf16_position(self, offset: int) -> tuple[int, int]:
        line, col = self.position(offset)
        start = self.line_starts[line]
        prefix = self.text[start : start + col]
        if prefix.isascii():
            return line, col
        return line, len(prefix.encode("utf-16-le")) // 2

    def offset_of_utf16(self, line: int, character: int) -> int:
        if line >= len(self.line_starts):
            return len(self.text)
        start = self.line_starts[max(line, 0)]
        end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)
        text = self.text[start:end]
        if text.isascii():
            return start + min(character, len(text))
        units = 0
        for i, ch in enumerate(text):
            if units >= character:
                return start + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return end
