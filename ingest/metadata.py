"""Read a disclosure's department, region, level, year, kind and scope from its own text.

Each field comes from the strongest evidence (the 部门：/预算单位： lines, then the cover and
title, then the narrative). A name that cannot be one (a unit line, digits, a placeholder)
is never stored: the next candidate is taken and a warning says so. Sources that name
different departments are reported too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from budgetqa.ingest.identity import identity_key, implausible, level_of, region_of, scope_of

_ORG_SUFFIX = (
    "办公厅|人民法院|人民检察院|委员会|办公室|办事处|管理局|监督局|局|厅|院|委|部|中心|政府|"
    "联合会|协会|学校|大学|学院|医院|馆|站|所|队|社|处|会|团|署|台"
)
_ORG_BEFORE_YEAR = re.compile(
    rf"([\u4e00-\u9fa5（）()]{{2,30}}?(?:{_ORG_SUFFIX}))\s*(?:20\d{{2}})\s*年"
)
_TITLE_ORG = re.compile(
    rf"^(?:20\d{{2}}\s*年度?)?\s*([\u4e00-\u9fa5（）()]{{2,30}}?(?:{_ORG_SUFFIX}))\s*(?:20\d{{2}}\s*年度?)?\s*(?:部门|单位)?(?:预算|决算)"
)
_YEAR = re.compile(r"(20\d{2})\s*年")
_LEADING_NOISE = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|关于)\s*")


@dataclass(slots=True)
class Metadata:
    department: str
    region: str
    year: int | None
    kind: str | None
    scope: str = "部门"
    """"部门" (a department with its units) or "单位" (one unit's own budget or accounts)."""
    level: str | None = None
    warnings: list[str] = field(default_factory=list)


def detect_metadata(
    *, departments: list[str], front_lines: list[str], title_lines: list[str], body_lines: list[str]
) -> Metadata:
    """Department, region, year, kind, scope and level, from the strongest evidence available.

    ``departments`` are names printed on 编制部门/部门 lines, ``front_lines`` the
    first pages' text, ``title_lines`` the table titles, ``body_lines`` everything else.
    """
    warnings: list[str] = []
    labelled = []
    for name in departments:
        name = name.strip("：:（）() ")
        reason = implausible(name)
        if reason:
            warnings.append(f"忽略表头中的部门名称：{reason}")
        elif len(name) >= 3:
            labelled.append(name)
    department = _department(labelled, front_lines, body_lines)
    cover = _department([], front_lines, body_lines)
    reason = implausible(department)
    if reason:
        warnings.append(f"部门名称不确定：{reason}")
        department = ""
    elif cover and identity_key(cover) != identity_key(department) and not _same_name(cover, department):
        warnings.append(f"封面/标题写“{cover}”，表头写“{department}”，采用表头的名称。")
    front_text = "".join(front_lines[:40])
    return Metadata(
        department=department,
        region=region_of(department),
        year=_year(front_lines, title_lines, body_lines),
        kind=_kind(front_lines, title_lines, body_lines),
        scope=scope_of(front_lines[:6]),
        level=level_of(department, front_text) if department else None,
        warnings=warnings,
    )


def _same_name(a: str, b: str) -> bool:
    """One name is the other with or without its region ("某某局" / "某省某某局")."""
    ka, kb = identity_key(a), identity_key(b)
    return ka.endswith(kb) or kb.endswith(ka)


def _department(departments: list[str], front_lines: list[str], body_lines: list[str]) -> str:
    named = Counter(departments)
    if named:
        return named.most_common(1)[0][0]
    candidates = [a + b for a, b in zip(front_lines[:8], front_lines[1:9], strict=False)] + front_lines
    for line in candidates:
        match = _TITLE_ORG.match(_LEADING_NOISE.sub("", line.replace(" ", "")))
        if match:
            return match.group(1)
    joined = [line.replace(" ", "") for line in front_lines[:6]]
    for first, second in zip(joined, joined[1:], strict=False):
        # title split over two lines: "某某局" / "2024年度部门决算"
        if re.fullmatch(rf"[\u4e00-\u9fa5（）()]{{2,30}}(?:{_ORG_SUFFIX})", first) and re.search(
            r"预算|决算", second
        ):
            return first
    counts = Counter(
        _LEADING_NOISE.sub("", m.group(1))
        for line in front_lines + body_lines
        for m in _ORG_BEFORE_YEAR.finditer(line.replace(" ", ""))
    )
    return counts.most_common(1)[0][0] if counts else ""


def _year(front_lines: list[str], title_lines: list[str], body_lines: list[str]) -> int | None:
    counts: Counter[int] = Counter()
    for weight, lines in ((5, title_lines), (3, front_lines[:10]), (1, body_lines)):
        for line in lines:
            for match in _YEAR.finditer(line):
                counts[int(match.group(1))] += weight
            if weight > 1:
                for match in re.finditer(r"(20\d{2})", line):
                    counts[int(match.group(1))] += 1
    return counts.most_common(1)[0][0] if counts else None


def _kind(front_lines: list[str], title_lines: list[str], body_lines: list[str]) -> str | None:
    text = " ".join(title_lines + front_lines[:10])
    final, budget = text.count("决算"), text.count("预算")
    if final == budget == 0:
        body = " ".join(body_lines)
        final, budget = body.count("决算"), body.count("预算")
    if final == budget == 0:
        return None
    return "决算" if final >= budget / 2 and final > 0 else "预算"
