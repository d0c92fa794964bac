"""Years: the cover, the contents, headings, table titles, "YYYY年度", "截至…年…月…日" and the year compared
with must fit the document's year."""

from __future__ import annotations

import re
from functools import lru_cache

from budgetqa.audit.front import contents, covers
from budgetqa.audit.index import table_name
from budgetqa.audit.names import vocab
from budgetqa.audit.registry import Audit, CheckDef
from budgetqa.audit.report import Ref
from budgetqa.audit.text import headings, sentences

YEAR = CheckDef("Y-年度", "年度", "error",
                "标题、表名、“YYYY年度”“YYYY年部门预算/决算”写的是本公开的年度；“比YYYY年”比较的是上一年。")
AS_OF = CheckDef("Y-截至日期", "年度", "error",
                 "“截至YYYY年…”：决算为本年年末（本年），预算为编制时已知的上年数（上年）。")
COVER = CheckDef("Y-封面", "年度", "error",
                 "封面写的是本公开的年度；封面的日期是公开的日期：预算在本年或上年，决算在下一年（或再下一年）。")
CHECKS = (YEAR, AS_OF, COVER)
_COVER_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)(年\d{1,2}月)?")


@lru_cache
def _patterns() -> dict[str, list[re.Pattern[str]]]:
    years = vocab()["years"]
    return {key: [re.compile(p) for p in years[key]] for key in ("own", "compared", "as_of")}


def _years(patterns: list[re.Pattern[str]], text: str) -> list[tuple[int, str]]:
    """(year, matched text) for every match that is not part of a year range."""
    mark = vocab()["years"]["range_mark"]
    before, after = re.compile(rf"\d年?{mark}$"), re.compile(rf"^年?{mark}\d")
    found: dict[int, tuple[int, str]] = {}
    for pattern in patterns:
        for match in pattern.finditer(text):
            start = match.start(1)
            if not before.search(text[max(0, start - 6):start]) and not after.match(text[match.end(1):]):
                found.setdefault(start, (int(match.group(1)), match.group()))
    return [found[k] for k in sorted(found)]


def run(audit: Audit) -> None:
    for check in CHECKS:
        audit.define(check)
    year = audit.doc.year
    if year is None:
        return
    own, compared, as_of = (_patterns()[k] for k in ("own", "compared", "as_of"))
    _cover(audit, year)
    for entry in contents(audit.doc):
        _titled(audit, f"目录“{entry.text}”", entry.text, entry.page, own + [re.compile(r"(20\d\d)年")], year)
    for heading, page in headings(audit.doc).items():
        _titled(audit, f"标题“{heading}”", heading, page, own + [re.compile(r"(20\d\d)年")], year)
    for table in audit.doc.tables:
        page = table.pages[0] if table.pages else 0
        _titled(audit, f"表名“{table_name(table)}”", table.title, page, [re.compile(r"(20\d\d)年")], year)
    comparing = re.compile(vocab()["years"]["comparison_words"])
    for sentence in sentences(audit.doc):
        text = sentence.text
        compared_years = {found for found, _ in _years(compared, text)}
        for found, words in _years(compared, text):
            _judge(audit, YEAR.id, found == year - 1, sentence.page, text,
                   f"第{sentence.page}页“{words}”比较的是 {found} 年，本公开为 {year} 年",
                   f"与上年比较应写 {year - 1} 年。")
        for found, words in _years(own, text):
            if found in compared_years or (found == year - 1 and comparing.search(text)):
                continue
            _judge(audit, YEAR.id, found == year, sentence.page, text,
                   f"第{sentence.page}页写“{words}”，本公开为 {year} 年", f"本公开的年度是 {year} 年。")
        for found, words in _years(as_of, text):
            expected = year if audit.doc.kind == "决算" else year - 1
            _judge(audit, AS_OF.id, found == expected, sentence.page, text,
                   f"第{sentence.page}页“{words}”，应为 {expected} 年",
                   f"{year}年{audit.doc.kind or ''}公开中的资产等情况截至 {expected} 年"
                   f"（{'决算为本年年末' if audit.doc.kind == '决算' else '预算编制时为上年'}）。")


def _cover(audit: Audit, year: int) -> None:
    """Every year the cover prints is the document's; a date (YYYY年M月) is when it was published."""
    low, high = vocab()["years"]["published"].get(audit.doc.kind or "", [-1, 2])
    for cover in covers(audit.doc):
        for match in _COVER_YEAR.finditer("\n".join(cover.lines)):
            found = int(match.group(1))
            if match.group(2):
                _judge(audit, COVER.id, year + low <= found <= year + high, cover.page, cover.text,
                       f"封面日期为 {found} 年，本公开为 {year} 年{audit.doc.kind or ''}",
                       f"{year}年{audit.doc.kind or ''}公开应在 {year + low}—{year + high} 年发布，封面日期的年份可能写错。",
                       table="封面")
            else:
                _judge(audit, COVER.id, found == year, cover.page, cover.text,
                       f"封面写 {found} 年，本公开为 {year} 年", f"封面的年度应为本公开的年度 {year} 年。", table="封面")


def _titled(audit: Audit, where: str, text: str, page: int, patterns: list[re.Pattern[str]], year: int) -> None:
    for found, _ in _years(patterns, text):
        ok = found == year or (found == year - 1 and re.search(vocab()["years"]["comparison_words"], text))
        _judge(audit, YEAR.id, bool(ok), page, text, f"{where}写 {found} 年，本公开为 {year} 年",
               f"{where}中的年度应为本公开的年度 {year} 年。", table=where)


def _judge(audit: Audit, check_id: str, ok: bool, page: int, text: str, title: str, explanation: str,
           table: str | None = None) -> None:
    if ok:
        audit.passed(check_id)
        return
    audit.note(check_id, "error", title, explanation, [page] if page else [],
               [Ref(page=page or None, table=table, sentence=text.strip())])
