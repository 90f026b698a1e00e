"""Data configs -> rows -> texts -> token sequences, the way Olive's text-generation pre-processing does it.

The engine hands over data configs already migrated to the current form (``HuggingfaceContainer`` with
``load_dataset_config`` and ``pre_process_data_config``). This module turns one into training examples
for a causal language model, without Olive installed and without network access: the runner works on
local files only, so a Hugging Face Hub dataset name is refused with instructions instead of a timeout.

Every failure raises :class:`DataConfigError` whose message says what is wrong, where (the data config,
the file, the line) and how to fix it, because these errors are read by people editing a JSON config.

Only ``transformers``/``datasets`` are heavy here, and they are imported inside the functions that need
them so that importing the runner stays cheap.
"""

from __future__ import annotations

import glob
import json
import math
import random
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from olive_runner.passes.base import PassError

Row = dict[str, Any]
Example = dict[str, list[int]]

IGNORE_INDEX = -100  # label value the loss skips (padding, context), as in transformers and Olive
LOCAL_BUILDERS = ("json", "csv", "parquet", "text", "arrow")  # datasets builders that read local files
SUPPORTED_STRATEGIES = ("join", "line-by-line")
GLOB_CHARS = ("*", "?", "[")


class DataConfigError(PassError):
    """A data config cannot be turned into examples; the message says what, where and how to fix it."""


@dataclass(frozen=True)
class PreProcess:
    """The text-generation pre-processing parameters, with Olive's defaults filled in."""

    text_cols: tuple[str, ...] = ("text",)
    text_template: str | None = None
    strategy: str = "join"
    max_seq_len: int = 1024
    pad_to_max_len: bool = True
    use_attention_mask: bool = True
    add_special_tokens: bool = True
    joiner: str = "\n\n"
    max_samples: int | None = None
    chat_template: bool | str | None = None
    message_col: str = "messages"
    text_formatting_func: str | None = None

    def columns(self) -> list[str]:
        """The row columns the text is built from (the template's placeholders, else text_cols)."""
        if self.text_template is not None:
            return template_fields(self.text_template)
        if self.chat_template:
            return [self.message_col]
        return list(self.text_cols)


# --------------------------------------------------------------------------------------------- config reading


def component_params(component: Mapping[str, Any] | None) -> dict[str, Any]:
    """A component's parameters: flat keys next to ``type`` merged with the nested ``params`` (nested wins).

    Olive accepts both spellings; configs written for 0.6 nest everything under ``params``.
    """
    if not component:
        return {}
    flat = {key: value for key, value in component.items() if key not in ("type", "params")}
    nested = component.get("params") or {}
    return {**flat, **nested}


def data_config_name(data_config: Mapping[str, Any]) -> str:
    return str(data_config.get("name", "<unnamed>"))


def pre_process_params(data_config: Mapping[str, Any]) -> PreProcess:
    """Read ``pre_process_data_config`` into a :class:`PreProcess`, refusing what the runner cannot do."""
    params = component_params(data_config.get("pre_process_data_config"))
    where = f"data config {data_config_name(data_config)!r}, pre_process_data_config"
    strategy = str(params.get("strategy", "join"))
    if strategy not in SUPPORTED_STRATEGIES:
        raise DataConfigError(
            f"{where}: strategy {strategy!r} is not supported by the runner; "
            f"use one of {', '.join(SUPPORTED_STRATEGIES)}."
        )
    if params.get("text_formatting_func"):
        raise DataConfigError(
            f"{where}: text_formatting_func (a user_script function) is not supported by the runner; "
            'write the format as text_template, e.g. "### Text: {phrase}\\n### The tone is:\\n{tone}".'
        )
    max_seq_len = params.get("max_seq_len", 1024)
    if not isinstance(max_seq_len, int) or max_seq_len < 1:
        raise DataConfigError(f"{where}: max_seq_len must be a positive integer, got {max_seq_len!r}.")
    text_cols = params.get("text_cols", "text")
    max_samples = params.get("max_samples")
    return PreProcess(
        text_cols=(text_cols,) if isinstance(text_cols, str) else tuple(text_cols),
        text_template=params.get("text_template"),
        strategy=strategy,
        max_seq_len=max_seq_len,
        pad_to_max_len=bool(params.get("pad_to_max_len", True)),
        use_attention_mask=bool(params.get("use_attention_mask", True)),
        add_special_tokens=bool(params.get("add_special_tokens", True)),
        joiner=str(params.get("joiner", "\n\n")),
        max_samples=int(max_samples) if max_samples is not None else None,
        chat_template=params.get("chat_template"),
        message_col=str(params.get("message_col", "messages")),
    )


# --------------------------------------------------------------------------------------------- loading rows


def load_rows(data_config: Mapping[str, Any], config_dir: Path | str) -> list[Row]:
    """The rows of a data config's dataset, read from local files (relative paths resolve from config_dir).

    JSON and JSON Lines are read directly (fast, no cache folder, errors with line numbers); other local
    formats and sliced splits such as ``train[:100]`` go through ``datasets.load_dataset``.
    """
    name = data_config_name(data_config)
    load = component_params(data_config.get("load_dataset_config"))
    where = f"data config {name!r}, load_dataset_config"
    data_name = load.get("data_name")
    split = str(load.get("split") or "train")
    if not data_name:
        raise DataConfigError(f'{where}: data_name is missing; for a local file set data_name to "json".')
    config_dir = Path(config_dir)

    if data_name not in LOCAL_BUILDERS:
        local = resolve_path(str(data_name), config_dir)
        if local.exists():
            return _load_with_datasets(str(local), None, split, where)
        raise DataConfigError(hub_dataset_message(where, str(data_name), local))

    data_files = _resolve_data_files(load.get("data_files"), config_dir, where)
    if data_name == "json" and "[" not in split:
        files = _files_for_split(data_files, split, where)
        if not any(_has_glob(file) for file in files):
            rows: list[Row] = []
            for file in files:
                rows.extend(read_json_rows(Path(file), field=load.get("field")))
            return rows
    return _load_with_datasets(str(data_name), data_files, split, where)


def hub_dataset_message(where: str, data_name: str, tried: Path) -> str:
    return (
        f"{where}: data_name {data_name!r} is a Hugging Face Hub dataset (no local folder {tried} either), "
        "and the runner works offline. Save the dataset to a local file on a machine with network access "
        f"(e.g. datasets.load_dataset({data_name!r}, split='train').to_json('train.jsonl')), copy it next to "
        'the config, and set "data_name": "json", "data_files": "train.jsonl".'
    )


def resolve_path(path: str, config_dir: Path) -> Path:
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else config_dir / candidate


def _has_glob(path: str) -> bool:
    return any(char in path for char in GLOB_CHARS)


def _resolve_data_files(value: Any, config_dir: Path, where: str) -> str | list[str] | dict[str, Any]:
    """data_files with every path made absolute and checked, so a typo names the exact path tried."""
    if value is None:
        raise DataConfigError(f"{where}: data_files is missing; set it to the path of the data file.")
    if isinstance(value, dict) and "type" in value:
        raise DataConfigError(
            f"{where}: data_files of type {value['type']!r} (a cloud resource) is not supported by the runner; "
            "download the file and set data_files to its local path."
        )
    if isinstance(value, dict):
        return {
            split: _resolve_data_files(files, config_dir, f"{where}, data_files[{split!r}]")
            for split, files in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [str(_resolve_data_files(item, config_dir, where)) for item in value]
    path = resolve_path(str(value), config_dir)
    if _has_glob(str(value)):
        if not glob.glob(str(path)):
            raise DataConfigError(f"{where}: data_files pattern {value!r} matches no file (looked for {path}).")
    elif not path.is_file():
        raise DataConfigError(
            f"{where}: data file not found: {path} (data_files {value!r}, relative to the config's folder "
            f"{config_dir}). Fix the path or move the file there."
        )
    return str(path)


def _files_for_split(data_files: str | list[str] | dict[str, Any], split: str, where: str) -> list[str]:
    """The files of one split: a plain path or list is the split 'train', as in datasets.load_dataset."""
    if isinstance(data_files, (str, list)):
        if split != "train":
            raise DataConfigError(
                f"{where}: split {split!r} asked for, but data_files without split names only has the split "
                '"train"; use "split": "train" or give data_files as {"<split>": "<file>"}.'
            )
        return [data_files] if isinstance(data_files, str) else data_files
    if split not in data_files:
        raise DataConfigError(f"{where}: split {split!r} is not in data_files (it has {', '.join(data_files)}).")
    files = data_files[split]
    return [files] if isinstance(files, str) else list(files)


def read_json_rows(path: Path, field: str | None = None) -> list[Row]:
    """Rows of a JSON array, a JSON object (with ``field`` naming the list), or JSON Lines, whatever the suffix.

    The cookbook's dataset is JSON Lines named ``.json``, so the content decides, not the extension.
    """
    text = path.read_text(encoding="utf-8")
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return _read_json_lines(path, text)
    if isinstance(document, dict) and field:
        if field not in document:
            raise DataConfigError(f"{path}: field {field!r} not in the JSON object (it has {', '.join(document)}).")
        document = document[field]
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list) or not all(isinstance(row, dict) for row in document):
        raise DataConfigError(f"{path}: expected a list of objects (one per row) or JSON Lines.")
    return document


def _read_json_lines(path: Path, text: str) -> list[Row]:
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataConfigError(
                f"{path}:{number}: not valid JSON ({error.msg}); each line must be one object."
            ) from None
        if not isinstance(row, dict):
            raise DataConfigError(f"{path}:{number}: expected a JSON object per line, got {type(row).__name__}.")
        rows.append(row)
    return rows


def _load_with_datasets(data_name: str, data_files: Any, split: str, where: str) -> list[Row]:
    import datasets  # type: ignore[import-untyped]  # no stubs: see the mypy override note

    try:
        dataset = datasets.load_dataset(data_name, data_files=data_files, split=split)
    except Exception as error:  # datasets raises many kinds; each message is passed on as it is
        raise DataConfigError(f"{where}: datasets could not load {data_name!r} (split {split!r}): {error}") from error
    if isinstance(dataset, (datasets.DatasetDict, datasets.IterableDatasetDict)):
        raise DataConfigError(f"{where}: split is missing; set it to one of {', '.join(dataset)}.")
    return [dict(row) for row in dataset]


# --------------------------------------------------------------------------------------------- rows -> texts


def template_fields(template: str) -> list[str]:
    """The column names a ``str.format`` template refers to, in order, without duplicates."""
    fields: list[str] = []
    for _, field_name, _, _ in string.Formatter().parse(template):
        if field_name is None:
            continue
        base = field_name.split(".")[0].split("[")[0]
        if base not in fields:
            fields.append(base)
    return fields


def render_texts(rows: Sequence[Row], pre_process: PreProcess, tokenizer: Any = None) -> list[str]:
    """One text per row: the template filled in, else the text columns joined with a space; empty texts dropped.

    Olive's priority is the same: chat_template > text_template > text_cols.
    """
    if pre_process.chat_template:
        texts = [_render_chat(row, index, pre_process, tokenizer) for index, row in enumerate(rows)]
    elif pre_process.text_template is not None:
        texts = [_render_template(row, index, pre_process.text_template) for index, row in enumerate(rows)]
    else:
        texts = [_join_columns(row, index, pre_process.text_cols) for index, row in enumerate(rows)]
    return [text for text in texts if text]


def _missing_column(column: str, row: Row, index: int, setting: str) -> DataConfigError:
    available = ", ".join(row) or "none"
    return DataConfigError(
        f"{setting} refers to column {column!r}, but row {index} has no such column (columns: {available}). "
        f"Fix the name in {setting} or in the data."
    )


def _render_template(row: Row, index: int, template: str) -> str:
    try:
        return template.format(**row)
    except KeyError as error:
        raise _missing_column(str(error.args[0]), row, index, "text_template") from None
    except (IndexError, ValueError) as error:
        raise DataConfigError(
            f"text_template {template!r} is not a valid format string ({error}); name every placeholder after a "
            "column, e.g. {phrase}, and write literal braces as {{ and }}."
        ) from None


def _join_columns(row: Row, index: int, columns: Iterable[str]) -> str:
    parts = []
    for column in columns:
        if column not in row:
            raise _missing_column(column, row, index, "text_cols")
        value = row[column]
        parts.append("" if value is None else str(value))
    return " ".join(parts)


def _render_chat(row: Row, index: int, pre_process: PreProcess, tokenizer: Any) -> str:
    if tokenizer is None:
        raise DataConfigError("chat_template needs the model's tokenizer to render the messages.")
    if pre_process.message_col not in row:
        raise _missing_column(pre_process.message_col, row, index, "message_col")
    template = pre_process.chat_template if isinstance(pre_process.chat_template, str) else None
    text: str = tokenizer.apply_chat_template(row[pre_process.message_col], tokenize=False, chat_template=template)
    return text


# --------------------------------------------------------------------------------------------- splitting


def split_by_distinct_text(
    rows: Sequence[Row], key_cols: Sequence[str] | None, eval_fraction: float, seed: int = 0
) -> tuple[list[Row], list[Row]]:
    """Split rows into (train, eval) by distinct key so that duplicate rows never sit on both sides.

    Datasets such as the cookbook's have many exact duplicates; a plain row split would put copies of
    eval rows into training and overstate accuracy. ``eval_fraction`` in (0, 1) is a fraction of the
    distinct keys, a value >= 1 a number of them (Olive's ``eval_dataset_size`` accepted both).
    ``key_cols`` None means all columns. Both lists keep the original row order.
    """
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        key_row = row if key_cols is None else {col: row.get(col) for col in key_cols}
        groups.setdefault(json.dumps(key_row, sort_keys=True, default=str), []).append(index)
    distinct = len(groups)
    if eval_fraction <= 0:
        raise DataConfigError(f"the eval size must be positive, got {eval_fraction}.")
    n_eval = math.ceil(eval_fraction * distinct) if eval_fraction < 1 else int(eval_fraction)
    if distinct < 2 or not 1 <= n_eval < distinct:
        raise DataConfigError(
            f"cannot split {distinct} distinct rows into train and eval with an eval size of {eval_fraction}; "
            "add data or choose a smaller eval size."
        )
    keys = list(groups)
    random.Random(seed).shuffle(keys)
    eval_indices = {index for key in keys[:n_eval] for index in groups[key]}
    train = [row for index, row in enumerate(rows) if index not in eval_indices]
    evaluation = [row for index, row in enumerate(rows) if index in eval_indices]
    return train, evaluation


# --------------------------------------------------------------------------------------------- tokenizing


def tokenize_for_lm(
    texts: Sequence[str],
    tokenizer: Any,
    max_seq_len: int,
    strategy: str = "join",
    pad_to_max_len: bool = False,
    *,
    add_special_tokens: bool = True,
    joiner: str = "\n\n",
    use_attention_mask: bool = True,
    max_samples: int | None = None,
) -> list[Example]:
    """Token sequences for causal-LM training: ``input_ids``, ``labels`` (and ``attention_mask``).

    join: every text (with bos/eos when add_special_tokens) followed by the joiner, concatenated, cut into
    max_seq_len blocks; unlike Olive the shorter last block is kept, so a small dataset is not dropped.
    line-by-line: one example per text, truncated to max_seq_len and padded to it when pad_to_max_len.
    Labels equal the inputs (the model shifts them) with padding set to IGNORE_INDEX.
    """
    if strategy not in SUPPORTED_STRATEGIES:
        raise DataConfigError(f"strategy {strategy!r} is not supported; use one of {', '.join(SUPPORTED_STRATEGIES)}.")
    if max_seq_len < 1:
        raise DataConfigError(f"max_seq_len must be positive, got {max_seq_len}.")
    encoded = _encode(texts, tokenizer, add_special_tokens)
    if strategy == "join":
        joiner_ids = tokenizer.encode(joiner, add_special_tokens=False) if joiner else []
        sequences = _join_blocks(encoded, joiner_ids, max_seq_len)
        examples = [_example(ids, len(ids), None, use_attention_mask) for ids in sequences]
    else:
        if pad_to_max_len and tokenizer.pad_token_id is None:
            raise DataConfigError("pad_to_max_len needs a tokenizer with a pad token (set tokenizer.pad_token).")
        pad_id = tokenizer.pad_token_id if pad_to_max_len else None
        examples = [
            _example(ids[:max_seq_len], max_seq_len if pad_to_max_len else None, pad_id, use_attention_mask)
            for ids in encoded
        ]
    return examples[:max_samples] if max_samples is not None else examples


def _encode(texts: Sequence[str], tokenizer: Any, add_special_tokens: bool) -> list[list[int]]:
    """Token ids per text; bos/eos added as ids rather than as text, so they never merge with neighbours."""
    if not texts:
        return []
    ids: list[list[int]] = tokenizer(list(texts), add_special_tokens=False)["input_ids"]
    if not add_special_tokens:
        return ids
    bos = [tokenizer.bos_token_id] if tokenizer.bos_token_id is not None else []
    eos = [tokenizer.eos_token_id] if tokenizer.eos_token_id is not None else []
    return [bos + sequence + eos for sequence in ids]


def _join_blocks(encoded: Iterable[list[int]], joiner_ids: list[int], max_seq_len: int) -> list[list[int]]:
    stream: list[int] = []
    for ids in encoded:
        stream.extend(ids)
        stream.extend(joiner_ids)
    return [stream[start : start + max_seq_len] for start in range(0, len(stream), max_seq_len)]


def _example(ids: list[int], length: int | None, pad_id: int | None, use_attention_mask: bool) -> Example:
    padding = (length - len(ids)) if length is not None and pad_id is not None else 0
    example: Example = {
        "input_ids": ids + [pad_id] * padding if pad_id is not None else list(ids),
        "labels": list(ids) + [IGNORE_INDEX] * padding,
    }
    if use_attention_mask or padding:
        example["attention_mask"] = [1] * len(ids) + [0] * padding
    return example


# --------------------------------------------------------------------------------------------- all together


def build_examples(
    data_config: Mapping[str, Any], config_dir: Path | str, tokenizer: Any, rows: Sequence[Row] | None = None
) -> list[Example]:
    """Training examples for a data config: load (unless rows are given), render, tokenize, cap at max_samples."""
    pre_process = pre_process_params(data_config)
    if rows is None:
        rows = load_rows(data_config, config_dir)
    texts = render_texts(rows, pre_process, tokenizer)
    if not texts:
        raise DataConfigError(
            f"data config {data_config_name(data_config)!r} produced no text (no rows, or all empty)."
        )
    return tokenize_for_lm(
        texts,
        tokenizer,
        pre_process.max_seq_len,
        pre_process.strategy,
        pre_process.pad_to_max_len,
        add_special_tokens=pre_process.add_special_tokens,
        joiner=pre_process.joiner,
        use_attention_mask=pre_process.use_attention_mask,
        max_samples=pre_process.max_samples,
    )
