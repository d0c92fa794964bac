"""The text layer is repaired before it is read: look-alike radicals folded, overprinted characters dropped."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from layout_pdf import make_pdf  # noqa: E402

from budgetqa.ingest.glyphs import fold_glyphs  # noqa: E402
from budgetqa.ingest.pipeline import read_document  # noqa: E402
from budgetqa.settings import Settings  # noqa: E402


def test_radicals_fold_to_the_ideographs_they_stand_for() -> None:
    assert fold_glyphs("部⻔⼀般公共预算⽀出，公务⽤⻋") == "部门一般公共预算支出，公务用车"
    plain = "一般公共预算支出（万元）"
    assert fold_glyphs(plain) is plain


def test_a_table_printed_with_radicals_and_a_fake_bold_title_reads_as_plain_text(tmp_path: Path) -> None:
    """Radical supplement forms (⻔ for 门, ⻋ for 车) survive the PDF round trip, and a title drawn
    twice (fake bold) doubles every character of the text layer; both are repaired on reading."""
    title = "临江市审计局2024年部⻔⽀出预算表"
    rows = [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["201", "一般公共服务⽀出", "30.00", "20.00", "10.00"],
        ["20108", "审计事务", "30.00", "20.00", "10.00"],
        ["2010801", "公务⽤⻋运⾏", "30.00", "20.00", "10.00"],
        ["", "合计", "30.00", "20.00", "10.00"],
    ]
    pdf = make_pdf(tmp_path / "radicals.pdf", ["临江市审计局2024年部⻔预算", title, -14.0, title, "单位：万元", rows])
    doc = read_document(pdf, Settings())
    table = next(t for t in doc.tables if t.kind != "其他")
    assert table.title.endswith("2024年部门支出预算表")
    assert "审审" not in table.title
    names = {cell.row_name for cell in table.cells}
    assert {"一般公共服务支出", "公务用车运行"} <= names
    assert doc.department == "临江市审计局"
