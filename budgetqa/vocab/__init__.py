"""The domain vocabulary as data: table kinds, row concepts, column concepts."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

VOCAB_DIR = Path(__file__).parent


@lru_cache
def load(name: str) -> dict:
    """Load ``<name>.toml`` from the vocabulary folder."""
    with (VOCAB_DIR / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


@lru_cache
def _table_kind_patterns() -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    return tuple(
        (entry["name"], tuple(re.compile(p) for p in entry["patterns"]))
        for entry in load("tables")["kind"]
    )


def table_kind(title: str) -> str | None:
    """The canonical kind a table title names, or None when it names none."""
    text = re.sub(r"[\s“”\"'‘’]", "", title)
    for name, patterns in _table_kind_patterns():
        if any(p.search(text) for p in patterns):
            return name
    return None
