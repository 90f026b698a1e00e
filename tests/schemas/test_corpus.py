"""The 840 real configs of Olive releases 0.4.0 ... 0.9.2 and main: the test suite no one here wrote.

Checked against the release it shipped with, a config gets no error unless it is listed in
tests/data/corpus_release_errors.json with the reason (real Olive rejects it too, or it is a template).
Against real Olive 0.13.0 and 0.6.2 (verdicts in tests/data/olive_verdicts): no false error, and at
least 99% agreement apart from the intended difference (Azure ML runs with Olive Studio's runner).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from olive_schema import check_text, codes, versions
from olive_schema.checker import CheckOptions
from olive_schema.findings import Severity

from tests.conftest import REPO, shared_path

DATA = REPO / "tests" / "data"


def corpus_files() -> list[tuple[str, Path]]:
    corpus = shared_path("olive", "corpus")
    return [(f.relative_to(corpus).as_posix(), f) for f in sorted(corpus.rglob("*.json"))]


def release_of(path: str) -> str:
    head = path.split("/", 1)[0]
    return versions.newest() if head == "HEAD" else head.lstrip("v")


def error_keys(text: str, version: str) -> list[str]:
    findings = check_text(text, CheckOptions(olive_version=version)).findings
    return sorted({f"{f.code} {f.path_text}" for f in findings if f.severity is Severity.ERROR})


def test_every_release_config_is_clean_at_its_release_unless_listed_with_a_reason() -> None:
    expected = json.loads((DATA / "corpus_release_errors.json").read_text(encoding="utf-8"))
    unexpected: dict[str, list[str]] = {}
    stale: list[str] = []
    for path, file in corpus_files():
        got = error_keys(file.read_text(encoding="utf-8"), release_of(path))
        want = expected.get(path, {}).get("errors", [])
        if set(got) - set(want):
            unexpected[path] = got
        elif got != want:
            stale.append(path)
    assert unexpected == {}, "new errors on real configs (a false alarm, or update the list with its reason)"
    assert stale == [], "listed errors no longer reported: run tools/corpus_expectations.py"
    assert all(entry["why"] for entry in expected.values())


def agreement(version: str) -> tuple[int, list[str], list[str], list[str]]:
    verdicts = json.loads((DATA / "olive_verdicts" / f"olive-{version}.json").read_text(encoding="utf-8"))["verdicts"]
    corpus = shared_path("olive", "corpus")
    judged, false_errors, missed, intended = 0, [], [], []
    for verdict in verdicts:
        file = corpus / verdict["path"]
        if verdict["verdict"] == "environment" or not file.exists():
            continue
        findings = check_text(file.read_text(encoding="utf-8"), CheckOptions(olive_version=version)).findings
        ours = "reject" if any(f.severity is Severity.ERROR for f in findings) else "accept"
        judged += 1
        if verdict["verdict"] == "accept" and ours == "reject":
            false_errors.append(verdict["path"])
        elif verdict["verdict"] == "reject" and ours == "accept":
            runs_here = any(f.code == codes.RUNS_WITH_OLIVE_STUDIO for f in findings)
            (intended if runs_here else missed).append(verdict["path"])
    return judged, false_errors, missed, intended


@pytest.mark.parametrize("version", ["0.13.0", "0.6.2"])
def test_agreement_with_real_olive(version: str) -> None:
    judged, false_errors, missed, intended = agreement(version)
    assert judged > 750
    assert false_errors == []
    compared = judged - len(intended)
    assert (compared - len(missed)) / compared >= 0.99, missed
    if version == "0.13.0":
        assert intended, "Azure ML configs: Olive 0.13 rejects them, Olive Studio reports that its runner runs them"


def test_every_finding_on_the_corpus_points_inside_its_file() -> None:
    for path, file in corpus_files()[::7]:
        text = file.read_text(encoding="utf-8")
        for finding in check_text(text, CheckOptions(olive_version=versions.newest())).findings:
            assert 0 <= finding.start < finding.end <= len(text), (path, finding)
