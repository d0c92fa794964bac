"""The narrative reader on real documents: paragraphs, sections, chunks, facts, profile.

Real documents come from ``../shared`` (or ``$BUDGETQA_SHARED``): the seed text
dump and three corpus PDFs. Tests that need them skip when they are absent; the
synthetic tests at the end use made-up sentences only.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from budgetqa.ingest.facts import sentence_facts
from budgetqa.ingest.narrative import Narrative, PageText, read_narrative
from budgetqa.models import Fact


def _shared() -> Path:
    here = Path(__file__).resolve().parents[2] / "shared"
    if here.is_dir():
        return here
    return Path(os.environ.get("BUDGETQA_SHARED", here))


SHARED = _shared()
SEED = SHARED / "seeds" / "000_648cb979c5ae0ed7.txt"
CORPUS = SHARED / "corpus"
FINAL_ACCOUNTS = CORPUS / "上海市普陀区财政局2024年度部门决算.pdf"
COURT_2018 = CORPUS / "省法院2018年度部门预算公开.pdf"

D = Decimal


def _need(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path.name} not available under {SHARED}")
    return path


def seed_pages(path: Path) -> list[PageText]:
    """The seed dump as pages: a line starting with a space starts a new page."""
    pages: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(" ") or not pages:
            pages.append([])
        pages[-1].append(line)
    return [PageText(page=i, lines=lines) for i, lines in enumerate(pages, start=1)]


def pdf_pages(path: Path, first: int, last: int) -> list[PageText]:
    """Pages ``first``..``last`` (1-based) as pdfplumber prints them with y_tolerance=5."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [
            PageText(
                page=n, lines=(pdf.pages[n - 1].extract_text(y_tolerance=5) or "").splitlines()
            )
            for n in range(first, last + 1)
        ]


def fact(facts: list[Fact], subject: str, **expected: object) -> Fact:
    """The one fact whose subject contains ``subject`` and whose fields equal ``expected``."""
    found = [
        f
        for f in facts
        if subject in f.subject and all(getattr(f, k) == v for k, v in expected.items())
    ]
    assert found, f"no fact {subject!r} {expected}; subjects: {sorted({f.subject for f in facts})}"
    return found[0]


def printed(value: Decimal) -> re.Pattern[str]:
    """A pattern for a number as it may be printed (with or without thousands separators)."""
    digits = str(abs(value))
    whole, _, decimals = digits.partition(".")
    grouped = f"{int(whole):,}"
    tail = rf"\.{decimals}" if decimals else ""
    return re.compile(rf"(?<![\d.])(?:{whole}|{grouped.replace(',', ',?')}){tail}(?![\d])")


# ---- the seed dump (a 2024 部门预算 as a PDF-to-text tool printed it) --------------------------


@pytest.fixture(scope="module")
def seed() -> Narrative:
    return read_narrative(seed_pages(_need(SEED)), source_file=SEED.name)


def test_seed_expenditure_facts(seed: Narrative) -> None:
    project = fact(seed.facts, "项目支出", amount=D("1712.80"))
    assert (project.share, project.change_amount, project.change_pct) == (
        D("79.46"),
        D("1433.31"),
        D("512.83"),
    )
    assert str(project.amount) == "1712.80"  # exactly as printed, trailing zero kept
    basic = fact(seed.facts, "基本支出", amount=D("442.86"), share=D("20.54"))
    assert (basic.change_amount, basic.change_pct) == (D("42.74"), D("10.68"))
    assert basic.unit == "万元" and basic.kind == "amount" and basic.source_file == SEED.name


def test_seed_revenue_fact_with_signed_change(seed: Narrative) -> None:
    general = fact(seed.facts, "一般公共预算", amount=D("472.86"), share=D("21.94"))
    assert (general.change_amount, general.change_pct) == (D("-148.26"), D("-23.87"))
    carried = fact(seed.facts, "财政拨款结转", amount=D("1662.80"))
    assert carried.share == D("77.13") and carried.change_pct == D("66679.12")


def test_seed_running_costs_and_procurement(seed: Narrative) -> None:
    running = fact(seed.facts, "机关运行经费", amount=D("67.77"))
    assert (running.change_amount, running.change_pct) == (D("5.89"), D("9.52"))
    assert fact(seed.facts, "政府采购", amount=D("79.71"))
    assert fact(seed.facts, "政府采购货物预算", amount=D("27.07"))
    assert fact(seed.facts, "政府采购工程预算", amount=D("0"))


def test_seed_functional_item_keeps_its_full_path(seed: Narrative) -> None:
    item = fact(seed.facts, "行政运行（项）", amount=D("330.56"))
    assert (
        item.subject == "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）"
    )
    assert (item.change_amount, item.change_pct) == (D("30.01"), D("9.99"))
    assert "（三）一般公共预算当年拨款具体使用情况" in item.section


def test_seed_one_sentence_several_subjects(seed: Narrative) -> None:
    staff = fact(seed.facts, "人员经费", amount=D("375.09"))
    office = fact(seed.facts, "公用经费", amount=D("67.77"))
    assert staff.sentence != office.sentence  # two paragraphs in the seed, one fact each
    trips = [f for f in seed.facts if f.kind == "change" and "增长0.00%" in f.sentence]
    assert {"因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费"} <= {
        f.subject for f in trips
    }


def test_seed_counts_and_areas(seed: Narrative) -> None:
    building = fact(seed.facts, "房屋", kind="area")
    assert (building.amount, building.unit) == (D("3708.48"), "平方米")
    assert fact(seed.facts, "房屋价值", amount=D("1929.70")).unit == "万元"
    cars = fact(seed.facts, "车辆", kind="count", amount=D("21"))
    assert cars.unit == "辆"
    serving = fact(seed.facts, "在职", kind="count")
    assert (serving.amount, serving.change_amount) == (D("19"), D("-1"))
    assert fact(seed.facts, "编制数", kind="count").amount == D("21")


def test_seed_profile(seed: Narrative) -> None:
    assert seed.profile["编制数"] == "21"
    assert seed.profile["实有人数"] == "23"
    assert seed.profile["在职"] == "19" and seed.profile["退休"] == "4"
    assert seed.profile["内设机构"] == "6"
    assert seed.profile["内设机构名单"].startswith("办公室、")


def test_seed_sentences_keep_their_numbers(seed: Narrative) -> None:
    """Every fact's sentence is whole: it holds every figure the fact states, ends like a sentence."""
    assert len(seed.facts) > 60
    for f in seed.facts:
        for value in (f.amount, f.change_amount, f.share, f.budget):
            if value is not None and not (value == 0 and f.kind == "change"):
                assert printed(value).search(f.sentence), (f.subject, value, f.sentence)
        if f.change_pct:
            assert printed(f.change_pct).search(f.sentence), (f.subject, f.change_pct, f.sentence)
    explained = fact(seed.facts, "卫生健康支出", amount=D("21.12"), share=None)
    assert explained.sentence.startswith("一般公共预算支出包括：")
    assert explained.sentence.endswith("住房公积金。")  # one sentence over a page break


def test_seed_sections_and_chunks(seed: Narrative) -> None:
    paths = [s.path for s in seed.sections]
    assert any(p[:1] == ["第三部分2024年部门预算情况说明"] and len(p) == 3 for p in paths)
    assert all(len(c.text) <= 300 for c in seed.chunks)
    assert len({c.chunk_id for c in seed.chunks}) == len(seed.chunks)
    text = "\n".join(c.text for c in seed.chunks)
    assert "201 03 01" not in text and "2,042.80" not in text  # table rows are not narrative
    assert "项目支出1,712.80万元，占79.46%" in text  # wrapped lines joined, layout spaces gone
    first = next(c for c in seed.chunks if "项目支出1,712.80万元" in c.text)
    assert first.page == 14 and first.section_path[-1].startswith("三、")


# ---- a 决算: budget vs final, completion rates -------------------------------------------------


@pytest.fixture(scope="module")
def final_accounts() -> Narrative:
    return read_narrative(pdf_pages(_need(FINAL_ACCOUNTS), 21, 24), source_file=FINAL_ACCOUNTS.name)


def test_final_accounts_completion(final_accounts: Narrative) -> None:
    total = fact(
        final_accounts.facts, "一般公共预算财政拨款支出", kind="completion", budget=D("2993.92")
    )
    assert (total.amount, total.completion_pct) == (D("2940.05"), D("98.20"))
    item = fact(final_accounts.facts, "财政事务（款）行政运行（项）", kind="completion")
    assert (item.budget, item.amount, item.page) == (D("1560.05"), D("1511.89"), 22)
    assert item.subject.startswith("一般公共服务支出（类）")


def test_final_accounts_shares_and_changes(final_accounts: Narrative) -> None:
    revenue = fact(final_accounts.facts, "财政拨款收入", amount=D("2940.05"))
    assert revenue.share == D("99.79")
    assert fact(final_accounts.facts, "其他收入", amount=D("6.2")).share == D("0.21")
    running = fact(final_accounts.facts, "机关运行经费", amount=D("184.65"), kind="amount")
    assert (running.change_amount, running.change_pct, running.page) == (D("2.55"), D("1.40"), 24)
    totals = fact(final_accounts.facts, "收入支出总计", amount=D("2995.39"))
    assert (totals.change_amount, totals.change_pct) == (D("-56.95"), D("-1.87"))
    assert "与2023年度相比" in totals.sentence  # the change came in the next sentence
    flat = fact(final_accounts.facts, "财政拨款收入支出总计", amount=D("0.3"))
    assert flat.change_amount == 0  # "…总计持平"


def test_final_accounts_sections(final_accounts: Narrative) -> None:
    paths = [" > ".join(s.path) for s in final_accounts.sections]
    assert any(p.endswith("（三）一般公共预算财政拨款支出决算具体情况") for p in paths)
    assert any(
        "情况说明 > 十一、其他重要事项的情况说明 > （一）机关运行经费支出情况" in p for p in paths
    )


# ---- a provincial 预算 from another template: "与上年相比增加 X 万元，增长 Y%" -----------------


@pytest.fixture(scope="module")
def court() -> Narrative:
    return read_narrative(pdf_pages(_need(COURT_2018), 16, 24), source_file=COURT_2018.name)


def test_court_year_on_year(court: Narrative) -> None:
    security = fact(court.facts, "公共安全（类）支出", amount=D("26200.88"))
    assert (security.change_amount, security.change_pct) == (D("2687.77"), D("11.43"))
    social = fact(court.facts, "社会保障和就业（类）支出", amount=D("2254.76"))
    assert (social.change_amount, social.change_pct) == (D("-92.37"), D("-3.94"))  # "减少 3.94%"
    basic = fact(court.facts, "基本支出预算数", amount=D("18570.82"))
    assert (basic.change_amount, basic.change_pct) == (D("1447.63"), D("8.45"))


def test_court_items_take_their_class_from_the_heading(court: Narrative) -> None:
    item = fact(court.facts, "法院（款）行政运行（项）", amount=D("14857.61"))
    assert item.subject.startswith("公共安全（类）")
    assert (item.change_amount, item.change_pct) == (D("3070.69"), D("26.05"))
    same = fact(court.facts, "机关服务（项）", amount=D("1600"))
    assert (same.change_amount, same.change_pct) == (D("0"), D("0"))  # "与上年一致"


# ---- general patterns on made-up text ---------------------------------------------------------


def test_sentence_patterns() -> None:
    facts = sentence_facts(
        "某某县档案局2025年差旅费12,500元，比2024年度减少300元，下降2.34%。", page=3
    )
    assert len(facts) == 1
    trip = facts[0]
    assert (trip.subject, trip.amount, trip.unit) == ("差旅费", D("12500"), "元")
    assert (trip.change_amount, trip.change_pct, trip.page) == (D("-300"), D("-2.34"), 3)
    flat = sentence_facts("（2）培训费预算支出8万元，与上年数一致。")[0]
    assert (flat.subject, flat.amount, flat.change_amount) == ("培训费预算支出", D("8"), D("0"))
    listed = sentence_facts("其中：会议费1.50万元；印刷费0.80万元，占10.00%。")
    assert [(f.subject, f.amount, f.share) for f in listed] == [
        ("会议费", D("1.50"), None),
        ("印刷费", D("0.80"), D("10.00")),
    ]
    threshold = sentence_facts("单价50万元以上设备3台（套）。")
    assert [(f.subject, f.amount, f.unit) for f in threshold] == [
        ("单价50万元以上设备", D("3"), "台（套）")
    ]
    reason = sentence_facts("电费9万元，主要原因是新增用房面积1,200平方米。")
    assert [f.subject for f in reason] == ["电费"]  # figures explaining a reason are not facts


def test_layout_noise_is_dropped() -> None:
    pages = [
        PageText(1, ["目 录", "一、部门概况 ………… 1", "二、预算说明 ………… 3"]),
        PageText(
            2, ["某某单位部门预算", "一、部门概况", "本单位编制数 8，实有人数 7 人。", "- 2 -"]
        ),
        PageText(
            3,
            [
                "某某单位部门预算",
                "二、预算说明",
                "“ ”",
                "本单位2025年一般公共预算财政拨款支出预算合计为100.00万元，比上",
                "年预算增加",  # cut short: the figure after it did not fit on the line
                "10.00 万元，增长11.11%。",
                "第 3 页",
            ],
        ),
        PageText(4, ["某某单位部门预算", "三、其他事项", "无。"]),
    ]
    narrative = read_narrative(pages)
    paths = [s.path for s in narrative.sections]
    assert paths == [["一、部门概况"], ["二、预算说明"], ["三、其他事项"]]
    texts = [p.text for s in narrative.sections for p in s.paragraphs]
    assert (
        "本单位2025年一般公共预算财政拨款支出预算合计为100.00万元，比上年预算增加10.00万元，增长11.11%。"
        in texts
    )
    assert not any("某某单位部门预算" in t or "页" in t or "……" in t for t in texts)
    assert narrative.profile == {"编制数": "8", "实有人数": "7"}
    total = fact(narrative.facts, "一般公共预算财政拨款支出预算合计")
    assert (total.amount, total.change_amount, total.change_pct) == (
        D("100.00"),
        D("10.00"),
        D("11.11"),
    )
    assert total.page == 3
