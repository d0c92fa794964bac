"""Read a disclosure's department, region, year and kind from its own text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

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
_REGION = re.compile(
    r"^((?:[\u4e00-\u9fa5]{2,9}?(?:省|自治区))?(?:[\u4e00-\u9fa5]{1,9}?(?:自治州|市|地区|盟|州))?"
    r"(?:[\u4e00-\u9fa5]{1,9}?(?:区|县|旗|市))?)"
)
_LEADING_NOISE = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|关于)\s*")


@dataclass(slots=True)
class Metadata:
    department: str
    region: str
    year: int | None
    kind: str | None


def detect_metadata(
    *, departments: list[str], front_lines: list[str], title_lines: list[str], body_lines: list[str]
) -> Metadata:
    """Department, region, year and kind, from the strongest evidence available.

    ``departments`` are names printed on 编制部门/部门 lines, ``front_lines`` the
    first pages' text, ``title_lines`` the table titles, ``body_lines`` everything else.
    """
    department = _department(departments, front_lines, body_lines)
    return Metadata(
        department=department,
        region=region_of(department),
        year=_year(front_lines, title_lines, body_lines),
        kind=_kind(front_lines, title_lines, body_lines),
    )


def _department(departments: list[str], front_lines: list[str], body_lines: list[str]) -> str:
    named = Counter(d.strip("：:（）() ") for d in departments if len(d) >= 3)
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


def region_of(department: str) -> str:
    """The administrative region a department name starts with ("某某省某某市某某区财政局" → "某某省某某市某某区")."""
    match = _REGION.match(department)
    region = match.group(1) if match else ""
    return region if region != department else ""
