"""POST /api/v1/ask with session_id: context carried between requests, clarify answered by a reply."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from budgetqa.service.app import create_app
from budgetqa.settings import Settings


@pytest.fixture(scope="module")
def client(chat_store) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=chat_store.path.parent, session_max=50, llm_base_url=None, llm_model=None))
    with TestClient(app) as test_client:
        yield test_client


def ask(client: TestClient, question: str, session_id: str | None = None, **extra) -> dict:
    response = client.post("/api/v1/ask", json={"question": question, "session_id": session_id, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def values(answer: dict) -> set[str]:
    return {v["value"] for v in answer["values"]}


def test_session_carries_context(client: TestClient) -> None:
    first = ask(client, "机关事务管理局项目支出是多少", "api-1")
    assert values(first) == {"1712.80"} and first["session_id"] == "api-1"
    second = ask(client, "比上年呢", "api-1")
    assert {"1433.31", "512.83"} <= values(second)
    assert second["plan"]["question"] == "项目支出比上年增长多少" and second["plan"]["session_id"] == "api-1"
    third = ask(client, "那基本支出呢", "api-1")
    assert {"42.74", "10.68"} <= values(third)


def test_clarify_round_trip(client: TestClient) -> None:
    pending = ask(client, "项目支出是多少", "api-2")
    assert pending["status"] == "clarify" and len(pending["options"]) == 2
    chosen = ask(client, "财政局", "api-2")
    assert values(chosen) == {"603.14"}
    assert values(ask(client, "那基本支出呢", "api-2")) == {"2336.91"}


def test_widget_option_click(client: TestClient) -> None:
    pending = ask(client, "项目支出是多少", "api-3")
    option = next(o for o in pending["options"] if "机关事务管理局" in o)
    chosen = ask(client, "项目支出是多少", "api-3", doc=option)
    assert values(chosen) == {"1712.80"}
    assert {"1433.31"} <= values(ask(client, "比上年呢", "api-3"))


def test_no_session_no_context(client: TestClient) -> None:
    ask(client, "机关事务管理局项目支出是多少")
    alone = ask(client, "比上年呢")
    assert alone["status"] != "answered" and alone["session_id"] is None


def test_sessions_do_not_mix(client: TestClient) -> None:
    ask(client, "机关事务管理局基本支出是多少", "api-a")
    ask(client, "财政局基本支出是多少", "api-b")
    assert values(ask(client, "项目支出呢", "api-a")) == {"1712.80"}
    assert values(ask(client, "项目支出呢", "api-b")) == {"603.14"}
