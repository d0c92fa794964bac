"""Prompt files for the optional LLM mode, versioned by name (``agent_system.v1.md``)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

PROMPT_DIR = Path(__file__).parent


@lru_cache
def load_prompt(name: str, version: int | None = None) -> str:
    """The text of prompt ``name`` (the highest version unless ``version`` is given)."""
    found = {}
    for path in PROMPT_DIR.glob(f"{name}.v*.md"):
        match = re.fullmatch(rf"{re.escape(name)}\.v(\d+)\.md", path.name)
        if match:
            found[int(match.group(1))] = path
    if not found:
        raise FileNotFoundError(f"no prompt {name!r} in {PROMPT_DIR}")
    chosen = found.get(version) if version is not None else found[max(found)]
    if chosen is None:
        raise FileNotFoundError(f"no prompt {name!r} version {version}")
    return chosen.read_text(encoding="utf-8").strip()
