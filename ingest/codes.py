"""Classification codes: normalise the printed forms and find a code's parent and level.

Functional codes (支出功能分类) are 类 3 digits → 款 +2 → 项 +2; economic codes
(经济分类) are 类 3 digits (301…399, 501…599) → 款 +2. They are printed as
``201 03 01``, ``2010301``, ``201-03-01``, ``[2010301]``, split over columns, or written
before the name.
"""

from __future__ import annotations

import re

LEVELS = {3: "类", 5: "款", 7: "项"}
_LEADING_CODE = re.compile(r"^\s*(\d{3})(?:\s*(\d{2}))?(?:\s*(\d{2}))?(?=\s|[^\d.,]|$)\s*")
_CODE_ONLY = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_BRACKETED = re.compile(r"^\s*[\[【]([\d\s\-－—]+)[\]】]\s*")
"""A code in square brackets before a name or alone ("[2010301]行政运行", "【201】")."""
_DASHED = re.compile(r"^\s*(\d{3})(?:\s*[-－—]\s*(\d{2}))(?:\s*[-－—]\s*(\d{2}))?(?=\s|[^\d.,\-－—]|$)\s*")
"""A code with dashes between its parts ("201-03-01", "301-02")."""


def compact_code(text: str) -> str:
    """A code cell printed with brackets or dashes as bare digits ("[201 03]" → "20103",
    "201-03-01" → "2010301"); any other text unchanged."""
    for pattern in (_BRACKETED, _DASHED):
        match = pattern.match(text)
        if match and not text[match.end():].strip():
            digits = re.sub(r"\D", "", "".join(g or "" for g in match.groups()))
            if _CODE_ONLY.match(digits):
                return digits
    return text


def join_code(*parts: str | None) -> str | None:
    """Join code parts printed in separate columns ("201", "03", "01") → "2010301".

    A 款/项 part printed without its leading zero ("301", "2") is padded ("30102").
    """
    cleaned = [re.sub(r"\s", "", compact_code(p or "")) for p in parts]
    cleaned = [c for c in cleaned if c]
    if len(cleaned) > 1 and len(cleaned[0]) == 3:
        cleaned = [cleaned[0], *[c.zfill(2) if len(c) == 1 else c for c in cleaned[1:]]]
    digits = "".join(cleaned)
    return digits if _CODE_ONLY.match(digits) else None


def split_leading_code(text: str) -> tuple[str | None, str]:
    """Split "201 03 01 行政运行", "2010301行政运行", "[2010301]行政运行" or "201-03-01 行政运行"
    into ("2010301", "行政运行")."""
    for pattern in (_BRACKETED, _DASHED):
        match = pattern.match(text)
        digits = re.sub(r"\D", "", "".join(g or "" for g in match.groups())) if match else ""
        if _CODE_ONLY.match(digits):
            return digits, text[match.end():].strip()
    match = _LEADING_CODE.match(text)
    if not match:
        return None, text.strip()
    code = "".join(g for g in match.groups() if g)
    rest = text[match.end():].strip()
    if not rest and len(code) > 7:
        return None, text.strip()
    return code, rest


def is_code(text: str) -> bool:
    return bool(_CODE_ONLY.match(re.sub(r"\s", "", text)))


def level_of(code: str | None) -> str | None:
    return LEVELS.get(len(code)) if code else None


def parent_of(code: str | None) -> str | None:
    """"2010301" → "20103"; "20103" → "201"; "201" → None."""
    if not code or len(code) <= 3:
        return None
    return code[:-2]


def display(code: str | None) -> str:
    """"2010301" → "201 03 01"."""
    if not code:
        return ""
    return " ".join([code[:3], *[code[i:i + 2] for i in range(3, len(code), 2)]])
