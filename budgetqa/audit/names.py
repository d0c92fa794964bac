"""Names as compared, and the audit vocabulary (budgetqa/vocab/audit.toml)."""

from __future__ import annotations

import re
from functools import lru_cache

from budgetqa.vocab import load

ENUM_STYLES: dict[str, re.Pattern[str]] = {
    "cn": re.compile(r"^[一二三四五六七八九十]+[、.．]"),
    "paren": re.compile(r"^[（(][一二三四五六七八九十\d]+[)）]"),
    "arabic": re.compile(r"^\d{1,2}[、.．](?!\d)"),
}
QIZHONG = re.compile(r"^其中[:：]?")
_LEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)|其中[:：]?)+")
_LEVEL_MARK = re.compile(r"[（(](?:类|款|项)[)）]")
SUBTOTAL_MARK = re.compile(r"[（(]小计[)）]")
QUOTES = re.compile(r"[\s“”\"'‘’：:]")


def normalise(name: str | None) -> str:
    """A name as compared: no spaces, quotes, enumerators, 其中, level marks; full-width brackets."""
    text = QUOTES.sub("", name or "")
    text = _LEADING.sub("", text)
    text = _LEVEL_MARK.sub("", text)
    text = SUBTOTAL_MARK.sub("", text).replace("、", "")
    return text.replace("(", "（").replace(")", "）")


@lru_cache
def vocab() -> dict:
    return load("audit")


def ends_with(key: str, suffixes: list[str]) -> bool:
    return any(key.endswith(s) for s in suffixes)


def is_total_name(key: str) -> bool:
    rows = vocab()["rows"]
    return key in rows["total_names"] or ends_with(key, rows["total_suffixes"]) or ends_with(
        key, rows["subtotal_suffixes"])
