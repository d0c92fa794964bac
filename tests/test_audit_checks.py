"""The reviewer's checks (issue 14): each problem planted in a copy of a shared document is found, with its
check id, severity, page and the text or cells it read; the unmodified documents raise none of them.

Planted in the parsed 决算 PDF (上海市普陀区财政局2024年度部门决算) or in the seed's text dump (re-read).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FINAL_2024, SHARED, WANLI_2023, corpus_file

from budgetqa.audit import AuditReport, audit_document, render_html
from budgetqa.ingest import pipeline
from budgetqa.ingest.front import front_pages
from budgetqa.models import Cell, Document, FrontPage, Table
from budgetqa.settings import Settings

SEED = SHARED / "seeds" / "000_648cb979c5ae0ed7.txt"
NEW = ("W-", "Y-", "D-", "K-", "S-", "T-表与说明", "T-车辆", "N-万元元", "C-说明所述表", "C-目录所列表", "C-空白页")
FRONT = ("Y-封面", "D-封面", "C-目录所列表")
"""The checks that read the cover and the contents (ingest/front.py)."""


@pytest.fixture(scope="module")
def final(read_cache) -> Document:
    return pipeline.read_document(corpus_file(FINAL_2024), Settings())


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed not available at {SEED}")
    return SEED.read_text(encoding="utf-8")


def _new(report: AuditReport, severity: str | None = None) -> list:
    return [f for f in report.findings if f.check.startswith(NEW) and (severity is None or f.severity == severity)]


def _text(old: str, new: str) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        hits = [c for c in doc.chunks if old in c.text]
        assert hits, old
        hits[0].text = hits[0].text.replace(old, new, 1)
    return plant


def _heading(old: str, new: str) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        hits = [c for c in doc.chunks if old in c.section_path]
        assert hits, old
        for chunk in hits:
            chunk.section_path = [new if h == old else h for h in chunk.section_path]
    return plant


def _fact(subject: str, **fields) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        fact = next(f for f in doc.facts if f.subject == subject and f.amount is not None)
        for name, value in fields.items():
            setattr(fact, name, value)
    return plant


def _stated(old: str, new: str, subject: str, amount: Decimal) -> Callable[[Document], None]:
    """One figure of a sentence changed: the sentence of every fact read from it, and the fact's amount."""
    def plant(doc: Document) -> None:
        for fact in doc.facts:
            if old in fact.sentence:
                fact.sentence = fact.sentence.replace(old, new, 1)
                if fact.subject == subject:
                    fact.amount = amount
    return plant


def _row(kind: str, code: str, **fields) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        table = next(t for t in doc.tables if t.kind == kind)
        cells = [c for c in table.cells if c.row_code == code]
        assert cells, code
        for cell in cells:
            for name, value in fields.items():
                setattr(cell, name, value)
    return plant


def _title(kind: str, title: str) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        next(t for t in doc.tables if t.kind == kind).title = title
    return plant


def _drop(kind: str) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        doc.tables = [t for t in doc.tables if t.kind != kind]
    return plant


def _front(role: str, old: str, new: str) -> Callable[[Document], None]:
    """A line of the cover or the contents changed (``old`` "" adds ``new`` as a line of its own)."""
    def plant(doc: Document) -> None:
        page = next(p for p in doc.front if p.role == role and (not old or any(old in line for line in p.lines)))
        if not old:
            page.lines.append(new)
            return
        i = next(i for i, line in enumerate(page.lines) if old in line)
        page.lines[i] = page.lines[i].replace(old, new, 1)
    return plant


def _blank(page: int, *lines: str) -> Callable[[Document], None]:
    """The page left blank (nothing printed but ``lines``, e.g. its page number)."""
    def plant(doc: Document) -> None:
        doc.front.append(FrontPage("blank", page, list(lines), doc.files[0].file_name))
    return plant


def _numbered_contents(shift: int) -> Callable[[Document], None]:
    """Print a page number after every contents entry that names a table: its first PDF page − ``shift``."""
    def plant(doc: Document) -> None:
        for page in (p for p in doc.front if p.role == "contents"):
            for i, line in enumerate(page.lines):
                named = [t for t in doc.tables if line.replace(" ", "").endswith(t.title.replace(" ", ""))]
                table = max(named, key=lambda t: len(t.title), default=None)
                if table is not None:
                    page.lines[i] = f"{line} …………………… {table.pages[0] - shift}"
    return plant


def _all(*mutations: Callable[[Document], None]) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        for mutate in mutations:
            mutate(doc)
    return plant


# (id, mutation, check, severity, page, words the title holds)
FINAL_MUTATIONS = [
    ("more-than-budget", _text("决算数小于预算数的主要原因：因个别项目", "决算数大于预算数的主要原因：因个别项目"),
     "W-比较", "error", 22, "449.52 小于 450.52"),
    ("no-reason", _text("决算数小于预算数的主要原因：因个别项目评审费未能实施或未来得及支付完毕，于明年重新申请。", "决算数小于预算数。"),
     "W-原因", "note", 22, "未说明原因"),
    ("rate-against-amount", _fact("机关运行经费支出", change_pct=Decimal("-1.40")), "W-增减", "error", 24, "方向相反"),
    ("heading-year", _heading("十、预算绩效管理情况", "十、2023年度预算绩效管理情况"), "Y-年度", "error", 23, "2023 年"),
    ("compared-year", _text("与2023年度相比，一般公共预算财政拨款支出减少", "与2024年度相比，一般公共预算财政拨款支出减少"),
     "Y-年度", "error", 21, "比较的是 2024 年"),
    ("as-of-year", _text("截至2024年12月31日", "截至2023年12月31日"), "Y-截至日期", "error", 24, "应为 2024 年"),
    ("table-title-year", _title("支出表", "2023年度支出决算表"), "Y-年度", "error", 10, "写 2023 年"),
    ("other-department", _text("上海市普陀区财政局2024年度政府采购金额", "上海市普陀区审计局2024年度政府采购金额"),
     "D-单位称谓", "error", 24, "上海市普陀区审计局"),
    ("placeholder", _text("上海市普陀区财政局2024年度无政府性基金", "XX局2024年度无政府性基金"), "D-占位符", "error", 23, "XX"),
    ("yuan-as-wan", _fact("机关运行经费支出", amount=Decimal("1846500")), "N-万元元", "error", 24, "元/万元"),
    ("code-name", _row("基本支出表", "30202", row_name="咨询费"), "K-科目名称", "error", 16, "30202"),
    ("code-parent", _row("支出表", "2010601", row_code="2010801"), "K-科目层级", "error", 10, "2010801"),
    ("repeated", _text("主要用于：局财政业务指导", "主要用于：局财政业务的的指导"), "S-重复", "note", 22, "的的"),
    ("described-table-absent", _all(_heading("七、财政拨款“三公”经费支出决算情况说明", "七、财政拨款“三公”经费支出决算表情况说明"),
                                    _drop("三公经费表")), "C-说明所述表", "warning", 23, "未找到该表"),
    ("vehicles", _stated("其他用车0辆", "其他用车2辆", "其他用车", Decimal(2)), "T-车辆", "error", 24, "相加 2辆"),
    ("cover-year", _front("cover", "2024", "2023"), "Y-封面", "error", 1, "封面写 2023 年"),
    ("cover-date", _front("cover", "", "2024年6月"), "Y-封面", "error", 1, "封面日期为 2024 年"),
    ("cover-name", _front("cover", "上海市普陀区财政局", "上海市普陀区审计局"), "D-封面", "warning", 1, "没有写本部门"),
    ("cover-placeholder", _front("cover", "上海市普陀区财政局", "上海市 XX 局"), "D-占位符", "error", 1, "封面留有占位符"),
    ("contents-year", _front("contents", "七、财政拨款", "七、2023年度财政拨款"), "Y-年度", "error", 2, "2023 年"),
    ("contents-placeholder", _front("contents", "第一部分 上海市普陀区财政局概况", "第一部分 上海市 XX 局概况"),
     "D-占位符", "error", 2, "目录留有占位符"),
    ("contents-table-absent", _drop("三公经费表"), "C-目录所列表", "warning", 2, "未找到该表"),
    ("blank-in-place", _all(_drop("一般公共预算支出表"), _blank(15)), "C-空白页", "warning", 15, "第14、15页是空白页"),
    ("blank-at-printed-page", _all(_numbered_contents(2), _drop("一般公共预算支出表"), _blank(15)),
     "C-空白页", "error", 15, "在第13页，该页（PDF 第15页）是空白页"),
    ("blank-prints-its-number", _all(_drop("一般公共预算支出表"), _blank(15, "- 15 -"), _front("contents", "五、一般公共预算财政拨款支出决算表", "五、一般公共预算财政拨款支出决算表 …… 15")),
     "C-空白页", "error", 15, "在第15页"),
    ("zero-budget-rate", _fact("“三公”经费财政拨款支出", budget=Decimal("0.00")), "S-预算为0的完成率", "note", 23, "预算为 0"),
]


@pytest.mark.corpus
@pytest.mark.parametrize(("mutate", "check", "severity", "page", "words"), [m[1:] for m in FINAL_MUTATIONS],
                         ids=[m[0] for m in FINAL_MUTATIONS])
def test_planted_in_final_is_found(final, mutate, check, severity, page, words):
    doc = copy.deepcopy(final)
    mutate(doc)
    found = [f for f in _new(audit_document(doc)) if f.check == check and f.severity == severity]
    assert found, [f.title for f in _new(audit_document(doc))]
    finding = next((f for f in found if words in f.title), None)
    assert finding is not None, [f.title for f in found]
    assert page in finding.pages
    assert finding.explanation and (finding.refs or finding.left is not None)


def _read_text(text: str, tmp_path: Path) -> Document:
    path = tmp_path / "disclosure.txt"
    path.write_text(text, encoding="utf-8")
    return pipeline.read_document(path, Settings())


SEED_MUTATIONS = [
    # "XX局" left in one table header (编制部门：)
    ("header-placeholder", "编制部门：昌吉回族自治州机关事务管理局", "编制部门：XX局", "D-占位符", "表头"),
    ("other-department", "昌吉回族自治州机关事务管理局无下属预算单位", "昌吉回族自治州审计局无下属预算单位", "D-单位称谓",
     "昌吉回族自治州审计局"),
    ("rate-word", "比上年预算增加 42.74 万元，增长 10.68%", "比上年预算增加 42.74 万元，下降 10.68%", "W-增减", "方向相反"),
]


@pytest.mark.parametrize(("old", "new", "check", "words"), [m[1:] for m in SEED_MUTATIONS], ids=[m[0] for m in SEED_MUTATIONS])
def test_planted_in_text_dump_is_found(seed_text, tmp_path, old, new, check, words):
    assert old in seed_text
    doc = _read_text(seed_text.replace(old, new, 1), tmp_path)
    errors = _new(audit_document(doc), "error")
    assert any(f.check == check and words in f.title for f in errors), [f.title for f in errors]


def test_blank_three_public_table_with_narrative_budget(seed_text, tmp_path):
    doc = _read_text(seed_text, tmp_path)
    table = next(t for t in doc.tables if t.kind == "三公经费表")
    for cell in table.cells:
        cell.state, cell.value, cell.raw = "blank", None, ""
    found = [f for f in audit_document(doc).findings if f.check == "T-表与说明"]
    assert len(found) == 1 and found[0].severity == "error" and "为空" in found[0].title
    assert found[0].pages == [12, 20] and found[0].refs[0].table_id == table.table_id


def test_zero_base_growth_is_a_warning(seed_text, tmp_path):
    report = audit_document(_read_text(seed_text, tmp_path))
    zero = [f for f in report.findings if "上年数为 0" in f.title]
    assert [f.severity for f in zero] == ["warning"] and "增长100%" in zero[0].explanation


def test_unmodified_documents_raise_none(final, seed_text, tmp_path):
    always = ("W-增减", "Y-年度", "D-单位称谓", "K-科目名称", "K-科目层级", "T-表与说明")
    for doc, checks in ((final, (*always, *FRONT, "W-比较", "Y-截至日期", "T-车辆")), (_read_text(seed_text, tmp_path), always)):
        report = audit_document(doc)
        assert _new(report, "error") == [] and _new(report, "warning") == []
        ran = {c.id: c for c in report.checks}
        for check in checks:
            assert ran[check].checked > 0 and ran[check].passed == ran[check].checked, (doc.title, check)
    seed_notes = [f.title for f in _new(audit_document(_read_text(seed_text, tmp_path)), "note")]
    assert seed_notes == ["第18页“机构机构”重复", "第23页“机构机构”重复"]  # "公共机构机构节能" printed twice


@pytest.mark.corpus
def test_cover_and_contents_checked_on_every_shared_pdf(ingested):
    """Read back from the store: every shared PDF with a cover or contents has them checked, and passes."""
    checked: dict[str, int] = {}
    for name in ingested.results:
        doc = ingested.document(name)
        report = audit_document(doc)
        assert [f.title for f in report.findings if f.check in (*FRONT, "C-空白页")] == [], name
        ran = {c.id: c.checked for c in report.checks}
        for check in FRONT:
            checked[check] = checked.get(check, 0) + ran[check]
        if any(p.role == "cover" for p in doc.front):
            assert ran["Y-封面"] and ran["D-封面"], name
        assert all(p.source_file in {f.file_name for f in doc.files} for p in doc.front), name
        assert not any("目录" in c.text.replace(" ", "")[:4] for c in doc.chunks), name
    assert checked["Y-封面"] >= 10 and checked["D-封面"] >= 9 and checked["C-目录所列表"] >= 70, checked


def test_blank_pages_are_kept_at_ingest():
    """A page with nothing but its number, and no table, is kept as blank (with its number); a table page
    with no text outside the table is not."""
    pages = [(1, ["某某局2024年部门预算"]), (2, ["一、收支总表", "二、收入表"]), (3, ["- 3 -"]), (4, []), (5, ["说明。"])]
    front = front_pages(pages, table_pages={4}, source_file="f.pdf")
    assert [(p.role, p.page, p.lines) for p in front if p.role == "blank"] == [("blank", 3, ["- 3 -"])]


@pytest.mark.corpus
def test_a_blank_page_with_no_missing_table_is_not_reported(final):
    """The 决算's page 14 is blank (its only marks are a table frame's rules) and every listed table is there."""
    assert [(p.role, p.page) for p in final.front if p.role == "blank"] == [("blank", 14)]
    report = audit_document(final)
    assert [f for f in report.findings if f.check == "C-空白页"] == []


def _asset_table(rows: list[tuple[str, str, str]], page: int = 30) -> Table:
    """A 国有资产占用情况表 as some disclosures print it: (row name, 数量/面积, 金额) per row."""
    cells = []
    for i, (name, count, amount) in enumerate(rows):
        for col, (path, raw) in enumerate(((("数量/面积",), count), (("金额（万元）",), amount))):
            if raw:
                cells.append(Cell("", i, None, name, None, None, col, path, "value", Decimal(raw.replace(",", "")),
                                  "万元", page, raw))
    return Table("t-assets", "国有资产占用情况表", "国有资产表", None, "万元", [page],
                 columns={"": [("数量/面积",), ("金额（万元）",)]}, cells=cells)


ASSETS = [("流动资产", "", "448.82"), ("固定资产", "", "3,149.52"), ("房屋", "14,609.83", ""), ("车辆", "7", ""),
          ("专用设备", "818", "")]
"""What 上海市普陀区人民政府万里街道办事处2023年部门预算 p29 says of its 国有资产, as a table."""


@pytest.mark.corpus
@pytest.mark.parametrize(("row", "printed", "check", "words"), [
    ("固定资产", ("固定资产", "", "3,194.52"), "N-金额", "3,194.52"),
    ("车辆", ("车辆", "8", ""), "T-资产数量", "“车辆” 7辆"),
    ("房屋", ("房屋", "14,690.83", ""), "T-资产数量", "14,690.83"),
])
def test_assets_table_against_narrative(read_cache, row, printed, check, words):
    """The narrative's 国有资产 values, counts and areas are checked against an asset table when one is printed."""
    doc = pipeline.read_document(corpus_file(WANLI_2023), Settings())
    doc.tables.append(_asset_table(ASSETS))
    clean = audit_document(doc)
    assert [f.title for f in clean.findings if "资产" in f.title or f.check == "T-资产数量"] == []
    assert {c.id: c.passed for c in clean.checks}["T-资产数量"] == 3
    doc.tables[-1] = _asset_table([printed if name == row else (name, n, v) for name, n, v in ASSETS])
    before = {f.title for f in clean.findings}
    found = [f for f in audit_document(doc).findings if f.check == check and f.severity == "error" and f.title not in before]
    assert len(found) == 1 and words in found[0].title and 30 in found[0].pages, [f.title for f in found]


def test_text_findings_render(final):
    doc = copy.deepcopy(final)
    _text("截至2024年12月31日", "截至2023年12月31日")(doc)
    page = render_html(audit_document(doc))
    assert "Y-截至日期" in page and "截至2023年12月31日" in page and "原文" in page
