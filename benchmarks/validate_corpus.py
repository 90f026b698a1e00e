"""Throughput of the checker over the real-config corpus, against plain JSON Schema validation.

    python benchmarks/validate_corpus.py [--corpus DIR] [--repeat N]

Prints configs/s for:
- baseline: ``json.loads`` + ``jsonschema`` validation of each config against our committed schema
  (what a plain JSON Schema tool does with it), same process, same files;
- olive-studio: the full checker (tolerant parse, schema findings with places and fixes, Olive's rules,
  release rules) against the newest release, and against each config's own release.
The ratio says what the extra understanding costs. File checks are off (they measure the disk).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from jsonschema import Draft202012Validator
from olive_schema import check_text, versions
from olive_schema.checker import CheckOptions
from olive_schema.schema_build import SCHEMA_FILE

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "olive" / "corpus"


def release_of(path: str) -> str:
    head = path.split("/", 1)[0]
    return versions.newest() if head == "HEAD" else head.lstrip("v")


def timed(label: str, texts: list[str], work: Callable[[int, str], object], repeat: int) -> float:
    rates = []
    for _ in range(repeat):
        start = time.perf_counter()
        for index, text in enumerate(texts):
            work(index, text)
        rates.append(len(texts) / (time.perf_counter() - start))
    rate = statistics.median(rates)
    print(f"{label:<44} {rate:10.1f} configs/s   ({1000 / rate:.2f} ms/config)")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(args.corpus.rglob("*.json"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    releases = [release_of(f.relative_to(args.corpus).as_posix()) for f in files]
    print(f"{len(texts)} configs from {args.corpus}")

    validator = Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    newest = CheckOptions(olive_version=versions.newest())
    for release in sorted(set(releases)):  # build each release's validator once, outside the timing
        check_text("{}", CheckOptions(olive_version=release))

    baseline = timed(
        "baseline: json.loads + jsonschema", texts, lambda i, t: list(validator.iter_errors(json.loads(t))), args.repeat
    )
    ours = timed(
        f"olive-studio check, Olive {versions.newest()}", texts, lambda i, t: check_text(t, newest), args.repeat
    )
    per_release = timed(
        "olive-studio check, each config's release",
        texts,
        lambda i, t: check_text(t, CheckOptions(olive_version=releases[i])),
        args.repeat,
    )
    print(f"ratio olive-studio / baseline: {ours / baseline:.2f} (newest), {per_release / baseline:.2f} (own release)")


if __name__ == "__main__":
    main()
