"""Latency and memory of the language server over stdio, against vscode-json-language-server with our schema.

    python benchmarks/lsp_latency.py [--limit N] [--positions N] [--releases v0.9.2,v0.6.2] [--only ours|baseline]

Both servers are driven by the small JSON-RPC client below (Content-Length framing over the server's
stdin/stdout), one after the other, with the same configs, edits and positions:

- startup: spawn -> initialize result (``--startups`` extra runs plus the measured session; target on the median);
- didOpen -> diagnostics and didChange -> diagnostics, per config;
- completion and hover at the start of every key and value inside ``passes``, ``input_model`` and
  ``data_configs`` (just after the opening quote of a string, at the first character of a number, true, false
  or null), evenly thinned to ``--positions`` per config;
- peak RSS: ``VmHWM`` from /proc/<pid>/status after the last config, before shutdown.

Diagnostics, the two modes.  Ours pushes ``textDocument/publishDiagnostics`` after each open or change: the
time is from sending the notification to the publish carrying that document version.  The baseline pushes
only after a fixed 500 ms delay (a debounce in vscode-json-languageserver), so its client here declares
``textDocument.diagnostic`` (pull) support: the server then answers ``textDocument/diagnostic`` at once and
never pushes; its time is from sending the notification to the pull response, i.e. its real compute time.
Ours gets a push-only client (like Neovim's), so it is timed the way editors see it.

The sample: every config of the releases in ``--releases`` (sorted by path), thinned evenly to ``--limit``.
Each session first opens the first config under a different name, unmeasured except as "first didOpen
(cold)": it pays for loading the schema or building validators.  Then, per config: open (version 1), one
edit (version 2), the edit undone (version 3), completion and hover at each position, close.

The edit is a realistic keystroke-sized incremental change inside the first pass that has a scalar
parameter other than "type": true <-> false, an integer + 1, another number doubled, or an "x" typed at the
end of a string.  A pass with no such parameter gets its first key renamed (an "x" typed at its end);
configs without passes get the same edit in ``input_model``.

A USEFUL completion: a non-empty list at one of the positions above (places where a user types a key or a
value; for a string, just inside its opening quote, where an editor leaves the cursor after auto-closing
quotes) with at least one item that is not trivially generic.  Generic items are the ones a JSON editor can
offer without knowing anything about Olive: the labels ``{}``, ``[]``, ``""``, ``null`` and ``$schema``,
plus Olive's placeholders ``DEFAULT_VALUE`` and ``SEARCHABLE_VALUES``, which every pass parameter accepts
and so say nothing about the parameter (quotes around a label are ignored).  ``true``/``false`` count as
useful: a server offers them only where it knows the value is a boolean.  The count does not judge whether
the items are the right ones.  Non-empty hovers are counted at the same positions.

Targets (printed as PASS/MISS for olive-studio; the benchmark does not fail) apply to configs of at most
500 lines: diagnostics after a change p95 <= 25 ms, completion and hover p95 <= 10 ms, startup (median)
<= 0.8 s, peak RSS <= 80 MB.  The "ours/base" column is our p50 over the baseline's p50 (pull mode).

No fixed sleeps: every wait is for a specific response or publish, bounded by ``--timeout``.  A config
whose answer times out is counted and skipped, and the run goes on.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import re
import subprocess
import sys
import tempfile
import threading
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "olive" / "corpus"
SCHEMA = ROOT / "schemas" / "olive_schema" / "olive-config.schema.json"
NODE = ROOT / ".tools" / "bin" / "node"
JSON_LS_PACKAGE = ROOT / "benchmarks" / "node_modules" / "vscode-langservers-extracted"
JSON_LS = JSON_LS_PACKAGE / "bin" / "vscode-json-language-server"
INSTALL_HINT = "install it with: .tools/bin/npm ci --prefix benchmarks   (Node comes from scripts/setup-e2e.sh)"
SECTIONS = ("passes", "input_model", "data_configs")
GENERIC_LABELS = {"{}", "[]", "", "null", "$schema", "DEFAULT_VALUE", "SEARCHABLE_VALUES"}
TARGET_MAX_LINES = 500

# ---------------------------------------------------------------------------------------------------------
# JSON-RPC over stdio


class ServerDied(RuntimeError):
    pass


class LspClient:
    """A minimal LSP client: sends requests and notifications, answers the server's requests, records arrivals."""

    def __init__(self, command: list[str], settings: dict[str, Any] | None, timeout: float) -> None:
        self.settings = settings or {}
        self.timeout = timeout
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self._write_lock = threading.Lock()
        self._cond = threading.Condition()
        self._next_id = 0
        self._responses: dict[int, tuple[float, dict[str, Any]]] = {}
        self._published: dict[str, tuple[float, dict[str, Any]]] = {}  # uri -> latest publishDiagnostics
        self._closed = False
        self.spawned = time.perf_counter()
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, cwd=ROOT
        )
        threading.Thread(target=self._read_loop, daemon=True).start()

    # -- wire --------------------------------------------------------------------------------------------
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        with self._write_lock:
            assert self.proc.stdin is not None
            try:
                self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                raise ServerDied(self.stderr_tail()) from exc

    def _read_loop(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    if not line.strip():
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if length is None:
                    continue
                body = stream.read(length)
                arrived = time.perf_counter()
                self._dispatch(json.loads(body), arrived)
        except (OSError, ValueError):
            return
        finally:
            with self._cond:
                self._closed = True
                self._cond.notify_all()

    def _dispatch(self, message: dict[str, Any], arrived: float) -> None:
        if "method" in message and "id" in message:  # a request from the server: answer at once
            result: Any = None
            if message["method"] == "workspace/configuration":
                result = [self._setting(item.get("section")) for item in message["params"]["items"]]
            with contextlib.suppress(ServerDied):
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        elif "id" in message:
            with self._cond:
                self._responses[message["id"]] = (arrived, message)
                self._cond.notify_all()
        elif message.get("method") == "textDocument/publishDiagnostics":
            with self._cond:
                self._published[message["params"]["uri"]] = (arrived, message["params"])
                self._cond.notify_all()

    def _setting(self, section: str | None) -> Any:
        value: Any = self.settings
        for part in (section or "").split(".") if section else []:
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def _wait(self, take: Callable[[], Any], what: str) -> Any:
        """Wait until ``take()`` (called under the lock) returns something, the server exits, or the timeout."""
        found: Any = None

        def done() -> bool:
            nonlocal found
            found = take()
            return found is not None or self._closed

        with self._cond:
            self._cond.wait_for(done, self.timeout)
            closed = self._closed
        if found is not None:
            return found
        if closed:
            raise ServerDied(f"server exited while waiting for {what}\n{self.stderr_tail()}")
        raise TimeoutError(f"no {what} within {self.timeout:.0f} s")

    def stderr_tail(self, chars: int = 2000) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")[-chars:]

    # -- protocol ----------------------------------------------------------------------------------------
    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def send_request(self, method: str, params: Any) -> int:
        self._next_id += 1
        self._send({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        return self._next_id

    def response(self, request_id: int, what: str) -> tuple[float, dict[str, Any]]:
        """(arrival time, response message) of a request, waiting for it."""
        return self._wait(lambda: self._responses.pop(request_id, None), what)  # type: ignore[no-any-return]

    def request(self, method: str, params: Any) -> tuple[float, dict[str, Any]]:
        """(seconds from sending to the response, response message)."""
        sent = time.perf_counter()
        arrived, message = self.response(self.send_request(method, params), method)
        return arrived - sent, message

    def published(self, uri: str, version: int) -> tuple[float, dict[str, Any]]:
        """(arrival time, params) of the publishDiagnostics for this version of the document, waiting for it."""

        def take() -> tuple[float, dict[str, Any]] | None:
            entry = self._published.get(uri)
            return self._published.pop(uri) if entry is not None and entry[1].get("version") == version else None

        return self._wait(take, f"publishDiagnostics for version {version} of {uri}")  # type: ignore[no-any-return]

    def peak_rss_mb(self) -> float | None:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        return int(match.group(1)) / 1024 if match else None

    def close(self) -> None:
        """shutdown + exit, then make sure the process is gone."""
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None)
                self.notify("exit", None)
        except (ServerDied, TimeoutError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self._stderr.close()


# ---------------------------------------------------------------------------------------------------------
# The configs: a JSON walk with offsets, positions, the edit


@dataclass
class Node:
    kind: str  # object, array, string, number, literal
    start: int
    end: int
    members: list[tuple[str, int, int, Node]] = field(default_factory=list)  # (key, key start, key end, value)
    items: list[Node] = field(default_factory=list)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
_SPACE = re.compile(r"\s*")


class _Parser:
    """Strict JSON to Nodes with offsets (the corpus is strict JSON; json.loads has accepted it)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def skip(self) -> None:
        self.at = _SPACE.match(self.text, self.at).end()  # type: ignore[union-attr]

    def expect(self, char: str) -> None:
        self.skip()
        if not self.text.startswith(char, self.at):
            raise ValueError(f"expected {char!r} at offset {self.at}")
        self.at += 1

    def value(self) -> Node:
        self.skip()
        start = self.at
        char = self.text[start : start + 1]
        if char in "{[":
            node = Node("object" if char == "{" else "array", start, start)
            self.at += 1
            self.skip()
            closing = "}" if char == "{" else "]"
            while not self.text.startswith(closing, self.at):
                if node.items or node.members:
                    self.expect(",")
                    self.skip()
                if char == "{":
                    key = self.string()
                    self.expect(":")
                    node.members.append((json.loads(self.text[key.start : key.end]), key.start, key.end, self.value()))
                else:
                    node.items.append(self.value())
                self.skip()
            self.at += 1
            node.end = self.at
            return node
        if char == '"':
            return self.string()
        match = _SCALAR.match(self.text, start)
        if not match:
            raise ValueError(f"unexpected {char!r} at offset {start}")
        self.at = match.end()
        return Node("literal" if match.group()[0].isalpha() else "number", start, self.at)

    def string(self) -> Node:
        self.skip()
        match = _STRING.match(self.text, self.at)
        if not match:
            raise ValueError(f"expected a string at offset {self.at}")
        self.at = match.end()
        return Node("string", match.start(), match.end())


def parse(text: str) -> Node:
    return _Parser(text).value()


def member(node: Node, key: str) -> Node | None:
    return next((value for name, _, _, value in node.members if name == key), None)


def positions_in(root: Node) -> list[tuple[int, str]]:
    """(offset, "key"|"value") of every key and value start inside passes, input_model and data_configs."""
    out: list[tuple[int, str]] = []

    def value(node: Node) -> None:
        if node.kind == "string":
            out.append((node.start + 1, "value"))
        elif node.kind in ("number", "literal"):
            out.append((node.start, "value"))
        elif node.kind == "object":
            for _, key_start, _, child in node.members:
                out.append((key_start + 1, "key"))
                value(child)
        else:
            for child in node.items:
                value(child)

    for name, _, _, child in root.members:
        if name in SECTIONS:
            value(child)
    return sorted(out)


def thin(items: list[Any], count: int) -> list[Any]:
    """At most ``count`` items, evenly spread, deterministic (0: all)."""
    if count <= 0 or len(items) <= count:
        return items
    return [items[i * len(items) // count] for i in range(count)]


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    new_text: str
    kind: str

    def apply(self, text: str) -> str:
        return text[: self.start] + self.new_text + text[self.end :]

    def undo(self, text: str) -> Edit:
        """The edit that turns the edited text back into ``text``."""
        return Edit(self.start, self.start + len(self.new_text), text[self.start : self.end], "undo")


def edit_of(text: str, node: Node) -> Edit | None:
    """A keystroke-sized change of a scalar parameter (not "type") anywhere inside ``node``, first in document order."""
    for name, _, _, child in node.members:
        if child.kind in ("object", "array"):
            inner = [child] if child.kind == "object" else [item for item in child.items if item.kind == "object"]
            for sub in inner:
                found = edit_of(text, sub)
                if found:
                    return found
            continue
        if name == "type":
            continue
        token = text[child.start : child.end]
        if token in ("true", "false"):
            return Edit(child.start, child.end, "false" if token == "true" else "true", "toggle a boolean")
        if child.kind == "number":
            if re.fullmatch(r"-?\d+", token):
                return Edit(child.start, child.end, str(int(token) + 1), "change an integer")
            return Edit(child.start, child.end, repr(float(token) * 2), "change a number")
        if child.kind == "string":
            return Edit(child.end - 1, child.end - 1, "x", "type into a string value")
    return None


def pick_edit(text: str, root: Node) -> Edit | None:
    """The benchmark's edit: a parameter of the first pass that has one, else a key renamed; then input_model."""
    for section in ("passes", "input_model"):
        node = member(root, section)
        if node is None or node.kind != "object":
            continue
        parts = [child for _, _, _, child in node.members if child.kind == "object"] if section == "passes" else [node]
        for part in parts:
            found = edit_of(text, part)
            if found:
                return found
        for part in parts:
            if part.members:
                _, _, key_end, _ = part.members[0]
                return Edit(key_end - 1, key_end - 1, "x", "rename a key")
    return None


@dataclass
class Config:
    path: Path
    uri: str
    text: str
    lines: int
    positions: list[tuple[int, str]]
    edit: Edit | None


class LineIndex:
    """Offsets <-> LSP positions (UTF-16 code units, as the protocol's default encoding)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def position(self, offset: int) -> dict[str, int]:
        line = bisect_right(self.starts, offset) - 1
        prefix = self.text[self.starts[line] : offset]
        return {"line": line, "character": len(prefix.encode("utf-16-le")) // 2}

    def range(self, start: int, end: int) -> dict[str, dict[str, int]]:
        return {"start": self.position(start), "end": self.position(end)}


def load_configs(corpus: Path, releases: list[str], limit: int, per_config: int) -> tuple[list[Config], int]:
    files = sorted(path for release in releases for path in (corpus / release).rglob("*.json"))
    files = thin(files, limit)
    configs, skipped = [], 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            root = parse(text)
        except (ValueError, IndexError):
            skipped += 1
            continue
        positions = thin(positions_in(root), per_config)
        configs.append(Config(path, path.as_uri(), text, text.count("\n") + 1, positions, pick_edit(text, root)))
    return configs, skipped


# ---------------------------------------------------------------------------------------------------------
# The servers and the measurements


CAPABILITIES: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
        "completion": {
            "contextSupport": True,
            "completionItem": {"snippetSupport": True, "documentationFormat": ["markdown", "plaintext"]},
        },
        "hover": {"contentFormat": ["markdown", "plaintext"]},
    },
    "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": False}},
}


@dataclass(frozen=True)
class ServerSpec:
    name: str
    command: list[str]
    pull: bool  # diagnostics by textDocument/diagnostic (baseline) instead of waiting for a push (ours)
    settings: dict[str, Any] | None = None  # sent in workspace/didChangeConfiguration after initialized
    initialization_options: dict[str, Any] | None = None

    def capabilities(self) -> dict[str, Any]:
        caps = json.loads(json.dumps(CAPABILITIES))
        if self.pull:
            caps["textDocument"]["diagnostic"] = {"dynamicRegistration": False, "relatedDocumentSupport": False}
        return caps


@dataclass
class Results:
    spec: ServerSpec
    samples: dict[str, list[tuple[int, float]]] = field(default_factory=dict)  # metric -> (config lines, ms)
    counts: Counter[str] = field(default_factory=Counter)
    peak_rss_mb: float | None = None
    problems: list[str] = field(default_factory=list)

    def add(self, metric: str, lines: int, seconds: float) -> None:
        self.samples.setdefault(metric, []).append((lines, seconds * 1000))


def start(spec: ServerSpec, timeout: float) -> tuple[LspClient, float]:
    """A started, initialized client, and the seconds from spawn to the initialize result."""
    client = LspClient(spec.command, spec.settings, timeout)
    request_id = client.send_request(
        "initialize",
        {
            "processId": None,
            "clientInfo": {"name": "olive-studio lsp_latency benchmark"},
            "rootUri": ROOT.as_uri(),
            "capabilities": spec.capabilities(),
            "initializationOptions": spec.initialization_options,
            "workspaceFolders": None,
        },
    )
    try:
        arrived, message = client.response(request_id, "initialize result")
    except Exception:
        client.close()
        raise
    if "error" in message:
        client.close()
        raise ServerDied(f"initialize failed: {message['error']}")
    client.notify("initialized", {})
    if spec.settings is not None:
        client.notify("workspace/didChangeConfiguration", {"settings": spec.settings})
    return client, arrived - client.spawned


def diagnose(
    client: LspClient, spec: ServerSpec, uri: str, version: int, send: Callable[[], None]
) -> tuple[float, int]:
    """(seconds from ``send`` to the diagnostics of ``version``, how many diagnostics)."""
    sent = time.perf_counter()
    send()
    if spec.pull:
        arrived, message = client.response(
            client.send_request("textDocument/diagnostic", {"textDocument": {"uri": uri}}), "pull diagnostics"
        )
        items = (message.get("result") or {}).get("items") or []
    else:
        arrived, params = client.published(uri, version)
        items = params.get("diagnostics") or []
    return arrived - sent, len(items)


def open_document(client: LspClient, spec: ServerSpec, uri: str, text: str) -> tuple[float, int]:
    item = {"uri": uri, "languageId": "json", "version": 1, "text": text}
    return diagnose(client, spec, uri, 1, lambda: client.notify("textDocument/didOpen", {"textDocument": item}))


def change_document(client: LspClient, spec: ServerSpec, uri: str, version: int, text: str, edit: Edit) -> float:
    change = {"range": LineIndex(text).range(edit.start, edit.end), "text": edit.new_text}
    params = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
    return diagnose(client, spec, uri, version, lambda: client.notify("textDocument/didChange", params))[0]


def completion_labels(result: Any) -> list[str]:
    items = result.get("items", []) if isinstance(result, dict) else result or []
    return [str(item.get("label", "")) for item in items if isinstance(item, dict)]


def is_useful(labels: list[str]) -> bool:
    return any(label.strip().strip('"') not in GENERIC_LABELS for label in labels)


def hover_text(result: Any) -> str:
    contents = result.get("contents") if isinstance(result, dict) else None
    parts = contents if isinstance(contents, list) else [contents]
    return "".join(part if isinstance(part, str) else str((part or {}).get("value", "")) for part in parts)


def measure_config(client: LspClient, spec: ServerSpec, config: Config, results: Results) -> None:
    opened, found = open_document(client, spec, config.uri, config.text)
    results.add("open", config.lines, opened)
    results.counts["diagnostics on open"] += found
    results.counts["configs with diagnostics"] += bool(found)
    try:
        if config.edit is not None:
            edited = config.edit.apply(config.text)
            results.add("change", config.lines, change_document(client, spec, config.uri, 2, config.text, config.edit))
            undo = config.edit.undo(config.text)
            results.add("change", config.lines, change_document(client, spec, config.uri, 3, edited, undo))
        index = LineIndex(config.text)
        document = {"uri": config.uri}
        for offset, where in config.positions:
            params = {"textDocument": document, "position": index.position(offset)}
            seconds, message = client.request("textDocument/completion", {**params, "context": {"triggerKind": 1}})
            results.add("completion", config.lines, seconds)
            results.counts["errors"] += "error" in message
            results.counts[f"{where} positions"] += 1
            results.counts[f"useful at {where}"] += is_useful(completion_labels(message.get("result")))
            seconds, message = client.request("textDocument/hover", params)
            results.add("hover", config.lines, seconds)
            results.counts["errors"] += "error" in message
            results.counts["hovers"] += bool(hover_text(message.get("result")).strip())
    finally:
        client.notify("textDocument/didClose", {"textDocument": {"uri": config.uri}})


def run_server(spec: ServerSpec, configs: list[Config], startups: int, timeout: float) -> Results:
    results = Results(spec)
    began = time.perf_counter()
    try:
        for _ in range(startups):
            client, seconds = start(spec, timeout)
            results.add("startup", 0, seconds)
            client.close()
        client, seconds = start(spec, timeout)
        results.add("startup", 0, seconds)
    except (OSError, ServerDied, TimeoutError) as exc:
        results.problems.append(f"could not start {spec.command}: {exc}")
        return results
    try:
        first = configs[0]
        warmup = first.path.with_name(f"__warmup__{first.path.name}").as_uri()
        opened, _ = open_document(client, spec, warmup, first.text)
        results.add("cold open", first.lines, opened)
        client.notify("textDocument/didClose", {"textDocument": {"uri": warmup}})
        for number, config in enumerate(configs, 1):
            try:
                measure_config(client, spec, config, results)
            except TimeoutError as exc:  # skip the config; a late answer is ignored (ids and versions differ)
                results.counts["timeouts"] += 1
                results.problems.append(f"{config.path}: {exc}")
            if number % 50 == 0 or number == len(configs):
                print(f"  {spec.name}: {number}/{len(configs)} configs", file=sys.stderr, flush=True)
        results.peak_rss_mb = client.peak_rss_mb()
    except (ServerDied, TimeoutError) as exc:
        results.problems.append(f"stopped: {exc}")
    finally:
        client.close()
    print(f"  {spec.name}: done in {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
    return results


# ---------------------------------------------------------------------------------------------------------
# Report


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Row:
    label: str
    metric: str
    target: float | None = None  # on the p95 (startup: p50)
    on: str = "p95"
    unit_scale: float = 1.0  # ms -> shown unit


ROWS = (
    Row("didOpen -> diagnostics (ms)", "open"),
    Row("didChange -> diagnostics (ms)", "change", 25),
    Row("completion (ms)", "completion", 10),
    Row("hover (ms)", "hover", 10),
    Row("first didOpen, cold (ms)", "cold open"),
    Row("startup: spawn -> initialize (s)", "startup", 0.8, "p50", 1 / 1000),
)


def stats(results: Results | None, metric: str, max_lines: int | None = None) -> dict[str, float] | None:
    if results is None:
        return None
    values = [ms for lines, ms in results.samples.get(metric, []) if max_lines is None or lines <= max_lines]
    if not values:
        return None
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95), "max": max(values)}


def fmt(value: float | None, scale: float = 1.0) -> str:
    if value is None:
        return "-"
    value *= scale
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def verdict(value: float | None, target: float) -> str:
    return "-" if value is None else "PASS" if value <= target else "MISS"


def report(ours: Results | None, base: Results | None, configs: list[Config]) -> None:
    big = sum(config.lines > TARGET_MAX_LINES for config in configs)
    names = (ours.spec.name if ours else "-", base.spec.name if base else "- (not run)")
    head = f"{'':34} {names[0]:^30}  {names[1]:^30}"
    print(head)
    print(f"{'metric':34} " + f"{'n':>6} {'p50':>7} {'p95':>7} {'max':>7}  " * 2 + f"{'ours/base':>9}  {'target':>10}")
    print("-" * (len(head) + 24))
    for row in ROWS:
        cells = []
        for results in (ours, base):
            s = stats(results, row.metric)
            cells.append(
                f"{'-':>6} {'-':>7} {'-':>7} {'-':>7}"
                if s is None
                else f"{s['n']:>6} " + " ".join(f"{fmt(s[k], row.unit_scale):>7}" for k in ("p50", "p95", "max"))
            )
        mine, theirs = stats(ours, row.metric), stats(base, row.metric)
        ratio = f"{mine['p50'] / theirs['p50']:.1f}x" if mine and theirs and theirs["p50"] > 0 else "-"
        target = ""
        if row.target is not None:
            limited = stats(ours, row.metric, None if row.metric == "startup" else TARGET_MAX_LINES)
            value = limited[row.on] * row.unit_scale if limited else None
            target = f"{row.on}<={row.target:g} {verdict(value, row.target)}"
        print(f"{row.label:34} {cells[0]}  {cells[1]}  {ratio:>9}  {target}")
    rss = [results.peak_rss_mb if results else None for results in (ours, base)]
    rss_target = f"<=80 {verdict(rss[0], 80)}"
    print(f"{'peak RSS, VmHWM (MB)':34} {fmt(rss[0]):>30}  {fmt(rss[1]):>30}  {'':>9}  {rss_target}")
    print()
    for results in (ours, base):
        if results is None:
            continue
        c = results.counts
        positions = c["key positions"] + c["value positions"]
        useful = c["useful at key"] + c["useful at value"]
        print(
            f"{results.spec.name}: useful completions {useful}/{positions} "
            f"(keys {c['useful at key']}/{c['key positions']}, values {c['useful at value']}/{c['value positions']}); "
            f"non-empty hovers {c['hovers']}/{positions}; diagnostics on open {c['diagnostics on open']} "
            f"in {c['configs with diagnostics']}/{len(results.samples.get('open', []))} configs"
            + (f"; error responses {c['errors']}" if c["errors"] else "")
            + (f"; timeouts {c['timeouts']}" if c["timeouts"] else "")
        )
        for problem in results.problems[:5]:
            print(f"  problem: {problem}")
    edits = Counter(
        config.edit.kind if config.edit else "none (no pass or input_model parameter)" for config in configs
    )
    print(f"edits: {', '.join(f'{kind} {count}' for kind, count in edits.most_common())}")
    if big:
        print(
            f"targets use the {len(configs) - big} configs of <= {TARGET_MAX_LINES} lines ({big} larger ones excluded)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--releases", default="v0.9.2,v0.6.2", help="corpus folders to take every config of")
    parser.add_argument("--limit", type=int, default=0, help="at most this many configs, evenly spread (0: all)")
    parser.add_argument("--positions", type=int, default=20, help="completion/hover positions per config (0: all)")
    parser.add_argument("--startups", type=int, default=4, help="extra spawn -> initialize runs per server")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for any one answer")
    parser.add_argument("--only", choices=("ours", "baseline"), help="run one server only")
    args = parser.parse_args()

    releases = [release.strip() for release in args.releases.split(",") if release.strip()]
    configs, skipped = load_configs(args.corpus, releases, args.limit, args.positions)
    if not configs:
        sys.exit(f"no configs under {args.corpus} for {releases}")
    positions = sum(len(config.positions) for config in configs)
    print(
        f"{len(configs)} configs from {args.corpus} ({', '.join(releases)}; {max(c.lines for c in configs)} lines max)"
        f", {positions} completion/hover positions" + (f"; {skipped} unparsable skipped" if skipped else "")
    )

    ours_spec = ServerSpec("olive-studio (push)", [sys.executable, "-m", "olive_lsp"], pull=False)
    base_spec = None
    if args.only != "ours":
        if not NODE.exists() or not JSON_LS.exists():
            missing = NODE if not NODE.exists() else JSON_LS
            print(f"NOTE: {missing} is missing, so only olive-studio runs; {INSTALL_HINT}")
        else:
            version = json.loads((JSON_LS_PACKAGE / "package.json").read_text())["version"]
            settings = {
                "json": {"validate": {"enable": True}, "schemas": [{"url": SCHEMA.as_uri(), "fileMatch": ["*.json"]}]}
            }
            base_spec = ServerSpec(
                f"vscode-json-ls {version} (pull)",
                [str(NODE), str(JSON_LS), "--stdio"],
                pull=True,
                settings=settings,
                initialization_options={"provideFormatter": False},
            )
    ours = run_server(ours_spec, configs, args.startups, args.timeout) if args.only != "baseline" else None
    base = run_server(base_spec, configs, args.startups, args.timeout) if base_spec else None
    print()
    report(ours, base, configs)


if __name__ == "__main__":
    main()
