"""Regenerate tests/data/corpus_release_errors.json: the corpus configs that get errors at their own release.

    python tools/corpus_expectations.py

Each entry says why the error is expected: real Olive 0.6.2 rejects the config too (verified with
tests/data/olive_verdicts), it is a template with placeholders, or it is not verified (no verdict of
that release exists here). Review the diff before committing: a new entry is a new error.
"""

from __future__ import annotations

import json
from pathlib import Path

from olive_schema import check_text, versions
from olive_schema.checker import CheckOptions
from olive_schema.findings import Severity

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "olive" / "corpus"
OUT = REPO / "tests" / "data" / "corpus_release_errors.json"
PLACEHOLDERS = ("<place_holder>", '"<target>"', '"<evaluator>"')


def release_of(path: str) -> str:
    head = path.split("/", 1)[0]
    return versions.newest() if head == "HEAD" else head.lstrip("v")


def main() -> None:
    verdicts = {}
    for version in ("0.6.2", "0.13.0"):
        data = json.loads((REPO / "tests" / "data" / "olive_verdicts" / f"olive-{version}.json").read_text())
        verdicts[version] = {v["path"]: v for v in data["verdicts"]}
    expected: dict[str, dict[str, object]] = {}
    for file in sorted(CORPUS.rglob("*.json")):
        path = file.relative_to(CORPUS).as_posix()
        version = release_of(path)
        text = file.read_text(encoding="utf-8")
        findings = check_text(text, CheckOptions(olive_version=version)).findings
        errors = sorted({f"{f.code} {f.path_text}" for f in findings if f.severity is Severity.ERROR})
        if not errors:
            continue
        verdict = verdicts.get(version, {}).get(path)
        others = [(v, verdicts[v].get(path)) for v in verdicts if v != version]
        rejected_elsewhere = [(v, o) for v, o in others if o is not None and o["verdict"] == "reject"]
        if verdict is not None and verdict["verdict"] == "reject":
            why = f"Olive {version} rejects it: {verdict['errors'][0]['message'][:120]}"
        elif any(p in text for p in PLACEHOLDERS):
            why = "a template with placeholders, not a runnable config"
        elif rejected_elsewhere:
            v, other = rejected_elsewhere[0]
            reason = other["errors"][0]["message"][:100]
            why = f"no verdict of Olive {version} here; Olive {v} rejects this file: {reason}"
        else:
            why = f"not verified: no verdict of Olive {version} here"
        expected[path] = {"release": version, "errors": errors, "why": why}
    OUT.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(expected)} configs with expected errors -> {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
