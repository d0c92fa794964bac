"""Several ``budgetqa serve`` processes sharing one PostgreSQL database answer alike, and a
document written by another process is seen by both (skips without BUDGETQA_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import database_url
from servers import free_port

from budgetqa.index.store import Store
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.settings import Settings

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = PROJECT / "samples" / "sample_budget.pdf"
FINAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "上海市普陀区财政局2024年度部门决算.pdf"


def _serve(url: str, data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "BUDGETQA_DATABASE_URL": url, "BUDGETQA_EMBEDDING_MODEL": "none"}
    data_dir.mkdir(parents=True)
    log = (data_dir / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "budgetqa"), "serve", "--port", str(port), "--data-dir", str(data_dir)],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


def _wait(process: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            if httpx.get(base + "/api/v1/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("the server did not start")


@pytest.fixture
def shared_database(tmp_path: Path) -> Iterator[str]:
    with database_url("postgresql") as url:
        yield url


def test_two_servers_on_one_database_answer_alike(shared_database: str, tmp_path: Path) -> None:
    if not FINAL.exists():
        pytest.skip("../shared/corpus is absent")
    settings = Settings(data_dir=tmp_path / "writer", embedding_model="none")
    writer = Store(settings.data_dir, shared_database)
    ingest_file(writer, SAMPLE, settings)
    servers = [_serve(shared_database, tmp_path / f"server{i}") for i in range(2)]
    try:
        for i, (process, base) in enumerate(servers):
            _wait(process, base, tmp_path / f"server{i}" / "serve.log")

        def ask_both(question: str) -> list[dict]:
            return [httpx.post(base + "/api/v1/ask", json={"question": question}, timeout=60).json()
                    for _, base in servers]

        first, second = ask_both("项目支出比上年增长多少")
        assert first == second and first["status"] == "answered"
        assert {"1433.31", "279.49"} <= {v["value"] for v in first["values"]}
        ingest_file(writer, FINAL, settings)  # another process adds a document: both servers see it
        first, second = ask_both("基本支出是多少")
        assert first == second and first["status"] == "clarify" and len(first["options"]) == 2
        first, second = ask_both("普陀区财政局的项目支出是多少")
        assert first == second and first["values"][0]["value"] == "603.14"
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=30)
        writer.close()
