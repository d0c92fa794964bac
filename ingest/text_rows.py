"""Rows of a table body in a text dump: code, name and the printed non-empty cells, in order.

One-sided tables print a row as ``[code] name value…``; a long name wraps over
lines ("208 05 05" / "机关事业单位基本养老保险缴" / "费支出" / "39.49 39.49 39.49").
Two-sided tables (收入 | 支出) print the left item and the right item on one line.
Which column each printed value belongs to is decided later (text_columns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetqa.ingest.codes import split_leading_code
from budgetqa.ingest.text_lines import (
    TextLine,
    has_cjk,
    is_code_part,
    is_code_token,
    is_value_token,
    join_name,
    starts_item,
)

_DECIMAL_TOKEN = re.compile(r"^[(（]?[-－−]?[\d,，]*\d\.\d+[)）]?$")
_CODE_MAX_PARTS = 3
_CLOSING = "）)】]、，,"
SIDE_LEFT, SIDE_RIGHT = "收入", "支出"
HALF_LEFT, HALF_RIGHT = "左", "右"
_RIGHT_WORD, _LEFT_WORD = "支出", "收入"


@dataclass(frozen=True, slots=True)
class RowSettings:
    """Named limits for assembling rows from lines."""

    max_wrap_lines: int = 3
    """A row name wrapped before its values spans at most this many text lines."""
    fragment_chars: int = 2
    """A label-only line this short (or opening with a closing bracket) ends the name of the row above."""
    min_half_lines: int = 2
    """A one-sided table with this many lines holding two coded items is read as two halves (左 | 右)."""


DEFAULT_ROWS = RowSettings()


@dataclass(slots=True)
class ParsedRow:
    """A row as printed: its label and its non-empty cells in order (columns not yet known)."""

    code: str | None
    name: str
    tokens: list[str]
    page: int
    subject: str | None = None
    first_label: list[str] = field(default_factory=list)
    """The label words of the row's first line, for splitting 科目名称 from 项目名称."""


def is_fragment(text: str, settings: RowSettings = DEFAULT_ROWS) -> bool:
    """The wrapped tail of a name ("付", "金）"), not a row of its own."""
    flat = "".join(text.split())
    if not flat or starts_item(flat) or any(ch.isdigit() for ch in flat):
        return False
    return len(flat) <= settings.fragment_chars or flat[0] in _CLOSING


def prints_integers(lines: list[TextLine]) -> bool:
    """True when no cell of the table has decimals: bare integers are then amounts too."""
    return not any(_DECIMAL_TOKEN.match(t) for line in lines for t in line.text.split())


def leading_code(tokens: list[str]) -> tuple[str | None, list[str]]:
    """The classification code a line starts with ("201 03 01", "2010301", "2010301行政运行") and the rest."""
    if not tokens:
        return None, tokens
    first = tokens[0]
    if is_code_token(first):
        parts, k = [first], 1
        if len(first) == 3:
            while k < len(tokens) and len(parts) < _CODE_MAX_PARTS and is_code_part(tokens[k]):
                parts.append(tokens[k])
                k += 1
        return "".join(parts), tokens[k:]
    code, rest = split_leading_code(first)
    if code and rest and has_cjk(rest):
        return code, [rest, *tokens[1:]]
    return None, tokens


def split_values(tokens: list[str], integers: bool) -> tuple[list[str], list[str]]:
    """(label words, trailing value tokens)."""
    k = len(tokens)
    while k > 0 and is_value_token(tokens[k - 1], integers):
        k -= 1
    return tokens[:k], tokens[k:]


@dataclass(slots=True)
class _Pending:
    code: str | None
    parts: list[str]
    page: int
    first_label: list[str]


class OneSidedParser:
    """Assemble one-sided rows line by line, joining wrapped names."""

    def __init__(self, integers: bool, coded: bool, settings: RowSettings = DEFAULT_ROWS) -> None:
        self.integers = integers
        self.coded = coded
        self.settings = settings
        self.rows: list[ParsedRow] = []
        self.pending: _Pending | None = None
        self.run: list[TextLine] = []

    def feed(self, line: TextLine) -> None:
        code, rest = leading_code(line.text.split())
        label, values = split_values(rest, self.integers)
        if not code and not label:
            self._values(values, line)
        elif values:
            self._flush()
            self._emit(code, [" ".join(label)], values, line.page, label)
        elif code:
            self._flush()
            self.pending = _Pending(code, [" ".join(label)] if label else [], line.page, label)
        else:
            self._text(" ".join(label), line)

    def finish(self) -> list[ParsedRow]:
        self._flush()
        return self.rows

    def _emit(self, code: str | None, parts: list[str], values: list[str], page: int, first: list[str]) -> None:
        self.rows.append(ParsedRow(code, join_name(parts), list(values), page, first_label=list(first)))

    def _values(self, values: list[str], line: TextLine) -> None:
        if self.pending:
            p = self.pending
            self._emit(p.code, p.parts, values, p.page, p.first_label)
            self.pending = None
        elif self.run:
            self._close_run(values)
        elif self.rows and not self.rows[-1].tokens:
            self.rows[-1].tokens = list(values)
        else:
            self._emit(None, [], values, line.page, [])

    def _close_run(self, values: list[str]) -> None:
        """Text lines then a values line: the last lines (from the last item start) are one wrapped name."""
        run = self.run
        begin = max(0, len(run) - self.settings.max_wrap_lines)
        for k in range(len(run) - 1, begin, -1):
            if starts_item(run[k].text):
                begin = k
                break
        for line in run[:begin]:
            self._emit(None, [line.text], [], line.page, line.text.split())
        self._emit(None, [x.text for x in run[begin:]], values, run[begin].page, run[begin].text.split())
        self.run = []

    def _text(self, text: str, line: TextLine) -> None:
        if self.pending:
            self.pending.parts.append(text)
            return
        last = self.rows[-1] if self.rows else None
        tail = self.coded and last and last.code and last.tokens and not starts_item(text)
        if last and not self.run and (tail or is_fragment(text, self.settings)):
            last.name = join_name([last.name, text])
            return
        self.run.append(line)

    def _flush(self) -> None:
        if self.pending:
            p = self.pending
            self._emit(p.code, p.parts, [], p.page, p.first_label)
            self.pending = None
        for line in self.run:
            self._emit(None, [line.text], [], line.page, line.text.split())
        self.run = []


def parse_one_sided(
    lines: list[TextLine], integers: bool, coded: bool, settings: RowSettings = DEFAULT_ROWS
) -> list[ParsedRow]:
    """Rows of a one-sided table body."""
    parser = OneSidedParser(integers, coded, settings)
    for line in lines:
        parser.feed(line)
    return parser.finish()


def _is_code_start(tokens: list[str], k: int) -> bool:
    nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
    return is_code_token(tokens[k]) and (has_cjk(nxt) or is_code_part(nxt))


def _items(tokens: list[str], integers: bool, total_names: frozenset[str]) -> list[tuple[list[str], list[str]]]:
    """A two-sided line cut into items of (label words, values): a new item starts after values, at a
    code, at an item number (二、) or at a total's name (本年支出合计)."""
    items: list[tuple[list[str], list[str]]] = []
    label: list[str] = []
    values: list[str] = []
    for k, token in enumerate(tokens):
        code_start = _is_code_start(tokens, k)
        if not code_start and is_value_token(token, integers):
            values.append(token)
            continue
        opens = code_start or (starts_item(token) and not token.startswith("其中")) or token in total_names
        if values or (label and opens):
            items.append((label, values))
            label, values = [], []
        label.append(token)
    if label or values:
        items.append((label, values))
    return items


def _side_of_single(label: list[str]) -> str:
    """Which side a lone item on a line belongs to."""
    if label and (_is_code_start(label, 0) or is_code_token(label[0])):
        return SIDE_RIGHT
    text = "".join(label)
    return SIDE_RIGHT if _RIGHT_WORD in text and _LEFT_WORD not in text else SIDE_LEFT


def _row(label: list[str], values: list[str], page: int) -> ParsedRow:
    code, rest = leading_code(label)
    return ParsedRow(code, join_name([" ".join(rest)]), list(values), page, first_label=list(rest))


def _half_of_single(label: list[str], left: list[ParsedRow], right: list[ParsedRow]) -> str:
    """Which half a lone coded item belongs to in a table printed as two halves: the one its code continues."""
    code, _ = leading_code(label)
    last_left = next((r.code for r in reversed(left) if r.code), None)
    last_right = next((r.code for r in reversed(right) if r.code), None)
    if not code or not last_right:
        return SIDE_LEFT
    same_left = bool(last_left) and code[:3] == last_left[:3]
    if code[:3] == last_right[:3] and not same_left:
        return SIDE_RIGHT
    return SIDE_RIGHT if not same_left and code > last_right else SIDE_LEFT


def side_by_side(lines: list[TextLine], integers: bool, settings: RowSettings = DEFAULT_ROWS) -> bool:
    """Does the body print two coded halves per line ("301 工资福利支出 100.00 302 商品和服务支出 50.00")?"""
    count = 0
    for line in lines:
        tokens = line.text.split()
        if any(_is_code_start(tokens, k) and is_value_token(tokens[k - 1], integers) for k in range(1, len(tokens))):
            count += 1
    return count >= settings.min_half_lines


def parse_two_sided(
    lines: list[TextLine], integers: bool, total_names: frozenset[str] = frozenset(), halves: bool = False
) -> tuple[list[ParsedRow], list[ParsedRow]]:
    """Left and right rows of a two-sided body: 收入 | 支出, or two halves of one list when ``halves``."""
    left: list[ParsedRow] = []
    right: list[ParsedRow] = []
    waiting: list[ParsedRow] = []
    # rows of the previous line still without values (their values may follow on the next line)
    last: ParsedRow | None = None
    for line in lines:
        items = _items(line.text.split(), integers, total_names)
        if len(items) == 1 and not items[0][0]:
            _late_values(waiting, items[0][1])
            waiting = []
            continue
        if len(items) == 1 and not items[0][1] and last and is_fragment(" ".join(items[0][0])):
            last.name = join_name([last.name, *items[0][0]])
            continue
        if len(items) == 1:
            row = _row(*items[0], line.page)
            side = _half_of_single(items[0][0], left, right) if halves else _side_of_single(items[0][0])
            (right if side == SIDE_RIGHT else left).append(row)
            waiting = [row] if not row.tokens else []
            last = row
            continue
        pair = [_row(*items[0], line.page), _row(*items[1], line.page)]
        for extra in items[2:]:
            pair[1].name = join_name([pair[1].name, " ".join(extra[0])])
            pair[1].tokens.extend(extra[1])
        left.append(pair[0])
        right.append(pair[1])
        waiting = [r for r in pair if not r.tokens]
        last = pair[1]
    return left, right


def _late_values(waiting: list[ParsedRow], values: list[str]) -> None:
    """Values printed on the line after their labels: one each when they pair up, else to the last row."""
    if len(waiting) == len(values):
        for row, value in zip(waiting, values, strict=True):
            row.tokens = [value]
    elif waiting:
        waiting[-1].tokens = list(values)


def split_subjects(rows: list[ParsedRow], known_names: dict[str, str]) -> None:
    """Rows naming both a 科目 and a 项目 ("201 03 02 一般行政管理事务 公共机构节能项目"): name = project, subject = 科目."""
    for row in rows:
        words = row.first_label
        if not row.code or len(words) < 2:
            continue
        known = known_names.get(row.code)
        subject = known if known and row.name.startswith(known) else join_name([words[0]])
        if row.name.startswith(subject) and len(row.name) > len(subject):
            row.subject, row.name = subject, row.name[len(subject) :].strip()
