"""Data configs -> rows -> texts -> token sequences (runner/olive_runner/data.py), and the errors people see."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from olive_runner import data
from olive_runner.data import DataConfigError

pytestmark = pytest.mark.runner
pytest.importorskip("torch")

TEMPLATE = "### Text: {phrase}\n### The tone is:\n{tone}"


def data_config(data_files: Any = "data/phrases.jsonl", nested: bool = False, **pre_process: Any) -> dict[str, Any]:
    """A data config in the current form; ``nested`` puts the parameters under "params" as 0.6 configs do."""
    load = {"data_name": "json", "data_files": data_files, "split": "train"}
    pre = {"text_template": TEMPLATE, "strategy": "line-by-line", "max_seq_len": 64, **pre_process}
    if nested:
        return {
            "name": "phrases",
            "type": "HuggingfaceContainer",
            "load_dataset_config": {"params": load},
            "pre_process_data_config": {"params": pre},
        }
    return {
        "name": "phrases",
        "type": "HuggingfaceContainer",
        "load_dataset_config": load,
        "pre_process_data_config": pre,
    }


@pytest.fixture(scope="module")
def tokenizer(tiny_model: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)


# --------------------------------------------------------------------------------------------- loading


def test_load_rows_reads_jsonl_relative_to_the_config_folder(phrase_dataset: Path) -> None:
    config_dir = phrase_dataset.parent.parent
    rows = data.load_rows(data_config(), config_dir)
    assert len(rows) == 40
    assert set(rows[0]) == {"phrase", "tone"}


def test_load_rows_accepts_nested_params_and_a_json_array(tmp_path: Path) -> None:
    (tmp_path / "rows.json").write_text(json.dumps([{"phrase": "a", "tone": "joy"}, {"phrase": "b", "tone": "sad"}]))
    rows = data.load_rows(data_config("rows.json", nested=True), tmp_path)
    assert rows == [{"phrase": "a", "tone": "joy"}, {"phrase": "b", "tone": "sad"}]


def test_load_rows_reads_json_lines_named_json(tmp_path: Path) -> None:
    """The cookbook's dataset is JSON Lines named .json: the content decides, not the suffix."""
    (tmp_path / "rows.json").write_text('{"phrase": "a", "tone": "joy"}\n{"phrase": "b", "tone": "sad"}\n')
    assert len(data.load_rows(data_config("rows.json"), tmp_path)) == 2


def test_load_rows_with_a_sliced_split_goes_through_datasets(phrase_dataset: Path) -> None:
    config = data_config()
    config["load_dataset_config"]["split"] = "train[:5]"
    rows = data.load_rows(config, phrase_dataset.parent.parent)
    assert len(rows) == 5


def test_missing_file_names_the_path_tried(tmp_path: Path) -> None:
    with pytest.raises(DataConfigError) as caught:
        data.load_rows(data_config("dataset/missing.json"), tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "dataset" / "missing.json") in message
    assert "'phrases'" in message and "relative to the config's folder" in message


def test_bad_json_line_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "rows.jsonl").write_text('{"phrase": "a", "tone": "joy"}\n{"phrase": "b", tone: sad}\n')
    with pytest.raises(DataConfigError, match=r"rows\.jsonl:2: not valid JSON"):
        data.load_rows(data_config("rows.jsonl"), tmp_path)


def test_hub_dataset_is_refused_with_how_to_use_a_local_file(tmp_path: Path) -> None:
    config = data_config()
    config["load_dataset_config"] = {"data_name": "tatsu-lab/alpaca", "split": "train"}
    with pytest.raises(DataConfigError) as caught:
        data.load_rows(config, tmp_path)
    message = str(caught.value)
    assert "offline" in message and '"data_name": "json"' in message and "to_json" in message


def test_cloud_data_files_are_refused(tmp_path: Path) -> None:
    config = data_config({"type": "azureml_datastore", "config": {"datastore_name": "x"}})
    with pytest.raises(DataConfigError, match=r"azureml_datastore.*download the file"):
        data.load_rows(config, tmp_path)


def test_unknown_split_of_a_files_dict_lists_the_splits(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"phrase": "a", "tone": "joy"}\n')
    with pytest.raises(DataConfigError, match=r"split 'validation' is not in data_files.*train"):
        data.load_rows(
            {
                **data_config({"train": "a.jsonl"}),
                "load_dataset_config": {"data_name": "json", "data_files": {"train": "a.jsonl"}, "split": "validation"},
            },
            tmp_path,
        )


# --------------------------------------------------------------------------------------------- rendering


def test_render_texts_fills_the_template() -> None:
    pre = data.pre_process_params(data_config())
    texts = data.render_texts([{"phrase": "We won!", "tone": "joy"}], pre)
    assert texts == ["### Text: We won!\n### The tone is:\njoy"]


def test_render_texts_joins_text_cols_with_a_space() -> None:
    config = data_config(text_template=None, text_cols=["phrase", "tone"])
    texts = data.render_texts([{"phrase": "We won!", "tone": "joy"}], data.pre_process_params(config))
    assert texts == ["We won! joy"]


def test_wrong_template_column_names_it_and_the_available_ones() -> None:
    pre = data.pre_process_params(data_config(text_template="{Question} -> {tone}"))
    with pytest.raises(DataConfigError) as caught:
        data.render_texts([{"phrase": "We won!", "tone": "joy"}], pre)
    message = str(caught.value)
    assert "'Question'" in message and "phrase, tone" in message and "text_template" in message


def test_wrong_text_col_names_it() -> None:
    pre = data.pre_process_params(data_config(text_template=None, text_cols="text"))
    with pytest.raises(DataConfigError, match=r"text_cols refers to column 'text'.*phrase, tone"):
        data.render_texts([{"phrase": "We won!", "tone": "joy"}], pre)


def test_unsupported_strategy_and_formatting_func_are_refused() -> None:
    with pytest.raises(DataConfigError, match=r"strategy 'join-random' is not supported.*join, line-by-line"):
        data.pre_process_params(data_config(strategy="join-random"))
    with pytest.raises(DataConfigError, match=r"text_formatting_func.*text_template"):
        data.pre_process_params(data_config(text_formatting_func="fmt"))


def test_pre_process_defaults_follow_olive() -> None:
    pre = data.pre_process_params({"name": "x"})
    assert (pre.strategy, pre.max_seq_len, pre.pad_to_max_len, pre.text_cols) == ("join", 1024, True, ("text",))


# --------------------------------------------------------------------------------------------- splitting


def test_split_by_distinct_text_keeps_duplicates_on_one_side() -> None:
    rows = [{"phrase": f"p{i % 10}", "tone": "joy"} for i in range(40)]  # every phrase four times
    train, evaluation = data.split_by_distinct_text(rows, ["phrase"], 0.3, seed=1)
    assert len(train) + len(evaluation) == 40
    assert not {r["phrase"] for r in train} & {r["phrase"] for r in evaluation}
    assert len({r["phrase"] for r in evaluation}) == 3  # 30% of the 10 distinct phrases
    assert data.split_by_distinct_text(rows, ["phrase"], 0.3, seed=1) == (train, evaluation)


def test_split_by_distinct_text_takes_a_count_and_keeps_order() -> None:
    rows = [{"phrase": f"p{i}"} for i in range(10)]
    train, evaluation = data.split_by_distinct_text(rows, None, 2, seed=0)
    assert len(evaluation) == 2
    assert train == sorted(train, key=lambda r: int(r["phrase"][1:]))


def test_split_refuses_what_cannot_be_split() -> None:
    with pytest.raises(DataConfigError, match="cannot split 1 distinct rows"):
        data.split_by_distinct_text([{"phrase": "a"}] * 5, ["phrase"], 0.3)


# --------------------------------------------------------------------------------------------- tokenizing


def test_join_concatenates_and_cuts_into_blocks(tokenizer: Any) -> None:
    texts = ["We won the match!", "The lights went out.", "It snowed in the desert."] * 4
    examples = data.tokenize_for_lm(texts, tokenizer, max_seq_len=16, strategy="join")
    stream = [token for example in examples for token in example["input_ids"]]
    expected: list[int] = []
    for text in texts:
        expected += [tokenizer.bos_token_id, *tokenizer.encode(text, add_special_tokens=False), tokenizer.eos_token_id]
        expected += tokenizer.encode("\n\n", add_special_tokens=False)
    assert stream == expected
    assert all(len(example["input_ids"]) == 16 for example in examples[:-1])
    assert all(example["labels"] == example["input_ids"] for example in examples)


def test_line_by_line_truncates_and_pads_with_ignored_labels(tokenizer: Any) -> None:
    long_text = "word " * 100
    examples = data.tokenize_for_lm(
        ["We won!", long_text], tokenizer, max_seq_len=12, strategy="line-by-line", pad_to_max_len=True
    )
    short, long = examples
    assert len(short["input_ids"]) == len(long["input_ids"]) == 12
    real = sum(short["attention_mask"])
    assert short["input_ids"][0] == tokenizer.bos_token_id and short["input_ids"][real - 1] == tokenizer.eos_token_id
    assert short["labels"][real:] == [data.IGNORE_INDEX] * (12 - real)
    assert short["input_ids"][real:] == [tokenizer.pad_token_id] * (12 - real)
    assert sum(long["attention_mask"]) == 12


def test_line_by_line_without_padding_and_max_samples(tokenizer: Any) -> None:
    examples = data.tokenize_for_lm(
        ["a b", "c d e f g"],
        tokenizer,
        64,
        "line-by-line",
        add_special_tokens=False,
        use_attention_mask=False,
        max_samples=1,
    )
    assert len(examples) == 1
    assert examples[0] == {
        "input_ids": tokenizer.encode("a b", add_special_tokens=False),
        "labels": tokenizer.encode("a b", add_special_tokens=False),
    }


def test_build_examples_from_a_seed_style_config(phrase_dataset: Path, tokenizer: Any) -> None:
    config = data_config(nested=True, pad_to_max_len=False, use_attention_mask=False, strategy="join", max_seq_len=128)
    examples = data.build_examples(config, phrase_dataset.parent.parent, tokenizer)
    assert examples and all(len(example["input_ids"]) <= 128 for example in examples)
    decoded = tokenizer.decode(examples[0]["input_ids"])
    assert "### The tone is:" in decoded
