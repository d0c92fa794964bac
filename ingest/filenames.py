"""File names as budgetqa stores and shows them."""

from __future__ import annotations

import unicodedata

HIDDEN = ("Cc", "Cf")
"""Unicode categories dropped from names: control characters and format characters (bidi overrides and
isolates such as U+202E, zero-width spaces and joiners, the BOM)."""


def visible_name(name: str) -> str:
    """``name`` without control or format characters: a name that reverses or hides part of itself
    (``报告\u202efdp.exe`` shown as ``报告exe.pdf``) is stored, printed and served as its real characters."""
    return "".join(ch for ch in name if unicodedata.category(ch) not in HIDDEN)
