"""Read a 绩效目标表 / 项目绩效目标表 as the form it is, not as a grid of amounts.

The form is label → value pairs (项目名称, 主管部门, 负责人, 联系电话 …), amounts
(年度资金总额, 其中：财政拨款 …), goals (年度总体目标 …) and an indicator grid
(一级 / 二级 / 三级指标, 指标值). Labels come from ``vocab/performance.toml``; an
indicator's level 1 and 2 carry down the rows they span (merged cells print once).
"""

from __future__ import annotations

import re

from budgetqa.ingest.grid import Grid, clean_text
from budgetqa.models import Chunk, Indicator, Performance
from budgetqa.numbers import normalise_unit, parse_cell
from budgetqa.vocab import load

Row = tuple[list[str], int]
"""A row's cell texts in the grid's column frame, and its page."""

PERFORMANCE_CHUNK = "perf-"
"""Chunk ids of performance-form passages start with this."""
_LABEL_NOISE = re.compile(r"[\s:：]|及代码|其中")
_UNIT_IN_LABEL = re.compile(r"[（(]\s*(万元|元|千元|亿元)\s*[）)]")


def grid_rows(grid: Grid) -> list[Row]:
    """Every row of a grid as printed, header rows first."""
    page = grid.pages[0] if grid.pages else 0
    return [(row, page) for row in grid.head_rows] + [(list(r.texts), r.page) for r in grid.rows]


def _label(text: str) -> str:
    return _LABEL_NOISE.sub("", _UNIT_IN_LABEL.sub("", text))


def _field_of(text: str) -> str | None:
    label = _label(text)
    for name, labels in load("performance")["fields"].items():
        if label in labels:
            return name
    return None


def _columns(row: list[str], names: list[str]) -> int | None:
    """The column whose cell is one of ``names`` (compared without spaces)."""
    for col, text in enumerate(row):
        if any(name in _label(text) for name in names):
            return col
    return None


def read_performance(rows: list[Row], unit: str) -> Performance | None:
    """The form a performance table holds, or None when it holds no project and no indicator."""
    vocab = load("performance")
    form = Performance(project="", unit=unit, pages=sorted({page for _, page in rows}))
    heads = vocab["indicators"]
    index = next((i for i, (row, _) in enumerate(rows) if _columns(row, heads["name"]) is not None
                  and _columns(row, heads["level1"]) is not None), len(rows))
    pending_goal: list[tuple[int, str]] = []
    for row, _ in rows[:index]:
        filled = [(col, clean_text(text)) for col, text in enumerate(row) if text and text.strip()]
        pending_goal = _read_goals(form, filled, pending_goal, vocab["goals"]["heads"])
        _read_pairs(form, filled, vocab["amounts"]["words"])
    if index < len(rows):
        form.indicators = _read_indicators(rows[index][0], rows[index + 1:], heads)
    form.project = form.fields.pop("项目名称", "")
    if not form.project and not form.indicators:
        return None
    return form


def _read_pairs(form: Performance, filled: list[tuple[int, str]], amount_words: list[str]) -> None:
    """Label → value pairs along one row: known fields, and amounts named by their label."""
    for (_, text), (_, value) in zip(filled, filled[1:], strict=False):
        name = _field_of(text)
        if name and name not in form.fields and _field_of(value) is None:
            form.fields[name] = value
            continue
        unit = _UNIT_IN_LABEL.search(text)
        if unit:
            form.unit = normalise_unit(unit.group(1))
        state, amount = parse_cell(value)
        label = _label(text)
        if state == "value" and amount is not None and any(w in label for w in amount_words):
            form.amounts.setdefault(label, amount)


def _read_goals(
    form: Performance, filled: list[tuple[int, str]], pending: list[tuple[int, str]], heads: list[str]
) -> list[tuple[int, str]]:
    """Goals: long text beside a goal heading, or below headings printed as a row of their own."""
    def is_head(text: str) -> bool:
        return any(_label(text).endswith(h) for h in heads)

    goal_heads = [(col, text) for col, text in filled if is_head(text)]
    texts = [(col, text) for col, text in filled if len(text) > 12 and not is_head(text)
             and parse_cell(text)[0] != "value"]
    if goal_heads and texts:
        form.goals += [(_label(goal_heads[-1][1]), text) for _, text in texts]
        return []
    if goal_heads:
        return goal_heads
    if pending and texts:
        for col, text in texts:
            head = min(pending, key=lambda h: abs(h[0] - col))[1]
            form.goals.append((_label(head), text))
    return []


def _read_indicators(header: list[str], rows: list[Row], heads: dict[str, list[str]]) -> list[Indicator]:
    cols = {key: _columns(header, names) for key, names in heads.items()}
    if cols["name"] is None:
        return []
    level1 = level2 = ""
    indicators: list[Indicator] = []
    for row, page in rows:
        def at(key: str, row: list[str] = row) -> str:
            col = cols[key]
            return clean_text(row[col]) if col is not None and col < len(row) and row[col] else ""

        if at("level1"):
            level1, level2 = at("level1"), ""
        level2 = at("level2") or level2
        name = at("name")
        if not name or name in heads["name"]:
            continue
        indicators.append(Indicator(level1, level2, name, at("target"), page, at("weight")))
    return indicators


def performance_text(form: Performance) -> str:
    """The form as sentences, for text search: project and people, amounts, goals, one sentence per indicator."""
    parts = [f"项目名称：{form.project}。"] if form.project else []
    parts += [f"{name}：{value}。" for name, value in form.fields.items()]
    parts += [f"{label}：{amount}{form.unit}。" for label, amount in form.amounts.items()]
    parts += [f"{head}：{text}" + ("" if text.endswith("。") else "。") for head, text in form.goals]
    parts += [
        f"{'/'.join(p for p in (i.level1, i.level2) if p)} {i.name}：{i.target or '未填'}。" for i in form.indicators
    ]
    return "\n".join(parts)


def performance_chunks(forms: list[tuple[str, Performance]], source_file: str = "") -> list[Chunk]:
    """One chunk per performance table (``(title, form)``), under the heading 绩效目标表 / project."""
    return [
        Chunk(f"{PERFORMANCE_CHUNK}{i:03d}", ["绩效目标表", form.project or title], form.pages[0] if form.pages else 0,
              performance_text(form), source_file)
        for i, (title, form) in enumerate(forms, start=1)
    ]
