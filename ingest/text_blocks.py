"""Split a paginated text dump into table blocks (title, header lines, body lines) and narrative.

A table starts at a title line that names a table kind, optionally after a label
line ("表 1", "公开01表"), followed within a few lines by its "编制部门：X 单位：万元"
line. Its header runs to the column-number line ("※ ※ 1 2 3") or to the first
line that looks like data. A "编制部门" line inside a table starts a continued
page whose repeated header is skipped. A table ends at the next title, at a
narrative heading or at prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from budgetqa.ingest.text_lines import (
    EMPTY_MARKER,
    TextLine,
    column_number_count,
    has_cjk,
    is_amount,
    is_code_part,
    is_code_token,
    is_heading,
    is_note,
    is_page_number,
    is_prose,
    is_value_token,
    split_label,
    squeeze,
    starts_item,
    unit_line,
)
from budgetqa.vocab import load, table_kind

_CONTINUED = re.compile(r"续表|[（(]续[)）]")
_QUOTES = re.compile(r"[“”\"'‘’]")
_MIN_TRAILING_INTEGERS = 2
"""A line ending in this many bare integers is a row of a table printed in whole 元, not a header line."""


@lru_cache
def total_row_names() -> frozenset[str]:
    """Names of grand-total rows (总计, 合计 …): a header without column numbers ends at such a line."""
    return frozenset(load("headers")["total_rows"])


@dataclass(frozen=True, slots=True)
class BlockSettings:
    """Named thresholds for finding tables in a dump."""

    title_max_chars: int = 60
    """A longer line is prose, not a table title."""
    unit_window: int = 3
    """The 编制部门/单位 line must follow the title within this many lines."""
    title_max_lines: int = 2
    """A title may be wrapped over this many lines."""
    header_max_lines: int = 40
    """How far below a title to look for the column-number line that ends its header."""
    statement_max_lines: int = 4
    """An empty-table sentence ("…为空表。") spans at most this many lines."""


DEFAULT_BLOCKS = BlockSettings()


@dataclass(slots=True)
class TableBlock:
    """The lines of one table, merged over the pages it continues on."""

    label: str | None
    title: str
    kind: str
    unit: str
    department: str | None
    header: list[TextLine] = field(default_factory=list)
    column_count: int | None = None
    body: list[TextLine] = field(default_factory=list)
    statement: list[TextLine] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)

    @property
    def header_text(self) -> str:
        return "".join(squeeze(_QUOTES.sub("", line.text)) for line in self.header)

    @property
    def empty_statement(self) -> str | None:
        text = "".join(line.text for line in self.statement)
        return text if text and EMPTY_MARKER.search(text) else None


@dataclass(slots=True)
class Segmentation:
    """Table blocks and the narrative lines around them."""

    blocks: list[TableBlock]
    narrative: list[TextLine]


@dataclass(slots=True)
class _Start:
    consumed: int
    label: str | None
    title: str
    kind: str
    unit: str
    department: str | None


def looks_like_data(text: str) -> bool:
    """Does the line hold a table row (an amount, a leading code, an item number, or trailing integers)?"""
    tokens = text.split()
    if any(is_amount(t) for t in tokens):
        return True
    numbers = 0
    while numbers < len(tokens) and is_value_token(tokens[-1 - numbers], integers=True):
        numbers += 1
    label = "".join(tokens[: len(tokens) - numbers])
    if has_cjk(label) and (numbers >= _MIN_TRAILING_INTEGERS or (numbers and label in total_row_names())):
        return True
    if tokens and is_code_token(tokens[0]) and (len(tokens) == 1 or has_cjk(tokens[1]) or is_code_part(tokens[1])):
        return True
    return starts_item(text)


def _title_candidate(text: str, settings: BlockSettings) -> str | None:
    """The kind a title-like line names, or None."""
    if len(text) > settings.title_max_chars or is_prose(text) or "，" in text:
        return None
    if any(is_amount(t) for t in text.split()):
        return None
    return table_kind(text)


def _joinable(first: str, wrapped: list[TextLine]) -> bool:
    """May a title wrapped over lines start with ``first`` and go on with ``wrapped``?"""
    if starts_item(first) or is_heading(first) or is_page_number(first) or not has_cjk(first):
        return False
    return not any(split_label(x.text)[0] for x in wrapped)


def table_start(lines: list[TextLine], i: int, settings: BlockSettings = DEFAULT_BLOCKS) -> _Start | None:
    """A table starting at line i: its label, title, kind and unit line, or None."""
    label, rest = split_label(lines[i].text)
    j = i + 1 if label and not rest else i
    if j >= len(lines):
        return None
    first = rest if (label and rest) else lines[j].text
    for extra in range(settings.title_max_lines):
        if j + extra >= len(lines):
            return None
        wrapped = lines[j + 1 : j + extra + 1]
        if extra and not _joinable(first, wrapped):
            break
        title = first + "".join(x.text for x in wrapped)
        kind = _title_candidate(title, settings)
        if not kind:
            continue
        after = j + extra + 1
        for k in range(after, min(after + settings.unit_window, len(lines))):
            found = unit_line(lines[k].text)
            if found:
                return _Start(k - i + 1, label, title.strip(), kind, found[1], found[0])
            if looks_like_data(lines[k].text):
                break
    return None


def _ends_header(text: str) -> bool:
    """A line that cannot belong to a column header: data, prose, an empty-table sentence, a note."""
    return bool(looks_like_data(text) or is_prose(text) or EMPTY_MARKER.search(text) or is_note(text))


class _Splitter:
    """State machine walking the dump once."""

    def __init__(self, lines: list[TextLine], settings: BlockSettings) -> None:
        self.lines = lines
        self.settings = settings
        self.blocks: list[TableBlock] = []
        self.narrative: list[TextLine] = []
        self.block: TableBlock | None = None
        self.mode = "outside"
        self.expects_column_numbers = False
        self.has_values = False
        self.position = 0
        self.last_page = 0

    def run(self) -> Segmentation:
        i = 0
        while i < len(self.lines):
            i += self._step(i)
        self._close()
        return Segmentation(self.blocks, self.narrative)

    def _step(self, i: int) -> int:
        self.position = i
        line = self.lines[i]
        start = table_start(self.lines, i, self.settings)
        if start:
            self._open(start, i)
            return start.consumed
        if self.block is None:
            self.narrative.append(line)
            return 1
        self._inside(line)
        return 1

    def _open(self, start: _Start, i: int) -> None:
        used = self.lines[i : i + start.consumed]
        block = self.block
        if block and (start.title == block.title or _CONTINUED.search(start.title)):
            self.mode = "repeat"
            block.pages.extend(x.page for x in used)
            return
        self._close()
        self.block = TableBlock(start.label, start.title, start.kind, start.unit, start.department)
        self.block.pages.extend(x.page for x in used)
        self.mode = "header"
        self.has_values = False
        self.expects_column_numbers = self._column_numbers_ahead(i + start.consumed)

    def _column_numbers_ahead(self, i: int) -> bool:
        """Does a column-number line close this header (before any amount or the next table)?"""
        for line in self.lines[i : i + self.settings.header_max_lines]:
            if column_number_count(line.text):
                return True
            if any(is_amount(t) for t in line.text.split()) or is_prose(line.text):
                return False
        return False

    def _close(self) -> None:
        if self.block is not None:
            self.blocks.append(self.block)
        self.block = None
        self.mode = "outside"

    def _inside(self, line: TextLine) -> None:
        block = self.block
        assert block is not None
        text = line.text
        new_page = line.page != self.last_page
        self.last_page = line.page
        if is_heading(text):
            self._close()
            self.narrative.append(line)
            return
        if unit_line(text) and self.mode != "header":
            self.mode = "repeat"
            block.pages.append(line.page)
            return
        if self.mode == "header" and self._header_line(line):
            return
        if self.mode == "repeat" or (new_page and self._is_header_repeat(text)):
            if column_number_count(text) or self._is_header_repeat(text):
                self.mode = "repeat"
                return
            self.mode = "body"
        self._body_line(line)

    def _header_line(self, line: TextLine) -> bool:
        """Take a header line; False when the header has ended at this line."""
        block = self.block
        assert block is not None
        count = column_number_count(line.text)
        if count:
            block.column_count = count
            block.pages.append(line.page)
            self.mode = "body"
            return True
        text = line.text
        valueless_total = squeeze(text) in total_row_names() and not self.expects_column_numbers
        if _ends_header(text) or (valueless_total and self._body_follows()):
            self.mode = "body"
            return False
        block.header.append(line)
        block.pages.append(line.page)
        return True

    def _body_follows(self) -> bool:
        """Is the line after the current one body text (or nothing), so the current one is a valueless row?"""
        nxt = self.position + 1
        if nxt >= len(self.lines) or table_start(self.lines, nxt, self.settings):
            return True
        text = self.lines[nxt].text
        return _ends_header(text) or bool(unit_line(text)) or is_heading(text)

    def _is_header_repeat(self, text: str) -> bool:
        block = self.block
        assert block is not None
        if looks_like_data(text):
            return False
        piece = squeeze(_QUOTES.sub("", text))
        return bool(piece) and piece in block.header_text

    def _body_line(self, line: TextLine) -> None:
        block = self.block
        assert block is not None
        text = line.text
        if self.mode == "statement":
            self._statement_line(line)
            return
        wordy = not looks_like_data(text) and (is_prose(text) or EMPTY_MARKER.search(text) or is_note(text))
        if wordy and not self.has_values and (EMPTY_MARKER.search(text) or not block.body):
            self.mode = "statement"
            self._statement_line(line)
            return
        if wordy:
            self._close()
            self.narrative.append(line)
            return
        if is_page_number(text) and not looks_like_data(text):
            self.narrative.append(line)
            return
        block.body.append(line)
        block.pages.append(line.page)
        self.has_values = self.has_values or any(is_amount(t) for t in text.split())

    def _statement_line(self, line: TextLine) -> None:
        block = self.block
        assert block is not None
        done = block.statement and block.statement[-1].text.endswith("。")
        if done or len(block.statement) >= self.settings.statement_max_lines:
            self._close()
            self.narrative.append(line)
            return
        block.statement.append(line)
        block.pages.append(line.page)


def split_blocks(lines: list[TextLine], settings: BlockSettings = DEFAULT_BLOCKS) -> Segmentation:
    """Table blocks and narrative lines of a paginated dump."""
    return _Splitter(lines, settings).run()
