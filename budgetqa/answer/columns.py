"""Which value column of a table a question means when it names none, and which one is last year's.

A row's figure is its total column (合计/总计/小计, wherever it is printed); a table of 上年 | 本年 |
增减 columns answers with this year's; a header that is last year's (上年…, "2023年预算数" in a 2024
table) or a change (增减额, 增长率) is never the figure asked for. When several value columns remain
and none totals them, no column is guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from budgetqa.answer.catalog import normalise_name
from budgetqa.models import Table
from budgetqa.vocab import load

_YEAR = re.compile(r"(20\d{2})年")
_PREVIOUS = re.compile(r"^(?:上年度?|上一年|去年)(?:$|(?:年初|全年|调整后?)?(?:预算|决算|执行|实际|同期|数|金额))")
"""上年预算数, 上年执行数, 上年 — not 上年结转 (an income source of this year)."""
_CURRENT = re.compile(r"^(?:本年|今年|本年度|当年)")
_CHANGE = re.compile(r"增减|增长|减少|变动|比上年|增幅|差额|变化")
_PAIR_WORD = re.compile(r"预算|决算|执行数")


@lru_cache
def total_names() -> frozenset[str]:
    """Names of total rows and columns (合计, 总计, 小计 …; vocab/questions.toml)."""
    return frozenset(load("questions")["total_rows"]["names"])


def is_total_header(header: str) -> bool:
    """A header that totals its row: 合计, 总计, 小计, 本年支出合计 …"""
    name = normalise_name(header)
    return name in total_names() or name.endswith(("合计", "总计"))


def table_year(table: Table) -> int | None:
    """The year a table's title states ("2024年部门支出预算表" → 2024)."""
    match = _YEAR.search(table.title or "")
    return int(match.group(1)) if match else None


def _header_years(paths: list[tuple[str, ...]]) -> set[int]:
    return {int(y) for path in paths for part in path for y in _YEAR.findall(part)}


def is_previous_year(path: tuple[str, ...], year: int | None, years: set[int] | None = None) -> bool:
    """A header of last year's figure: 上年预算数, or a year before the table's ("2023年预算数" in 2024)."""
    latest = year if year is not None else max(years or {0}) or None
    for part in path:
        name = normalise_name(part)
        if _PREVIOUS.match(name):
            return True
        stated = [int(y) for y in _YEAR.findall(name)]
        if stated and latest is not None and max(stated) < latest:
            return True
    return False


def is_current_year(path: tuple[str, ...], year: int | None) -> bool:
    """A header of this year's figure: 本年预算数, or the table's own year ("2024年预算数")."""
    for part in path:
        name = normalise_name(part)
        if _CURRENT.match(name) or (year is not None and f"{year}年" in name):
            return True
    return False


def is_change(path: tuple[str, ...]) -> bool:
    """A header of a change, not an amount: 增减额, 增减率, 比上年增长 …"""
    return any(_CHANGE.search(normalise_name(part)) for part in path)


def total_column(table: Table, side: str) -> int | None:
    """The column totalling each row of a side: headed 合计/总计/小计 at the top, or under a caption
    every column shares ("支出预算 / 合计" beside "支出预算 / 基本支出") — never a caption's own
    subtotal ("基本支出 / 小计" beside "项目支出") — the shallowest first, and neither last year's
    nor a change; None when there is none."""
    paths = table.columns.get(side, [])
    year = table_year(table)
    found: list[tuple[int, int]] = []
    for index, path in enumerate(paths):
        if is_change(path) or is_previous_year(path, year):
            continue
        depth = next((d for d, part in enumerate(path) if is_total_header(part)), None)
        if depth is not None and all(p[:depth] == path[:depth] for p in paths):
            found.append((depth, index))
    if found:
        return min(found)[1]
    # a column named for what the table holds ("财政拨款支出" in 财政拨款支出预算表) totals it
    title = normalise_name(table.title)
    named = [i for i, path in enumerate(paths) if len(path) == 1 and len(normalise_name(path[0])) >= 4
             and normalise_name(path[0]) in title and not is_change(path) and not is_previous_year(path, year)]
    return named[0] if len(named) == 1 else None


def current_columns(table: Table, side: str) -> list[int]:
    """The columns that may hold this year's figure: all but last year's and the changes."""
    paths = table.columns.get(side, [])
    year = table_year(table)
    years = _header_years(paths)
    return [i for i, path in enumerate(paths) if not is_change(path) and not is_previous_year(path, year, years)]


def default_column(table: Table, side: str) -> list[int]:
    """The columns a question naming none may mean, first the one to answer from (the caller picks
    among 预算数/决算数 siblings): the total column and its siblings under one caption; else the only
    current column; else, when the current columns are one caption's 预算数/决算数 pair, that pair;
    else none (several value columns and no total: no column is guessed)."""
    paths = table.columns.get(side, [])
    if not paths:
        return []
    start = total_column(table, side)
    current = current_columns(table, side)
    if start is None:
        if len(current) == 1:
            return current
        if not current:
            return []
        start = current[0]
        group = [i for i in current if paths[i][:-1] == paths[start][:-1]]
        pair = len(paths[start]) >= 1 and group == current and all(
            _PAIR_WORD.search(normalise_name(paths[i][-1])) for i in group)
        return group if pair and len(group) > 1 else []
    if is_total_header(paths[start][-1]):
        return [start]
    # the total is a caption over its own 预算数/决算数 leaves (合计 / 预算数, 合计 / 决算数)
    return [start, *(i for i in current if i != start and paths[i][:-1] == paths[start][:-1])]


def previous_column(table: Table, side: str, index: int) -> int | None:
    """Last year's column beside a current one: the only column of the same caption (or of the
    table) headed as last year's."""
    paths = table.columns.get(side, [])
    if index >= len(paths) or is_previous_year(paths[index], table_year(table)):
        return None
    year = table_year(table)
    years = _header_years(paths)
    previous = [i for i, path in enumerate(paths)
                if not is_change(path) and is_previous_year(path, year, years) and path[:-1] == paths[index][:-1]]
    return previous[0] if len(previous) == 1 else None


def change_column(table: Table, side: str, index: int) -> int | None:
    """The printed change amount beside a current column (增减额, not 增减率): the only one of its caption."""
    paths = table.columns.get(side, [])
    if index >= len(paths):
        return None
    found = [i for i, path in enumerate(paths) if is_change(path) and path[:-1] == paths[index][:-1]
             and not re.search(r"率|%|％|幅", normalise_name(path[-1]))]
    return found[0] if len(found) == 1 else None
