"""Compare Olive Studio's verdicts with real Olive's on the corpus (dev tool; the tests assert the same).

    python tools/agreement.py 0.13.0 [--show false-errors|missed|all]

Olive's verdicts come from tests/data/olive_verdicts (made by tools/olive_verdicts/judge.py). A config is
"rejected" by us when the checker reports an error with file checks off. "environment" verdicts are skipped.
"""

from __future__ import annotations

import argparse
import collections
import json
from dataclasses import dataclass
from pathlib import Path

from olive_schema import check_text
from olive_schema.checker import CheckOptions
from olive_schema.findings import Finding, Severity

REPO = Path(__file__).resolve().parents[1]
VERDICTS = REPO / "tests" / "data" / "olive_verdicts"
SOURCES = {"seed": REPO.parent / "shared" / "seed", "examples": REPO / "examples"}
CORPUS = REPO.parent / "shared" / "olive" / "corpus"


@dataclass(frozen=True)
class Comparison:
    path: str
    olive: str
    ours: str
    olive_errors: list[str]
    our_errors: list[Finding]

    @property
    def agrees(self) -> bool:
        return self.olive == self.ours


def source_file(path: str) -> Path:
    head, _, rest = path.partition("/")
    return SOURCES[head] / rest if head in SOURCES else CORPUS / path


def compare(version: str) -> list[Comparison]:
    data = json.loads((VERDICTS / f"olive-{version}.json").read_text(encoding="utf-8"))
    out = []
    for verdict in data["verdicts"]:
        if verdict["verdict"] == "environment":
            continue
        file = source_file(verdict["path"])
        if not file.exists():
            continue
        findings = check_text(file.read_text(encoding="utf-8"), CheckOptions(olive_version=version)).findings
        errors = [f for f in findings if f.severity is Severity.ERROR]
        out.append(
            Comparison(
                verdict["path"],
                verdict["verdict"],
                "reject" if errors else "accept",
                [e["message"] for e in verdict["errors"]],
                errors,
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("version")
    parser.add_argument("--show", choices=("false-errors", "missed", "all", "none"), default="none")
    args = parser.parse_args()
    results = compare(args.version)
    agree = sum(r.agrees for r in results)
    false_errors = [r for r in results if r.olive == "accept" and r.ours == "reject"]
    missed = [r for r in results if r.olive == "reject" and r.ours == "accept"]
    print(
        f"Olive {args.version}: {len(results)} judged, agreement {agree / len(results):.2%} "
        f"({agree}), false errors {len(false_errors)}, missed rejections {len(missed)}"
    )
    if args.show in ("false-errors", "all"):
        reasons = collections.Counter((e.code, e.message[:100]) for r in false_errors for e in r.our_errors)
        for (code, message), count in reasons.most_common(40):
            example = next(r.path for r in false_errors if any(e.message[:100] == message for e in r.our_errors))
            print(f"FALSE {count:4} {code} {message}  e.g. {example}")
    if args.show in ("missed", "all"):
        reasons = collections.Counter(r.olive_errors[0][:100] if r.olive_errors else "?" for r in missed)
        for message, count in reasons.most_common(40):
            example = next(r.path for r in missed if (r.olive_errors[0][:100] if r.olive_errors else "?") == message)
            print(f"MISSED {count:4} {message}  e.g. {example}")


if __name__ == "__main__":
    main()
