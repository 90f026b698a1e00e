"""Evaluate a model the way the seed's worked example does: accuracy on a classification template, speed, size.

Both kinds of artifact are measured through one small interface (``_Runner``) so that the PyTorch model before
conversion and the ONNX Runtime GenAI model after it are compared on the same prompts, greedy, batch 1:

- ``hf``: transformers ``generate`` on CPU in fp32 (with the LoRA adapter applied when there is one);
- ``onnx``: an ``onnxruntime_genai`` generator. ``og.Tokenizer.encode`` does not add the BOS token that the
  Hugging Face tokenizer adds, so it is prepended when the HF tokenizer would add one; otherwise the ONNX model
  sees a different prompt from the one it was fine-tuned on.

``add_bos`` makes the BOS rule explicit for both kinds alike: the runner's training data puts the tokenizer's
BOS id in front of every example (``add_special_tokens``, Olive's default) even when the tokenizer itself adds
none (SmolLM2's), so the report asks for the prompt exactly as training showed it; ``None`` keeps what the
Hugging Face tokenizer does.

One load serves accuracy and speed (``evaluate_classification``): loading a 135M model and its tokenizer costs
seconds per stage, and both measurements want the same runner anyway.

Heavy libraries are imported inside functions so that importing the runner stays cheap.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from olive_runner.passes.base import ModelArtifact

EXAMPLES_KEPT = 5
WARMUP_TOKENS = 2


@dataclass
class Generation:
    """One greedy generation: the new token ids, their text, and when each token came out."""

    tokens: list[int]
    text: str
    start: float
    token_times: list[float] = field(default_factory=list)

    @property
    def end(self) -> float:
        return self.token_times[-1] if self.token_times else self.start


class _Runner(Protocol):
    def generate(self, prompt: str, max_new_tokens: int, exact_length: bool = False) -> Generation: ...


def with_bos(ids: list[int], bos: int | None, add_bos: bool | None) -> list[int]:
    """``ids`` with the BOS token first (``add_bos`` true), without it (false), or as they are (``None``)."""
    if add_bos is None or bos is None:
        return ids
    has_bos = ids[:1] == [bos]
    if add_bos and not has_bos:
        return [bos, *ids]
    if not add_bos and has_bos:
        return ids[1:]
    return ids


# ---------------------------------------------------------------------------------------------- public API


def classification_accuracy(
    model: ModelArtifact,
    rows: Sequence[Mapping[str, Any]],
    template: str,
    label_col: str,
    labels: Sequence[str] | None = None,
    max_new_tokens: int = 8,
    add_bos: bool | None = None,
) -> dict[str, Any]:
    """Greedy-generate after the template's text up to the label and compare the answer to the label.

    The prompt is the template cut at ``{label_col}`` (e.g. ``"### Text: {phrase}\\n### The tone is:\\n"``),
    filled from each row. The answer is the first non-empty generated line: the known label it starts with
    when ``labels`` are given (so multi-word labels work), else its first word; compared case-insensitively.
    """
    return accuracy_with(load_runner(model, add_bos), rows, template, label_col, labels, max_new_tokens)


def accuracy_with(
    runner: _Runner,
    rows: Sequence[Mapping[str, Any]],
    template: str,
    label_col: str,
    labels: Sequence[str] | None = None,
    max_new_tokens: int = 8,
) -> dict[str, Any]:
    """``classification_accuracy`` on an already loaded runner."""
    prefix = prompt_template(template, label_col)
    correct = 0
    examples: list[dict[str, str]] = []
    for row in rows:
        prompt = fill_prompt(prefix, row)
        expected = str(row[label_col]).strip().lower()
        got = extract_label(runner.generate(prompt, max_new_tokens).text, labels)
        correct += got == expected
        if len(examples) < EXAMPLES_KEPT:
            examples.append({"prompt": prompt, "expected": expected, "got": got})
    total = len(rows)
    return {"accuracy": correct / total if total else 0.0, "correct": correct, "total": total, "examples": examples}


def evaluate_classification(
    model: ModelArtifact,
    rows: Sequence[Mapping[str, Any]],
    template: str,
    label_col: str,
    speed_prompts: int = 4,
    add_bos: bool | None = None,
) -> dict[str, Any]:
    """Accuracy on ``rows`` and generation speed on the first ``speed_prompts`` of their prompts, from one load.

    Returns ``{"accuracy": classification_accuracy's dict, "speed": generation_speed's dict}``; the speed's
    ``load_s`` is the one load both share.
    """
    started = time.perf_counter()
    runner = load_runner(model, add_bos)
    load_s = time.perf_counter() - started
    accuracy = accuracy_with(runner, rows, template, label_col)
    prefix = prompt_template(template, label_col)
    prompts = [fill_prompt(prefix, row) for row in rows[:speed_prompts]]
    speed = {"kind": model.kind, **speed_with(runner, prompts), "load_s": load_s} if prompts else {}
    return {"accuracy": accuracy, "speed": speed}


def generation_speed(
    model: ModelArtifact, prompts: Sequence[str], max_new_tokens: int = 32, add_bos: bool | None = None
) -> dict[str, Any]:
    """Tokens per second (generated tokens / wall time, prompt processing included), greedy, batch 1.

    Every prompt generates exactly ``max_new_tokens`` (end-of-sequence is suppressed) so that models that stop
    at different points are timed on the same work. A short warm-up generation runs first and loading is
    reported apart (``load_s``): neither belongs in a per-token figure.
    """
    if not prompts:
        raise ValueError("generation_speed needs at least one prompt")
    started = time.perf_counter()
    runner = load_runner(model, add_bos)
    load_s = time.perf_counter() - started
    return {"kind": model.kind, **speed_with(runner, prompts, max_new_tokens), "load_s": load_s}


def speed_with(runner: _Runner, prompts: Sequence[str], max_new_tokens: int = 32) -> dict[str, Any]:
    """``generation_speed`` on an already loaded runner (without ``kind`` and ``load_s``)."""
    runner.generate(prompts[0], WARMUP_TOKENS)
    tokens, wall = 0, 0.0
    first: list[float] = []
    gaps: list[float] = []
    for prompt in prompts:
        result = runner.generate(prompt, max_new_tokens, exact_length=True)
        tokens += len(result.tokens)
        wall += result.end - result.start
        if result.token_times:
            first.append(result.token_times[0] - result.start)
            gaps.extend(b - a for a, b in zip(result.token_times, result.token_times[1:], strict=False))
    return {
        "tokens_per_s": tokens / wall if wall > 0 else 0.0,
        "generated_tokens": tokens,
        "wall_s": wall,
        "latency_per_token_ms_p50": 1000 * statistics.median(gaps) if gaps else None,
        "time_to_first_token_ms_p50": 1000 * statistics.median(first) if first else None,
        "prompts": len(prompts),
        "max_new_tokens": max_new_tokens,
    }


def model_size_bytes(path: Path | str) -> int:
    """Bytes on disk of a model file or folder (weights, external data, tokenizer and config files)."""
    root = Path(path)
    if root.is_file():
        return root.stat().st_size
    return sum(item.stat().st_size for item in root.rglob("*") if item.is_file())


def greedy_tokens(
    model: ModelArtifact, prompt: str, max_new_tokens: int = 16, add_bos: bool | None = None
) -> list[int]:
    """The greedy continuation's token ids: lets a test or a report compare PyTorch and ONNX outputs."""
    return load_runner(model, add_bos).generate(prompt, max_new_tokens).tokens


# ---------------------------------------------------------------------------------------------- prompts


def prompt_template(template: str, label_col: str) -> str:
    """The template's text before the label placeholder: what the model sees before it answers."""
    placeholder = "{" + label_col + "}"
    if placeholder not in template:
        raise ValueError(f"the template has no {placeholder} placeholder for the label: {template!r}")
    return template.split(placeholder, 1)[0]


def fill_prompt(prefix: str, row: Mapping[str, Any]) -> str:
    """The prompt for one row; a column the template names but the row lacks is an error, not an empty string."""
    try:
        return prefix.format_map(row)
    except KeyError as exc:
        raise ValueError(f"the template names the column {exc.args[0]!r}, which the row does not have") from exc


def extract_label(text: str, labels: Sequence[str] | None = None) -> str:
    """The answer in a generated text: its first non-empty line, then a known label or the first word."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "").lower()
    for label in sorted(labels or (), key=len, reverse=True):
        wanted = label.strip().lower()
        if wanted and re.match(re.escape(wanted) + r"(?!\w)", line):
            return wanted
    words = line.split()
    return words[0].strip(".,;:!?\"'()[]") if words else ""


# ---------------------------------------------------------------------------------------------- runners


def load_runner(model: ModelArtifact, add_bos: bool | None = None) -> _Runner:
    """A greedy generator for the artifact's kind; ``add_bos`` as in :func:`with_bos`."""
    if model.kind == "hf":
        return _HfRunner(model, add_bos)
    if model.kind == "onnx":
        return _OnnxRunner(Path(model.path), add_bos)
    raise ValueError(f"cannot evaluate a model of kind {model.kind!r}")


class _Clock:
    """A transformers streamer that only notes when each new token arrives (the first ``put`` is the prompt)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._prompt_seen = False

    def put(self, value: Any) -> None:
        if self._prompt_seen:
            self.times.append(time.perf_counter())
        self._prompt_seen = True

    def end(self) -> None:
        pass


class _HfRunner:
    """transformers on CPU in fp32: the reference the ONNX model is compared against."""

    def __init__(self, artifact: ModelArtifact, add_bos: bool | None = None) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        kwargs = {k: v for k, v in artifact.load_kwargs.items() if k not in {"torch_dtype", "dtype", "device_map"}}
        kwargs["trust_remote_code"] = artifact.trust_remote_code
        if not artifact.quantized:
            kwargs["dtype"] = torch.float32
        model: Any = AutoModelForCausalLM.from_pretrained(str(artifact.path), **kwargs)
        if artifact.adapter_path is not None:
            from peft import PeftModel

            model = PeftModel.from_pretrained(model, str(artifact.adapter_path))
        self.model: Any = model.eval()
        self.tokenizer = AutoTokenizer.from_pretrained(str(artifact.path), trust_remote_code=artifact.trust_remote_code)
        self.pad_id = self.tokenizer.pad_token_id
        if self.pad_id is None:
            self.pad_id = self.tokenizer.eos_token_id
        self.add_bos = add_bos
        self._torch = torch

    def encode(self, prompt: str) -> list[int]:
        """The prompt's ids: the tokenizer's own (``add_bos`` None), else its text ids with BOS as asked,
        which is how the runner's training data is built (``data._encode``)."""
        if self.add_bos is None:
            return [int(t) for t in self.tokenizer(prompt)["input_ids"]]
        ids = [int(t) for t in self.tokenizer(prompt, add_special_tokens=False)["input_ids"]]
        return with_bos(ids, self.tokenizer.bos_token_id, self.add_bos)

    def generate(self, prompt: str, max_new_tokens: int, exact_length: bool = False) -> Generation:
        ids = self._torch.tensor([self.encode(prompt)], dtype=self._torch.long)
        encoded = {"input_ids": ids, "attention_mask": self._torch.ones_like(ids)}
        clock = _Clock()
        start = time.perf_counter()
        with self._torch.inference_mode():
            output = self.model.generate(
                **encoded,
                max_new_tokens=max_new_tokens,
                min_new_tokens=max_new_tokens if exact_length else None,
                do_sample=False,
                num_beams=1,
                pad_token_id=self.pad_id,
                streamer=clock,
            )
        new = [int(t) for t in output[0, encoded["input_ids"].shape[1] :]]
        text = str(self.tokenizer.decode(new, skip_special_tokens=True))
        return Generation(tokens=new, text=text, start=start, token_times=clock.times)


class _OnnxRunner:
    """An ONNX Runtime GenAI model folder (genai_config.json), tokenized as its Hugging Face tokenizer would."""

    def __init__(self, folder: Path, add_bos: bool | None = None) -> None:
        import onnxruntime_genai as og  # type: ignore[import-untyped]  # no stubs: see the mypy override note

        self._og = og
        self.model = og.Model(str(folder))
        self.tokenizer = og.Tokenizer(self.model)
        self.context_length = _context_length(folder)
        self.bos = int(self.tokenizer.bos_token_id) if self.tokenizer.bos_token_id >= 0 else None
        self.add_bos = hf_tokenizer_adds_bos(folder) if add_bos is None else add_bos
        self.special = {int(t) for t in self.tokenizer.eos_token_ids}
        self.special.update(int(t) for t in (self.tokenizer.bos_token_id, self.tokenizer.pad_token_id) if t >= 0)

    def encode(self, prompt: str) -> list[int]:
        """og's ids, with the BOS token the HF tokenizer (or the training data) put in front."""
        return with_bos([int(t) for t in self.tokenizer.encode(prompt)], self.bos, self.add_bos)

    def generate(self, prompt: str, max_new_tokens: int, exact_length: bool = False) -> Generation:
        ids = self.encode(prompt)
        max_length = len(ids) + max_new_tokens
        if self.context_length:
            max_length = min(max_length, self.context_length)
        params = self._og.GeneratorParams(self.model)
        options: dict[str, Any] = {"do_sample": False, "num_beams": 1, "max_length": max_length}
        if exact_length:
            options["min_length"] = max_length
        params.set_search_options(**options)
        start = time.perf_counter()
        generator = self._og.Generator(self.model, params)
        generator.append_tokens(ids)
        new: list[int] = []
        times: list[float] = []
        while not generator.is_done():
            generator.generate_next_token()
            new.append(int(generator.get_next_tokens()[0]))
            times.append(time.perf_counter())
        # og's decode keeps special tokens (``</s>``...); HF's decode above skips them, so drop them here too.
        kept = [t for t in new if t not in self.special]
        text = self.tokenizer.decode(kept) if kept else ""
        return Generation(tokens=new, text=text, start=start, token_times=times)


def hf_tokenizer_adds_bos(folder: Path) -> bool:
    """Whether the Hugging Face tokenizer saved with the model puts a BOS token first (og's encode does not).

    Unknown (no transformers, or a tokenizer it cannot load) counts as no: og's own behaviour is left as is.
    """
    try:
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(str(folder))
    except Exception:
        return False
    bos = tokenizer.bos_token_id
    return bos is not None and tokenizer("a")["input_ids"][:1] == [bos]


def _context_length(folder: Path) -> int | None:
    import json

    try:
        config = json.loads((folder / "genai_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = config.get("model", {}).get("context_length")
    return value if isinstance(value, int) else None
