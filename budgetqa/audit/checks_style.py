"""Style notes: repeated punctuation or words, and a completion rate stated against a budget of 0."""

from __future__ import annotations

import re
from functools import lru_cache

from budgetqa.audit.names import vocab
from budgetqa.audit.registry import Audit, CheckDef
from budgetqa.audit.report import Ref
from budgetqa.audit.text import sentences

REPEAT = CheckDef("S-重复", "文字", "note", "同一个标点或字词连续出现两次（“。。”“的的”），多为录入错误。")
ZERO_BUDGET = CheckDef("S-预算为0的完成率", "文字", "note", "年初预算为 0 时完成率无从计算，不应写完成率。")
CHECKS = (REPEAT, ZERO_BUDGET)


@lru_cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    style = vocab()["style"]
    return re.compile(style["punctuation"]), re.compile(style["repeated"])


def run(audit: Audit) -> None:
    for check in CHECKS:
        audit.define(check)
    punctuation, repeated = _patterns()
    for sentence in sentences(audit.doc):
        text = sentence.text.strip()
        for pattern in (punctuation, repeated):
            for match in pattern.finditer(text):
                audit.note(REPEAT.id, "note", f"第{sentence.page}页“{match.group()}”重复",
                           f"“{match.group(1)}”连续出现两次，应删去一个。", [sentence.page], [sentence.ref()])
    for fact in audit.doc.facts:
        if fact.completion_pct is None or fact.budget is None:
            continue
        if fact.budget != 0:
            audit.passed(ZERO_BUDGET.id)
            continue
        audit.note(ZERO_BUDGET.id, "note", f"第{fact.page}页“{fact.subject}”预算为 0，却写完成 {fact.completion_pct}%",
                   "预算数为 0 时完成率无从计算，宜写“年初未安排预算”。", [fact.page],
                   [Ref(page=fact.page, sentence=fact.sentence)])
