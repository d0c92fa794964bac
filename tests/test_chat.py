"""Conversations over the seed budget (昌吉州机关事务管理局 2024 预算) and 普陀区财政局 2024 决算:
follow-ups that change the quantity, the operation or the department, and clarify round trips.

Numbers are the documents' own (seed: 项目支出 1,712.80, 比上年 +1,433.31 / 512.83%, 基本支出
442.86; 决算: 项目支出 603.14, 基本支出 2,336.91)."""

from __future__ import annotations

import pytest

from budgetqa.chat import SessionStore, converse
from budgetqa.chat.followup import strip_markers, template
from budgetqa.chat.session import Turn

SEED_DEPT = "机关事务管理局"
FINAL_DEPT = "财政局"
CLARIFY = ("clarify", None)

# each turn: (question, expected status, numbers that must all be among the answer's values)
CONVERSATIONS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "clarify-pick-department": [
        ("项目支出是多少", "clarify", ()),
        (SEED_DEPT, "answered", ("1712.80",)),
    ],
    "clarify-pick-option-then-quantity": [
        ("项目支出是多少", "clarify", ()),
        ("上海市普陀区财政局 2024年决算", "answered", ("603.14",)),
        ("那基本支出呢", "answered", ("2336.91",)),
    ],
    "clarify-pick-ordinal-then-operation": [
        ("项目支出是多少", "clarify", ()),
        ("第二个", "answered", ("1712.80",)),
        ("比上年呢", "answered", ("1433.31", "512.83")),
    ],
    "clarify-department-then-other-department": [
        ("项目支出是多少", "clarify", ()),
        (FINAL_DEPT, "answered", ("603.14",)),
        (f"{SEED_DEPT}的呢", "answered", ("1712.80",)),
        ("比上年呢", "answered", ("1433.31", "512.83", "279.49")),
    ],
    "clarify-answered-by-a-full-question": [
        ("项目支出是多少", "clarify", ()),
        (f"{FINAL_DEPT}的基本支出是多少", "answered", ("2336.91",)),
    ],
    "operation-only": [
        (f"{SEED_DEPT}项目支出是多少", "answered", ("1712.80",)),
        ("比上年呢", "answered", ("1433.31", "512.83")),
    ],
    "operation-then-quantity": [
        (f"{SEED_DEPT}项目支出比上年增长多少", "answered", ("1433.31", "512.83")),
        ("那基本支出呢", "answered", ("42.74", "10.68")),
    ],
    "quantity-only-seed": [
        (f"{SEED_DEPT}项目支出是多少", "answered", ("1712.80",)),
        ("那基本支出呢", "answered", ("442.86",)),
    ],
    "quantity-only-final": [
        (f"{FINAL_DEPT}项目支出是多少", "answered", ("603.14",)),
        ("那基本支出呢", "answered", ("2336.91",)),
        ("公用经费呢", "answered", ("184.65",)),
    ],
    "department-only": [
        (f"{SEED_DEPT}基本支出是多少", "answered", ("442.86",)),
        (f"{FINAL_DEPT}的呢", "answered", ("2336.91",)),
        (f"{SEED_DEPT}的呢", "answered", ("442.86",)),
    ],
    "document-inherited-by-a-full-question": [
        (f"{SEED_DEPT}项目支出是多少", "answered", ("1712.80",)),
        ("基本支出是多少", "answered", ("442.86",)),
        ("上年呢", "answered", ("400.12",)),
    ],
    "quantity-and-operation": [
        (f"{FINAL_DEPT}基本支出是多少", "answered", ("2336.91",)),
        ("项目支出占比呢", "answered", ("603.14", "2940.05", "20.51")),
    ],
    "share-after-department-switch": [
        (f"{FINAL_DEPT}项目支出是多少", "answered", ("603.14",)),
        (f"{SEED_DEPT}的呢", "answered", ("1712.80",)),
        ("占比呢", "answered", ("79.46",)),
    ],
    "difference-over-two-quantities": [
        (f"{SEED_DEPT}项目支出和基本支出一共多少", "answered", ("2155.66",)),
        ("差多少呢", "answered", ("1269.94",)),
    ],
    "sum-over-two-turns": [
        (f"{FINAL_DEPT}人员经费是多少", "answered", ("2152.26",)),
        ("公用经费呢", "answered", ("184.65",)),
        ("合起来呢", "answered", ("2336.91",)),
    ],
    "totals": [
        (f"{FINAL_DEPT}支出总计是多少", "answered", ("2940.05",)),
        ("收入总计呢", "answered", ("2946.25",)),
    ],
    "three-public-items": [
        (f"{SEED_DEPT}公务接待费是多少", "answered", ("0.19",)),
        ("那公务用车运行费呢", "answered", ("4.50",)),
    ],
}


@pytest.mark.parametrize("name", list(CONVERSATIONS))
def test_conversation(chat_store, name: str) -> None:
    sessions = SessionStore()
    for question, status, numbers in CONVERSATIONS[name]:
        answer = converse(chat_store, question, sessions=sessions, session_id=name)
        assert answer.status == status, (question, answer.answer, answer.plan)
        values = {v.value for v in answer.values}
        assert set(numbers) <= values, (question, answer.answer, values)
        assert answer.plan.session_id == name
        assert answer.plan.question
    assert len(CONVERSATIONS) >= 15


def test_rewritten_question_is_shown(chat_store) -> None:
    sessions = SessionStore()
    converse(chat_store, f"{SEED_DEPT}项目支出是多少", sessions=sessions, session_id="s")
    answer = converse(chat_store, "比上年呢", sessions=sessions, session_id="s")
    assert answer.plan.question == "项目支出比上年增长多少"
    assert answer.plan.documents and len(answer.plan.documents) == 1
    assert any("按上文理解为" in n for n in answer.notes)


def test_sessions_are_separate(chat_store) -> None:
    sessions = SessionStore()
    converse(chat_store, f"{SEED_DEPT}项目支出是多少", sessions=sessions, session_id="a")
    converse(chat_store, f"{FINAL_DEPT}项目支出是多少", sessions=sessions, session_id="b")
    a = converse(chat_store, "那基本支出呢", sessions=sessions, session_id="a")
    b = converse(chat_store, "那基本支出呢", sessions=sessions, session_id="b")
    assert [v.value for v in a.values] == ["442.86"]
    assert [v.value for v in b.values] == ["2336.91"]


def test_without_session_a_turn_is_a_single_question(chat_store) -> None:
    from budgetqa.answer import ask

    for question in (f"{SEED_DEPT}项目支出比上年增长多少", "项目支出是多少", "比上年呢"):
        alone = converse(chat_store, question)
        plain = ask(chat_store, question)
        assert (alone.status, alone.answer, alone.values) == (plain.status, plain.answer, plain.values)


def test_injected_sentence_changes_no_number(chat_store) -> None:
    from budgetqa.answer import ask

    answer = ask(chat_store, f"{SEED_DEPT}项目支出是多少")
    assert [v.value for v in answer.values] == ["1712.80"]


def test_session_store_expires_and_is_bounded(chat_store) -> None:
    now = [0.0]
    sessions = SessionStore(ttl=10, max_sessions=2, max_turns=3, clock=lambda: now[0])
    answer = converse(chat_store, f"{SEED_DEPT}项目支出是多少", sessions=sessions, session_id="x")
    for i in range(5):
        sessions.add("x", Turn(f"q{i}", f"q{i}", None, answer))
    assert len(sessions.get("x").turns) == 3
    sessions.get("y")
    sessions.get("z")
    assert len(sessions) == 2 and "x" not in sessions._sessions  # least recently used dropped
    now[0] = 100.0
    assert len(sessions) == 0  # all idle past the TTL
    expired = converse(chat_store, "比上年呢", sessions=sessions, session_id="z")
    assert expired.status != "answered" and not expired.values  # nothing to lean on any more


def test_followup_vocabulary() -> None:
    assert strip_markers("那基本支出呢？") == "基本支出"
    assert strip_markers("财政局的呢") == "财政局"
    assert template("change", ["项目支出"]) == "项目支出比上年增长多少"
    assert template("difference", ["甲", "乙"]) == "甲比乙多多少"
