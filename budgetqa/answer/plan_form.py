"""A typed plan from outside the rule parser (an LLM's constrained output, a tool call), and how it
enters the same stages: it is written in the parser's own grammar (vocab ``[phrasing]``), parsed,
bound, checked and computed like any question, and used only if that parse agrees with it.

The form carries no answer figure: only what the question names (departments, years, items,
unit). A plan that names a department or year the question does not contain is invalid.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from budgetqa.answer.planner import compact, detect_operation, years_named
from budgetqa.vocab import load

Operation = Literal["lookup", "change", "share", "difference", "sum", "ranking", "rank_departments",
                    "completion", "unknown"]

AGREEING = {
    "lookup": {"lookup"}, "change": {"change"}, "share": {"share"}, "difference": {"difference", "ranking"},
    "sum": {"sum"}, "ranking": {"ranking"}, "rank_departments": {"ranking"}, "completion": {"completion"},
}
"""The parser's operations that agree with each plan operation ("哪个多，多多少" parses as a difference)."""


class PlanForm(BaseModel):
    """What a question asks, as a form: the operation and the names as the question words them."""

    model_config = ConfigDict(extra="forbid")

    operation: Operation = Field(description="lookup 取数; change 比上年增减; share 占比; difference 两项比较; "
                                             "sum 相加; ranking 一份公开内哪项最多; rank_departments 哪个部门最多; "
                                             "completion 预算完成率; unknown 不是数字问题")
    departments: list[str] = Field(default_factory=list, description="问题中写出的部门或单位名称，原样照抄；没有写就留空")
    years: list[int] = Field(default_factory=list, description="问题中写出的年度；没有写就留空")
    kind: Literal["", "预算", "决算"] = Field("", description="问题问的是预算还是决算；没有说就留空")
    items: list[str] = Field(default_factory=list, description="要查的项目，用公开表格中的规范名称，如“项目支出”“基本支出”")
    total: str = Field("", description="占比的分母，如“支出总计”；没有就留空")
    unit: Literal["元", "千元", "万元", "亿元"] = Field("万元", description="问题要求的金额单位")
    smallest: bool = Field(False, description="问的是最少的时为 true")


def invalid(form: PlanForm, question: str) -> str | None:
    """Why ``form`` cannot stand for ``question``, or None: a department or year the question does
    not contain, or an operation other than the one its wording asks for ("占…几成" is a share)."""
    text = compact(question)
    if form.operation == "unknown":
        return "语言模型认为这不是一个数字问题"
    if not form.items and form.operation not in ("ranking",):
        return "计划中没有要查的项目"
    stray = [d for d in form.departments if compact(d) not in text]
    if stray:
        return f"计划中的部门“{'、'.join(stray)}”不在问题中"
    asked = set(years_named(text))
    extra = [y for y in form.years if y not in asked]
    if extra:
        return f"计划中的年度{'、'.join(map(str, extra))}不在问题中"
    wording = detect_operation(text)
    one_total = wording == "sum" and form.operation == "lookup" and len(form.items) == 1  # "一共花了多少"
    if wording != "lookup" and not agrees(form, wording) and not one_total:
        return f"问题的问法是“{wording}”，计划却是“{form.operation}”"
    return None


def phrase(form: PlanForm) -> str:
    """``form`` written in the rule parser's grammar (one sentence per plan, from vocab ``[phrasing]``)."""
    words = load("questions")["phrasing"]
    scope = words["joiner"].join(form.departments) + "".join(f"{y}年" for y in form.years) + form.kind
    key = form.operation
    if key == "lookup" and len(form.items) > 1:
        key = "parts"
    elif key == "share" and not form.total:
        key = "share_of_table"
    elif key in ("ranking", "rank_departments") and form.smallest:
        key += "_smallest"
    sentence = words[key].format(scope=scope, items=words["joiner"].join(form.items), total=form.total)
    if form.unit != "万元":
        sentence += words["unit"].format(unit=form.unit)
    return sentence


def agrees(form: PlanForm, operation: str) -> bool:
    """The parser read the phrased plan as the plan's own operation."""
    return operation in AGREEING.get(form.operation, set())
