"""The narrative half of a disclosure: page lines → paragraphs, sections, chunks, facts, profile.

Input is the text of each page outside the tables, one PDF line per string, as
``pdfplumber``'s ``extract_text(y_tolerance=5)`` or a PDF-to-text dump prints it.
The reader works in linear passes:

1. clean each page: page numbers, stray quote marks, table-of-contents pages,
   running headers/footers and (in text dumps) table rows are dropped;
2. join lines into blocks: a PDF line wraps mid-sentence, so a block ends only
   where a heading or list item starts, or where a line ends a sentence
   without reaching the right margin;
3. a short block opened by a heading marker (第X部分 > 一、 > （一） > 1. > （1）)
   is a heading and moves the section path; any other block is a paragraph;
4. paragraphs give chunks of at most ``chunk_max_chars`` for retrieval, and
   their sentences give facts (``budgetqa.ingest.facts``);
5. the 概况 profile (编制数, 实有人数 …) comes from patterns in the vocabulary.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from budgetqa.ingest.facts import (
    FIGURE,
    FactContext,
    clean_subject,
    paragraph_facts,
    sentence_spans,
)
from budgetqa.models import Chunk, Fact
from budgetqa.vocab import load

_VOCAB = load("narrative")


@dataclass(frozen=True, slots=True)
class NarrativeSettings:
    """Named knobs of the narrative reader."""

    chunk_max_chars: int = 300
    """A chunk holds at most this many characters (a longer sentence is cut at a comma)."""
    heading_max_chars: int = 40
    """A block opened by a heading marker is a heading only if its text after the marker is this short."""
    full_line_ratio: float = 0.8
    """A line at least this share of the typical line width reaches the right margin (it wraps);
    a narrower one ends its block unless it ends on a comma or an opening bracket."""
    default_line_width: float = 35.0
    """Typical line width (in CJK characters) when a document has too few prose lines to measure."""
    debris_max_chars: int = 40
    """A paragraph this short with no clause punctuation at all is debris (table headers, chart labels)."""
    heading_tail_max_chars: int = 8
    """A short unpunctuated line right after a heading finishes it ("…情况" + "说明")."""
    header_min_pages: int = 3
    """A first/last page line repeated on at least this many pages …"""
    header_page_share: float = 0.4
    """… and on at least this share of the pages is a running header/footer."""


DEFAULT_SETTINGS = NarrativeSettings()


@dataclass(slots=True)
class PageText:
    """The text lines of one page outside its tables, in reading order."""

    page: int
    """1-based page number."""
    lines: list[str]


@dataclass(slots=True)
class Paragraph:
    """A paragraph joined from wrapped lines, possibly running over a page break."""

    text: str
    page: int
    """The page the paragraph starts on."""
    breaks: list[tuple[int, int]] = field(default_factory=list)
    """(offset, page): from ``offset`` on, the text is on ``page``."""

    def page_at(self, offset: int) -> int:
        """The page the character at ``offset`` is on."""
        if not self.breaks:
            return self.page
        index = bisect.bisect_right([o for o, _ in self.breaks], offset)
        return self.breaks[index - 1][1] if index else self.page


@dataclass(slots=True)
class Section:
    """A heading path and the paragraphs under it."""

    path: list[str]
    """Headings from the top level down, as printed ("第三部分 …", "一、…", "（一）…")."""
    page: int
    """The page the section starts on."""
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass(slots=True)
class Narrative:
    """What the narrative of one document gave."""

    sections: list[Section]
    chunks: list[Chunk]
    facts: list[Fact]
    profile: dict[str, str]


# ---- line patterns -----------------------------------------------------------------

_CN = "一二三四五六七八九十"
# Heading markers by level: 第一部分 (0) > 一、 (1) > （一） (2) > 1、 1. 1． (3) > （1） (4).
HEADING_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"^第[{_CN}\d]+部分")),
    (1, re.compile(rf"^[{_CN}]+\s*[、.．]")),
    (2, re.compile(rf"^[（(]\s*[{_CN}]+\s*[）)]")),
    (3, re.compile(r"^\d{1,2}\s*[、.．](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
)
# List items that open a paragraph but never a heading: "一是", "第一条", "①".
_LIST_ONLY = re.compile(rf"^(?:[{_CN}]+是|第[{_CN}百\d]+条|[①-⑳])")
# Page numbers: "13", "- 2 -", "—3—", "第 3 页", "第3页 共20页", "3/20".
_PAGE_NUMBER = re.compile(
    r"^(?:[-－—–]?\s*\d{1,4}\s*[-－—–]?|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|[-－—–]\s*[ivxlIVXL]+\s*[-－—–])$"
)
# A line of nothing but quote marks, left over from “三公” printed in another font.
_QUOTES_ONLY = re.compile(r"^[“”\"'‘’「」\s]+$")
# Dot leaders of a table of contents: "一、主要职能 ………… 3".
_DOT_LEADER = re.compile(r"(?:[.．·•…]{3,}|…{2,}|[-－—]{4,})\s*\d*\s*$")
_TOC_TITLES = frozenset(re.sub(r"\s", "", t) for t in _VOCAB["layout"]["toc_titles"])
# Where a dump prints a table: its label, unit or 编制部门 line, or a title ending in 表.
_TABLE_START = re.compile(
    r"^(?:表\s*\d{1,2}|公开\s*\d{1,2}\s*表|附表\s*\d{1,2})$|^编制(?:部门|单位)[:：]|单位[:：]\s*(?:亿元|万元|千元|元)\s*$"
)
_TABLE_TITLE = re.compile(
    r"(?:情况|总|明细|预算|决算|目标|支出|收入|经费)[^\s，。；,;]{0,6}表(?:（续）|\(续\))?$"
)
# Numbers standing alone between spaces, as the cells of a table row flattened to a line.
_BARE_NUMBER = re.compile(
    r"(?:(?<=\s)|^)[-－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?P<decimals>\.\d+)?(?=\s|$)"
)
# Sentence punctuation; an ASCII comma counts unless it separates thousands ("1,234.56").
_PROSE_PUNCT = re.compile(r"[，。；;]|,(?!\d{3})")
# Any clause punctuation, the colon of "预算安排规模：20.00万元" included.
_CLAUSE_PUNCT = re.compile(r"[，。；：;:！？]|,(?!\d{3})")
_FIGURE_UNIT = re.compile(r"万元|%|％")
# A line opening on a figure or its unit continues the line before it.
_FIGURE_START = re.compile(
    r"^(?:[-－]?\d[\d,.]*\s*(?:万元|亿元|元|%|％|平方米|个|人|辆|台|家|项)|万元|元|%|％)"
)
# Line ends: a sentence end, and the marks a wrapped line may end on.
_TERMINAL = tuple("。！？；：!?;:")
_CONTINUES = tuple("，、,（(“‘《")
# Runs of ASCII characters (half-width when printed).
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
# Spaces next to a CJK character or full-width mark are layout, not text.
_LAYOUT_SPACE = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")
_HEADING_SUFFIX = re.compile(
    rf"(?:{'|'.join(map(re.escape, _VOCAB['layout']['heading_suffixes']))})$"
)
# The only headings that may end on "。": "（一）…总体情况说明。".
_SENTENCE_HEADING = re.compile(r"(?:说明|情况)。$")
# A sentence end inside a heading ("（一）…总体情况说明。" may end on one).
_HEADING_BREAKERS = re.compile(r"[，；,;]|。.")
_PROFILE: dict[str, tuple[re.Pattern[str], ...]] = {
    key: tuple(re.compile(p) for p in patterns) for key, patterns in _VOCAB["profile"].items()
}


def heading_level(text: str) -> int | None:
    """The level of the heading marker ``text`` starts with, or None."""
    for level, pattern in HEADING_LEVELS:
        if pattern.match(text):
            return level
    return None


def _width(text: str) -> float:
    """Printed width in CJK characters: ASCII (and spaces) count half."""
    wide = len(_ASCII_RUN.sub("", text))
    return wide + (len(text) - wide) / 2


def normalise(line: str) -> str:
    """A line with layout spaces removed ("会议费 1,234.50 万元" → "会议费1,234.50万元")."""
    return _LAYOUT_SPACE.sub("", line.strip())


# ---- pass 1: clean pages -----------------------------------------------------------


def _is_noise(line: str) -> bool:
    return not line or bool(_PAGE_NUMBER.match(line) or _QUOTES_ONLY.match(line))


def _is_toc(lines: list[str], previous_was_toc: bool) -> bool:
    if not lines:
        return previous_was_toc
    if any(is_contents_title(line) for line in lines[:3]):
        return True
    leaders = sum(1 for line in lines if _DOT_LEADER.search(line))
    if leaders >= 3 and leaders * 2 >= len(lines):
        return True
    if previous_was_toc:
        # a TOC continued: nothing but headings and leaders, no prose
        return all(
            (heading_level(line) is not None or _DOT_LEADER.search(line))
            and not _PROSE_PUNCT.search(line)
            for line in lines
        )
    return False


def printed_lines(pages: list[PageText]) -> list[list[str]]:
    """Each page's lines, stripped, without page numbers and quote debris."""
    return [[line.strip() for line in p.lines if not _is_noise(line.strip())] for p in pages]


def contents_flags(pages: list[list[str]]) -> list[bool]:
    """For each page (``printed_lines``): is it a table of contents (or one continued)?"""
    flags: list[bool] = []
    previous = False
    for lines in pages:
        previous = _is_toc(lines, previous) if (lines or previous) else False
        flags.append(previous)
    return flags


def is_contents_title(line: str) -> bool:
    """“目录”, “目 录” …: the title of a table of contents."""
    return re.sub(r"\s", "", line) in _TOC_TITLES


def _header_keys(pages: list[list[str]], settings: NarrativeSettings) -> set[str]:
    """Lines repeated at the top or bottom of many pages (digits ignored): running headers/footers."""
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = {_edge_key(line) for line in lines[:1] + lines[-1:]}
        counts.update(edge)
    floor = max(settings.header_min_pages, settings.header_page_share * len(pages))
    return {key for key, n in counts.items() if n >= floor}


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s", "", line))


def _is_table_row(line: str) -> bool:
    """A flattened table row: no sentence punctuation, and two amounts or three bare numbers."""
    if _PROSE_PUNCT.search(line) or _FIGURE_UNIT.search(line):
        return False
    numbers = [m.group("decimals") for m in _BARE_NUMBER.finditer(line)]
    return len(numbers) >= 3 or sum(1 for d in numbers if d) >= 2


def _is_table_title(line: str) -> bool:
    text = re.sub(r"\s", "", line)
    if _TABLE_START.search(line.strip()):
        return True
    return (
        len(text) <= 40
        and not _PROSE_PUNCT.search(text)
        and heading_level(text) is None
        and bool(_TABLE_TITLE.search(text))
    )


def _ends_table(line: str, typical: float) -> bool:
    """A line that cannot be table text: prose, a part heading, or a 说明/情况 heading."""
    text = normalise(line)
    level = heading_level(text)
    if level == 0:
        return True
    if level is not None and not re.search(r"\d", text[2:]) and _HEADING_SUFFIX.search(text):
        return True
    return (
        bool(_PROSE_PUNCT.search(text))
        and _width(line) >= 0.5 * typical
        and not _is_table_row(line)
    )


TEXT_GAP = ""
"""Marks where table text was dropped: the text before and after it are separate blocks."""


def clean_pages(
    pages: list[PageText], settings: NarrativeSettings = DEFAULT_SETTINGS
) -> list[tuple[int, list[str]]]:
    """Each page's lines without page numbers, quote debris, TOC pages, headers/footers and table text.

    Where table text is dropped, a ``TEXT_GAP`` line is left in its place.
    """
    stripped = printed_lines(pages)
    kept = [(page.page, lines) for page, lines, toc in zip(pages, stripped, contents_flags(stripped), strict=True)
            if not toc]
    headers = _header_keys([lines for _, lines in kept], settings)
    if headers:
        kept = [
            (
                page,
                [
                    line
                    for i, line in enumerate(lines)
                    if not ((i == 0 or i == len(lines) - 1) and _edge_key(line) in headers)
                ],
            )
            for page, lines in kept
        ]
    typical = (
        _typical_width(line for _, lines in kept for line in lines) or settings.default_line_width
    )
    in_table = False
    result: list[tuple[int, list[str]]] = []
    for page, lines in kept:
        out: list[str] = []
        for line in lines:
            if _is_table_title(line):
                in_table = True
            elif in_table and _ends_table(line, typical):
                in_table = False
            if in_table or _is_table_row(line):
                if out[-1:] != [TEXT_GAP]:
                    out.append(TEXT_GAP)
                continue
            out.append(line)
        result.append((page, out))
    return result


def _typical_width(lines: Iterable[str]) -> float | None:
    """The width of a full prose line: the 80th percentile of lines with sentence punctuation."""
    widths = sorted(_width(line) for line in lines if _PROSE_PUNCT.search(line))
    if len(widths) < 5:
        return None
    return widths[int(len(widths) * 0.8)]


# ---- pass 2: blocks ------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    parts: list[str]
    page: int
    breaks: list[tuple[int, int]]
    length: int = 0
    last_page: int = 0

    def add(self, text: str, page: int) -> None:
        if self.parts:
            previous = self.parts[-1]
            if (
                previous[-1:].isascii()
                and previous[-1:].isalnum()
                and text[:1].isascii()
                and text[:1].isalnum()
            ):
                text = " " + text
        if page != self.last_page:
            self.breaks.append((self.length, page))
            self.last_page = page
        self.parts.append(text)
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _blocks(pages: list[tuple[int, list[str]]], settings: NarrativeSettings) -> list[_Block]:
    """Lines joined into blocks; a block ends where a line stops short of the right margin."""
    typical = (
        _typical_width(line for _, lines in pages for line in lines) or settings.default_line_width
    )
    full = settings.full_line_ratio * typical
    blocks: list[_Block] = []
    block: _Block | None = None
    previous = ""
    for page, lines in pages:
        for raw in lines:
            if raw == TEXT_GAP:
                block = None
                continue
            text = normalise(raw)
            if not text:
                continue
            new = block is None or heading_level(text) is not None or bool(_LIST_ONLY.match(text))
            if not new and block is not None and not _heading_tail(block, text, settings):
                stops_short = _width(previous) < full and not previous.endswith(_CONTINUES)
                if stops_short and _pushed_figure(previous, text, block):
                    stops_short = False
                title_after = previous.endswith(_TERMINAL) and _is_title_line(text, typical)
                new = stops_short or title_after or _complete_heading(block)
            if new:
                block = _Block([], page, [], last_page=page)
                blocks.append(block)
            assert block is not None
            block.add(text, page)
            previous = raw.strip()
    return blocks


def _is_title_line(text: str, typical: float) -> bool:
    """A short line without clause punctuation: a title, not the wrapped end of a sentence."""
    return _width(text) < 0.5 * typical and not _CLAUSE_PUNCT.search(text)


def _pushed_figure(previous: str, text: str, block: _Block) -> bool:
    """A line cut short because the number after it did not fit: "…与上年相比增加" + "1,234.56 万元，…"."""
    if previous.endswith(_TERMINAL) or not _FIGURE_START.match(text):
        return False
    current = block.text
    return heading_level(current) is None or bool(_PROSE_PUNCT.search(current))


def _complete_heading(block: _Block) -> bool:
    """A heading line that ends the way headings end ("…情况说明"), so the next line is not its wrap."""
    text = block.text
    return (
        heading_level(text) is not None
        and not _PROSE_PUNCT.search(text)
        and bool(_HEADING_SUFFIX.search(text))
    )


def _heading_tail(block: _Block, text: str, settings: NarrativeSettings) -> bool:
    """True if ``text`` is the short end of a heading wrapped over two lines."""
    if (
        len(text) > settings.heading_tail_max_chars
        or _PROSE_PUNCT.search(text)
        or FIGURE.search(text)
    ):
        return False
    current = block.text
    return (
        heading_level(current) is not None
        and not _PROSE_PUNCT.search(current)
        and len(current) <= 60
    )


def _as_heading(text: str, has_parts: bool, settings: NarrativeSettings) -> int | None:
    """The heading level of a block, or None when the block is a paragraph."""
    level = heading_level(text)
    if level is None:
        # an unmarked title ("2024年部门预算编制说明") heads a section when nothing else does
        unmarked_title = (
            not has_parts
            and len(text) <= settings.heading_max_chars
            and not _CLAUSE_PUNCT.search(text)
            and bool(_HEADING_SUFFIX.search(text))
            and not FIGURE.search(text)
        )
        return 0 if unmarked_title else None
    body = HEADING_LEVELS[level][1].sub("", text, count=1)
    if (
        len(body) > settings.heading_max_chars
        or _HEADING_BREAKERS.search(body)
        or FIGURE.search(body)
    ):
        return None
    if body.endswith("。") and not _SENTENCE_HEADING.search(body):
        return None  # a one-sentence list item ("（六）完成…交办的其他任务。")
    return level


# ---- pass 3: sections, chunks, facts, profile -----------------------------------------


def _sections(blocks: list[_Block], settings: NarrativeSettings) -> list[Section]:
    has_parts = any(heading_level(b.text) == 0 for b in blocks)
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    section: Section | None = None
    for block in blocks:
        text = block.text
        level = _as_heading(text, has_parts, settings)
        if level is not None:
            stack = [(lv, h) for lv, h in stack if lv < level] + [(level, text.rstrip("。"))]
            section = Section([h for _, h in stack], block.page)
            sections.append(section)
            continue
        if len(text) < settings.debris_max_chars and not _CLAUSE_PUNCT.search(text):
            continue  # table-header debris, chart labels, captions
        if section is None:
            section = Section([], block.page)
            sections.append(section)
        section.paragraphs.append(
            Paragraph(text, block.page, [b for b in block.breaks if b[0] > 0])
        )
    return _fold_list_items(sections)


def _fold_list_items(sections: list[Section]) -> list[Section]:
    """Numbered items without text of their own ("1、办公室", "2、组织人事处") are a list in their parent."""
    kept: list[Section] = []
    by_path: dict[tuple[str, ...], Section] = {}
    for section in sections:
        path = tuple(section.path)
        level = heading_level(path[-1]) if path else None
        parent = by_path.get(path[:-1])
        if not section.paragraphs and level is not None and level >= 3 and parent is not None:
            parent.paragraphs.append(Paragraph(path[-1], section.page))
            continue
        by_path[path] = section
        kept.append(section)
    return kept


def _chunk_texts(paragraph: Paragraph, limit: int) -> Iterator[tuple[int, str]]:
    """(offset, text) pieces of a paragraph of at most ``limit`` characters, cut at sentence ends."""
    text = paragraph.text
    if len(text) <= limit:
        yield 0, text
        return
    pieces: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        pieces.extend(_split_long(text, start, end, limit))
    start, end = pieces[0]
    for s, e in pieces[1:]:
        if e - start <= limit:
            end = e
        else:
            yield start, text[start:end]
            start, end = s, e
    yield start, text[start:end]


_SOFT_CUT = re.compile(r"[；;，,]")


def _split_long(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """A sentence cut at "；" or "，" into pieces of at most ``limit`` characters (hard cut if need be)."""
    while end - start > limit:
        cut = None
        for match in _SOFT_CUT.finditer(text, start, start + limit):
            cut = match.end()
        cut = cut or start + limit
        yield start, cut
        start = cut
    if end > start:
        yield start, end


def _chunks(sections: list[Section], settings: NarrativeSettings, source_file: str) -> list[Chunk]:
    """Paragraph-sized chunks: short paragraphs of one section merged, long ones cut at sentence ends."""
    chunks: list[Chunk] = []
    per_page: Counter[int] = Counter()

    def emit(path: list[str], page: int, text: str) -> None:
        per_page[page] += 1
        chunks.append(Chunk(f"{page}-{per_page[page]}", list(path), page, text, source_file))

    limit = settings.chunk_max_chars
    for section in sections:
        buffer: list[str] = []
        buffer_page = section.page
        size = 0
        for paragraph in section.paragraphs:
            for offset, text in _chunk_texts(paragraph, limit):
                if buffer and size + len(text) > limit:
                    emit(section.path, buffer_page, "\n".join(buffer))
                    buffer, size = [], 0
                if not buffer:
                    buffer_page = paragraph.page_at(offset)
                buffer.append(text)
                size += len(text) + 1
        if buffer:
            emit(section.path, buffer_page, "\n".join(buffer))
    return chunks


_CLASS_HEADING = re.compile(r"[^、）)\s]*?（类）")
_HEADING_FILLER = re.compile(r"(?:的)?(?:表)?(?:情况说明|具体情况|总体情况|情况|说明)$")


def _facts(sections: list[Section], source_file: str) -> list[Fact]:
    facts: list[Fact] = []
    for section in sections:
        class_heading = ""
        for heading in reversed(section.path):
            match = _CLASS_HEADING.search(_strip_marker(heading))
            if match:
                class_heading = match.group(0)
                break
        last = _strip_marker(section.path[-1]) if section.path else ""
        if "：" in last:
            last = last.split("：", 1)[1]
        section_subject = _HEADING_FILLER.sub("", clean_subject(last))
        name = " > ".join(section.path)
        for paragraph in section.paragraphs:
            context = FactContext(
                section=name,
                class_heading=class_heading,
                section_subject=section_subject,
                source_file=source_file,
            )
            facts.extend(paragraph_facts(paragraph.text, paragraph.page_at, context))
    return facts


def _strip_marker(heading: str) -> str:
    level = heading_level(heading)
    return (
        HEADING_LEVELS[level][1].sub("", heading, count=1).strip() if level is not None else heading
    )


def _profile(sections: list[Section]) -> dict[str, str]:
    """概况 facts as printed: the first match of each profile pattern in document order."""
    profile: dict[str, str] = {}
    for section in sections:
        for paragraph in section.paragraphs:
            for key, patterns in _PROFILE.items():
                if key in profile:
                    continue
                for pattern in patterns:
                    match = pattern.search(paragraph.text)
                    if match:
                        profile[key] = match.group("v").strip()
                        break
            if len(profile) == len(_PROFILE):
                return profile
    return profile


def read_narrative(
    pages: list[PageText], source_file: str = "", settings: NarrativeSettings = DEFAULT_SETTINGS
) -> Narrative:
    """Sections, chunks, facts and the 概况 profile of a document's narrative pages."""
    cleaned = clean_pages(pages, settings)
    sections = _sections(_blocks(cleaned, settings), settings)
    return Narrative(
        sections=sections,
        chunks=_chunks(sections, settings, source_file),
        facts=_facts(sections, source_file),
        profile=_profile(sections),
    )
