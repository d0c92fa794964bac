"""Lines and tokens of a plain-text dump of a disclosure PDF.

A dump prints one text line per PDF line; a line that starts with a space
begins a new page. Table rows arrive as whitespace-separated tokens: an
optional classification code, the row name, then the non-empty cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetqa.numbers import DASHES, parse_number

_DECIMAL = re.compile(r"^[(（]?[-－−]?(?:\d{1,3}(?:[,，]\d{3})+|\d+)\.\d+[)）]?$")
_GROUPED = re.compile(r"^[(（]?[-－−]?\d{1,3}(?:[,，]\d{3})+[)）]?$")
_INTEGER = re.compile(r"^[-－−]?\d+$")
_CODE_TOKEN = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_CODE_PART = re.compile(r"^\d{2}$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_COLUMN_MARK = {"※", "*", "＊", "栏次", "行次"}
_SPACED_MARK = re.compile(r"([栏行])\s+次")
# a label's number never takes the first digit of the year printed right after it ("表62025年" is 表6)
_LABEL = re.compile(r"^(公开\s*\d{1,2}\s*表|附表\s*\d{1,2}(?:[-－]\d{1,2})?(?=\s*\d{4}年|\D|$)"
                    r"|表\s*\d{1,2}(?:[-－]\d{1,2})?(?=\s*\d{4}年|\D|$))\s*")
_UNIT_LINE = re.compile(
    r"(?:(?:编制(?:部门|单位)|部门名称|单位名称|部门)\s*[:：]\s*(?P<dept>\S.*?)\s+)?"
    r"(?:金额)?单位\s*[:：]\s*(?P<unit>亿元|千元|万元|元)\s*[)）]?\s*$"
)
_PAGE_NUMBER = re.compile(r"^(?:[-－—]\s*)?\d{1,4}(?:\s*[-－—])?$|^第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?$")
_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、\s*关于|名词解释|附件\s*\d*[:：]?$)"
)
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|其中[:：]?)")
_PROSE_PUNCT = re.compile(r"[。；]")
EMPTY_MARKER = re.compile(r"为空表|空表|无数据|本表无|无此项|无该项|没有使用|未安排|无.{0,12}(?:支出|收入|预算)")


@dataclass(frozen=True, slots=True)
class TextLine:
    """One non-blank line of the dump, with its page number (1-based) and its text stripped."""

    index: int
    page: int
    text: str


def paginate(lines: list[str]) -> list[TextLine]:
    """Number the pages: a line starting with whitespace, or one after a page-number footer, opens a page."""
    out: list[TextLine] = []
    page = 1
    after_footer = False
    for index, raw in enumerate(lines):
        text = raw.strip()
        if not text:
            continue
        opens_page = raw[:1].isspace() or after_footer
        if out and opens_page:
            page += 1
        after_footer = bool(_PAGE_NUMBER.match(text)) and not raw[:1].isspace()
        out.append(TextLine(index, page, text))
    return out


def is_amount(token: str) -> bool:
    """A printed amount with decimals or thousands separators ("1,662.80", "0.30", "156,211,123")."""
    return bool(_DECIMAL.match(token) or _GROUPED.match(token))


def is_value_token(token: str, integers: bool) -> bool:
    """Can this token be a table cell? Bare integers count only in tables that print integers.

    A bare integer with a leading zero ("07100762") is an identifier, never an amount.
    """
    if token in DASHES:
        return True
    if is_amount(token):
        return True
    if _INTEGER.match(token):
        if token == "0":
            return True
        return integers and not token.lstrip("-－−").startswith("0") and parse_number(token) is not None
    return False


def is_code_token(token: str) -> bool:
    """A classification code printed as one token ("201", "20103", "2010301")."""
    return bool(_CODE_TOKEN.match(token))


def is_code_part(token: str) -> bool:
    """A 款/项 part of a code printed in its own column ("03")."""
    return bool(_CODE_PART.match(token))


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def join_name(parts: list[str]) -> str:
    """A row name from its printed pieces: wrapped pieces joined, spaces between Chinese characters dropped."""
    return _CJK_GAP.sub("", "".join(p.strip() for p in parts if p.strip()))


def split_label(text: str) -> tuple[str | None, str]:
    """("表1", "部门收支总体情况表") from "表 1 部门收支总体情况表"; (None, text) when no label is printed."""
    match = _LABEL.match(text)
    if not match:
        return None, text.strip()
    return re.sub(r"\s", "", match.group(1)), text[match.end():].strip()


def unit_line(text: str) -> tuple[str | None, str] | None:
    """(department, unit) of a "编制部门：X 单位：万元" line, or None when the line is not one."""
    match = _UNIT_LINE.search(text)
    if not match:
        return None
    before = text[: match.start()].strip()
    if before and not match.group("dept"):
        return None
    dept = match.group("dept")
    return (dept.strip() if dept else None), match.group("unit")


def column_number_count(text: str) -> int | None:
    """N from a column-number line ("※ ※ ※ 1 2 3", "栏次 1 2 3"), or None when the line is not one."""
    tokens = _SPACED_MARK.sub(r"\1次", text).split()
    numbers = [t for t in tokens if t.isdigit()]
    marks = [t for t in tokens if t in _COLUMN_MARK]
    if len(numbers) + len(marks) != len(tokens) or not numbers:
        return None
    if [int(n) for n in numbers] != list(range(1, len(numbers) + 1)):
        return None
    if not marks and len(numbers) < 2:
        return None
    return len(numbers)


def is_page_number(text: str) -> bool:
    """A page-number footer ("13", "- 13 -", "第 13 页")."""
    return bool(_PAGE_NUMBER.match(text))


def is_heading(text: str) -> bool:
    """A narrative heading that ends any table (第三部分…, 一、关于…, 名词解释)."""
    return bool(_HEADING.match(text))


def starts_item(text: str) -> bool:
    """Does the text open a new item (一、 / 1、 / （一） / 其中：)?"""
    return bool(_ENUMERATOR.match(text))


def is_prose(text: str) -> bool:
    """A sentence rather than a table line."""
    return bool(_PROSE_PUNCT.search(text))


def is_note(text: str) -> bool:
    """A table note ("注：…", "说明：…")."""
    return bool(re.match(r"^(?:注|说明|备注)\s*\d*\s*[:：]", text))


def squeeze(text: str) -> str:
    """Text with all whitespace removed."""
    return re.sub(r"\s+", "", text)
