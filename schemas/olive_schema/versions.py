"""Olive releases: which one a config is checked against, and whether a fact holds in it.

Facts carry the releases in which they hold as half-open ranges
``[[first, first_without], ...]`` (``null``: still there).  A target written as
a release line (``0.6``) means its newest patch release (``0.6.2``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import metadata

from packaging.version import InvalidVersion, Version

from olive_schema import catalog

Ranges = Sequence[Sequence[str | None]]


class UnknownVersionError(ValueError):
    """A target version that is not an Olive release this checker knows."""


@cache
def releases() -> tuple[str, ...]:
    """Every release the facts cover, oldest first."""
    return tuple(catalog.load("olive_versions")["versions"])


def newest() -> str:
    return releases()[-1]


def resolve(requested: str | None) -> str:
    """The release to check against: the requested one, else the installed olive-ai, else the newest."""
    if requested:
        return _match(requested)
    installed = installed_olive()
    return _nearest_not_after(installed) if installed else newest()


def installed_olive() -> str | None:
    try:
        return metadata.version("olive-ai")
    except metadata.PackageNotFoundError:
        return None


def _match(requested: str) -> str:
    text = requested.strip().lstrip("v")
    if text in releases():
        return text
    line = [r for r in releases() if r.startswith(text + ".")]
    if line:
        return line[-1]
    known = ", ".join(releases())
    raise UnknownVersionError(f"Unknown Olive version {requested!r}; known releases: {known}.")


def _nearest_not_after(version: str) -> str:
    """A dev build or a release newer than the facts maps to the closest known release before it."""
    try:
        wanted = Version(version)
    except InvalidVersion:
        return newest()
    earlier = [r for r in releases() if Version(r) <= wanted]
    return earlier[-1] if earlier else releases()[0]


def key(version: str) -> Version:
    return Version(version)


def holds(ranges: Ranges, version: str) -> bool:
    """Whether ``version`` falls in one of the half-open ranges."""
    target = Version(version)
    for start, end in ranges:
        if (start is None or Version(start) <= target) and (end is None or target < Version(end)):
            return True
    return False


def first_with(ranges: Ranges) -> str | None:
    starts = [r[0] for r in ranges if r[0] is not None]
    return min(starts, key=Version) if starts else None


def last_end(ranges: Ranges) -> str | None:
    """The release that no longer has it (None while it is still there)."""
    ends = [r[1] for r in ranges]
    if any(e is None for e in ends):
        return None
    return max((e for e in ends if e is not None), key=Version, default=None)
