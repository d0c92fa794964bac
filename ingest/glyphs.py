"""Repair a PDF's text layer before anything reads it: look-alike glyphs and overprinted characters.

Two faults of real exports that break every comparison while the page looks right:

* **Look-alike code points.** Some fonts' ToUnicode maps (WPS and Office exports among them)
  give a Kangxi radical (⼀ U+2F00, ⽀ U+2F40) or a CJK radical supplement form (⻓ U+2ED3,
  ⺠ U+2EA0) for the ordinary ideograph (一, 支, 长, 民), or a CJK compatibility ideograph
  (U+F900–U+FAFF). A title "⼀般公共预算⽀出表" then names no table kind, and no question's
  "一般公共预算" finds it. Compatibility ideographs fold by NFC (canonical decompositions);
  the radicals by ``cjkfold`` (the Unicode ``EquivalentUnifiedIdeograph`` property, which
  NFKC covers for the Kangxi block only).
* **Overprinted "bold".** A title or total row drawn twice with a tiny offset doubles every
  character in the text layer ("合合计计"). pdfplumber's ``dedupe_chars`` drops a character
  with the same text, font and size as one within a point of it.

Full-width digits and punctuation are left alone here: the readers handle them where they
parse numbers and labels.
"""

from __future__ import annotations

import unicodedata

from cjkfold import fold
from pdfplumber.page import Page

_LOOKALIKE_RANGES = ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def has_lookalike(text: str) -> bool:
    """Whether the text holds a radical or compatibility ideograph that folds to another character."""
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _LOOKALIKE_RANGES)


def fold_glyphs(text: str) -> str:
    """The text with look-alike radicals and compatibility ideographs as the ideographs they stand for."""
    if not has_lookalike(text):
        return text
    return fold(unicodedata.normalize("NFC", text))


def repair_page(page: Page) -> Page:
    """The page without overprinted duplicate characters, its characters' look-alikes folded."""
    repaired = page.dedupe_chars(tolerance=1)
    for char in repaired.chars:
        text = char["text"]
        if has_lookalike(text):
            char["text"] = fold_glyphs(text)
    return repaired
