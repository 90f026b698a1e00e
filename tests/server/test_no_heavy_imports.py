"""Invariant: the language server process never imports torch, transformers or onnxruntime.

The server runs under ``python -X importtime``, which lists every module the
process imports, while it serves a real session on the seed's config.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("torch", "transformers", "onnxruntime", "onnxruntime_genai", "peft", "bitsandbytes")
SEED_LIKE = Path(__file__).resolve().parents[2] / "examples" / "phrase-classification" / "olive-config-0.6.json"


def frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def test_server_session_imports_no_ml_library() -> None:
    text = SEED_LIKE.read_text(encoding="utf-8")
    session = b"".join(
        [
            frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
            frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            frame(
                {
                    "jsonrpc": "2.0",
                    "method": "textDocument/didOpen",
                    "params": {
                        "textDocument": {
                            "uri": "file:///tmp/olive-config.json",
                            "languageId": "json",
                            "version": 1,
                            "text": text,
                        }
                    },
                }
            ),
            frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
            frame({"jsonrpc": "2.0", "method": "exit"}),
        ]
    )
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "olive_lsp"],
        input=session,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert b"textDocument/publishDiagnostics" in proc.stdout  # the session really checked the document
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.decode().splitlines() if "|" in line}
    assert "olive_schema.checker" in imported
    heavy = sorted(m for m in imported if m.split(".")[0] in HEAVY)
    assert heavy == []
