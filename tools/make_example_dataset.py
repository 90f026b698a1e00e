"""Write the example's phrase/tone dataset (ours, not third-party): train.jsonl and eval.jsonl, split by phrase.

    python tools/make_example_dataset.py

Hand-written phrases (data/phrases.jsonl) plus combinations of people and situations per tone, shuffled
with a fixed seed. The split is by situation (a hand-written phrase is its own situation): 70% of the
situations train, 30% evaluate, so the held-out phrases are not just the training ones with another person.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "examples" / "phrase-classification" / "data"
PEOPLE = ["My neighbour", "The old captain", "Our teacher", "My little brother", "The night nurse", "Grandpa"]
SITUATIONS = {
    "sad": [
        "lost the photos of his wedding",
        "sat alone at the empty station",
        "read the last letter again",
        "watched the shop close for good",
        "buried the family dog this morning",
    ],
    "joy": [
        "won the garden contest at last",
        "danced all night at the reunion",
        "held the newborn for the first time",
        "finally got the dream job",
        "laughed until tears came at the picnic",
    ],
    "fear": [
        "heard footsteps in the locked attic",
        "saw the river rising over the road",
        "felt the ladder start to slip",
        "found the front door wide open at midnight",
        "smelled smoke in the dark hallway",
    ],
    "surprise": [
        "found a winning ticket in an old coat",
        "met a twin he never knew he had",
        "opened the door to a marching band",
        "got a letter written forty years ago",
        "saw snow falling in the middle of summer",
    ],
}


def groups() -> list[list[dict[str, str]]]:
    """Rows grouped by situation, in a fixed shuffled order."""
    written = [json.loads(line) for line in (FOLDER / "phrases.jsonl").read_text(encoding="utf-8").splitlines()]
    by_situation = [[row] for row in written]
    by_situation += [
        [{"phrase": f"{who} {what}.", "tone": tone} for who in PEOPLE]
        for tone, whats in SITUATIONS.items()
        for what in whats
    ]
    random.Random(7).shuffle(by_situation)
    return by_situation


def main() -> None:
    situations = groups()
    cut = round(len(situations) * 0.7)
    for name, part in (("train.jsonl", situations[:cut]), ("eval.jsonl", situations[cut:])):
        rows = [row for group in part for row in group]
        (FOLDER / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        print(f"{name}: {len(rows)} phrases from {len(part)} situations")


if __name__ == "__main__":
    main()
