"""Checks that look at the file system: scripts, data files, local models, Python environments.

They are separate from the config checks (their own codes, and ``validate
--no-file-checks`` skips them) because the same config is valid on one machine
and not on another.  Paths are resolved against the config's folder, as Olive
resolves them against its working directory when run from there.
"""

from __future__ import annotations

import glob
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from olive_schema import codes
from olive_schema.findings import Finding, Severity
from olive_schema.jsontree import Document, JsonPath
from olive_schema.locate import quoted, span

LOCAL_DATA_LOADERS = frozenset({"json", "csv", "parquet", "text", "arrow", "pandas"})
_LOCAL_PREFIXES = ("./", "../", "/", "~", ".\\", "..\\")


def file_findings(doc: Document, config: dict[str, Any], base_dir: Path) -> Iterator[Finding]:
    yield from _scripts(doc, config, (), base_dir)
    yield from _data_files(doc, config, base_dir)
    yield from _model_path(doc, config, base_dir)
    yield from _python_environments(doc, config, base_dir)


def _scripts(doc: Document, node: Any, path: JsonPath, base_dir: Path) -> Iterator[Finding]:
    """``user_script`` files and ``script_dir`` folders, wherever they appear."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = (*path, key)
            if key == "user_script" and isinstance(value, str) and value.endswith(".py"):
                script_dir = node.get("script_dir") if isinstance(node.get("script_dir"), str) else None
                candidates = [base_dir / value] + ([base_dir / script_dir / value] if script_dir else [])
                if not any(c.is_file() for c in candidates):
                    yield _missing(doc, here, codes.MISSING_USER_SCRIPT, f"The user script {quoted(value)}", base_dir)
            elif key == "script_dir" and isinstance(value, str) and not (base_dir / value).is_dir():
                yield _missing(doc, here, codes.MISSING_SCRIPT_DIR, f"The script folder {quoted(value)}", base_dir)
            else:
                yield from _scripts(doc, value, here, base_dir)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _scripts(doc, item, (*path, index), base_dir)


def _data_files(doc: Document, config: dict[str, Any], base_dir: Path) -> Iterator[Finding]:
    data_configs = config.get("data_configs")
    entries = list(enumerate(data_configs)) if isinstance(data_configs, list) else []
    for index, data_config in entries:
        if not isinstance(data_config, dict):
            continue
        for section in ("load_dataset_config", "params_config"):
            load = data_config.get(section)
            if not isinstance(load, dict):
                continue
            for params_path, params in (
                (("data_configs", index, section), load),
                (("data_configs", index, section, "params"), load.get("params")),
            ):
                if isinstance(params, dict) and str(params.get("data_name", "")).lower() in LOCAL_DATA_LOADERS:
                    yield from _each_data_file(doc, params.get("data_files"), (*params_path, "data_files"), base_dir)


def _each_data_file(doc: Document, value: Any, path: JsonPath, base_dir: Path) -> Iterator[Finding]:
    if isinstance(value, str):
        if "://" not in value and not glob.glob(str(base_dir / value)):
            yield _missing(doc, path, codes.MISSING_DATA_FILE, f"The data file {quoted(value)}", base_dir)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _each_data_file(doc, item, (*path, index), base_dir)
    elif isinstance(value, dict) and "type" not in value:  # {"train": ..., "test": ...}; typed ones are remote
        for split, item in value.items():
            yield from _each_data_file(doc, item, (*path, split), base_dir)


def _model_path(doc: Document, config: dict[str, Any], base_dir: Path) -> Iterator[Finding]:
    """A local model folder or file must exist; ``org/name`` is a hub id and is left to the hub."""
    model = config.get("input_model")
    if not isinstance(model, dict):
        return
    for path, value in (
        (("input_model", "model_path"), model.get("model_path")),
        (
            ("input_model", "config", "model_path"),
            (model.get("config") or {}).get("model_path") if isinstance(model.get("config"), dict) else None,
        ),
    ):
        if (
            isinstance(value, str)
            and _looks_local(value, str(model.get("type", "")))
            and not (base_dir / value).exists()
        ):
            yield _missing(doc, path, codes.MISSING_MODEL_PATH, f"The model path {quoted(value)}", base_dir)


def _looks_local(value: str, model_type: str) -> bool:
    if value.startswith(_LOCAL_PREFIXES) or Path(value).suffix in (".onnx", ".pt", ".pth", ".bin", ".xml"):
        return True
    return model_type.lower() not in ("hfmodel", "distributedhfmodel", "diffusersmodel") and "://" not in value


def _python_environments(doc: Document, config: dict[str, Any], base_dir: Path) -> Iterator[Finding]:
    systems = config.get("systems")
    for name, system in systems.items() if isinstance(systems, dict) else []:
        if not isinstance(system, dict):
            continue
        for path, value in (
            (("systems", name, "python_environment_path"), system.get("python_environment_path")),
            (
                ("systems", name, "config", "python_environment_path"),
                (system.get("config") or {}).get("python_environment_path")
                if isinstance(system.get("config"), dict)
                else None,
            ),
        ):
            if isinstance(value, str) and not _has_python(base_dir / value):
                yield _missing(
                    doc,
                    path,
                    codes.MISSING_PYTHON_ENV,
                    f"The Python environment {quoted(value)}",
                    base_dir,
                    "a folder with a `python` executable (e.g. a venv's `bin`)",
                )


def _has_python(folder: Path) -> bool:
    return any((folder / name).exists() for name in ("python", "python3", "python.exe"))


def _missing(doc: Document, path: JsonPath, code: str, what: str, base_dir: Path, expected: str = "") -> Finding:
    start, end = span(doc, path, "value")
    needs = f"; it should be {expected}" if expected else ""
    message = f"{what} does not exist (looked in {base_dir}){needs}. Paths are relative to the config's folder."
    return Finding(code, Severity.ERROR, message, path, start, end)
