"""Content-addressed pass outputs, written atomically, so reruns reuse finished passes.

A pass's key is a hash of what determines its output: its type and parameters,
the key of its input model, and the data it reads.  Its output is written in a
temporary folder and renamed into ``passes/<key>`` only when the pass has
finished, so an interrupted run never leaves a half-written result that a
later run would trust.  Training checkpoints live in ``checkpoints/<key>`` and
survive interruptions, which is what lets a fine-tune resume.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

from olive_runner.passes.base import ModelArtifact

MANIFEST = "artifact.json"


def fingerprint(path: Path) -> str:
    """A fast content key for a model folder or file: names, sizes and modification times of its files."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        stat = file.stat()
        digest.update(
            f"{file.relative_to(path) if path.is_dir() else file.name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode()
        )
    return digest.hexdigest()[:20]


def pass_key(pass_type: str, params: dict[str, Any], input_key: str, data_keys: dict[str, str]) -> str:
    payload = json.dumps(
        {"type": pass_type, "params": params, "input": input_key, "data": data_keys}, sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


class PassCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    def done(self, key: str) -> ModelArtifact | None:
        """The finished output of a pass, or None."""
        manifest = self.root / "passes" / key / MANIFEST
        if not manifest.is_file():
            return None
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return ModelArtifact(
            kind=data["kind"],
            path=Path(data["path"]),
            adapter_path=Path(data["adapter_path"]) if data.get("adapter_path") else None,
            trust_remote_code=bool(data.get("trust_remote_code")),
            load_kwargs=data.get("load_kwargs") or {},
            quantized=data.get("quantized"),
        )

    def workspace(self, key: str) -> Path:
        """An empty temporary folder for a pass to write to (on the cache's file system, for the rename)."""
        folder = self.root / "tmp" / f"{key}-{os.getpid()}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    def checkpoints(self, key: str) -> Path:
        folder = self.root / "checkpoints" / key
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def commit(self, key: str, workspace: Path, artifact: ModelArtifact) -> ModelArtifact:
        """Move a finished pass's folder into place in one rename; paths inside it are rewritten to the final place."""
        final = self.root / "passes" / key
        moved = _rebase(artifact, workspace, final)
        record = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(moved).items()}
        (workspace / MANIFEST).write_text(json.dumps(record, indent=2), encoding="utf-8")
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            shutil.rmtree(workspace, ignore_errors=True)  # another run finished the same pass first
        else:
            os.replace(workspace, final)
        return moved


def _rebase(artifact: ModelArtifact, old: Path, new: Path) -> ModelArtifact:
    def move(path: Path | None) -> Path | None:
        if path is None:
            return None
        try:
            return new / path.relative_to(old)
        except ValueError:
            return path  # outside the workspace (e.g. the base model of an adapter)

    moved_path = move(artifact.path)
    assert moved_path is not None
    return ModelArtifact(
        kind=artifact.kind,
        path=moved_path,
        adapter_path=move(artifact.adapter_path),
        trust_remote_code=artifact.trust_remote_code,
        load_kwargs=artifact.load_kwargs,
        quantized=artifact.quantized,
    )
