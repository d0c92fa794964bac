"""Bounded ingest: page, time and memory limits give clear 413/422s, a killed ingest leaves the store
whole, and a restarted server cleans its upload folders."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FINAL_2024, corpus_file, store_counts
from fastapi.testclient import TestClient
from test_bad_input import make_page_bomb

from budgetqa.index.store import Store
from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.service.app import create_app
from budgetqa.settings import Settings

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample_budget.pdf"
TOKEN = "test-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def api(tmp_path: Path, **settings) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path / "store", admin_token=TOKEN,
                                          embedding_model="none", **settings)))


@pytest.mark.parametrize(("limits", "status", "code"), [
    ({"ingest_memory_mb": 80}, 413, "too_much_memory"),
    ({"ingest_timeout_seconds": 0.05}, 422, "timeout"),
    ({"max_pages": 2}, 413, "too_many_pages"),
])
def test_upload_over_a_limit_is_refused(tmp_path: Path, limits: dict, status: int, code: str) -> None:
    with api(tmp_path, **limits) as client:
        response = client.post("/api/v1/documents", files={"file": (SAMPLE.name, SAMPLE.read_bytes())}, headers=AUTH)
        assert response.status_code == status, response.text
        assert response.json()["error"]["code"] == code
        assert client.get("/api/v1/documents").json() == []


def test_page_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = make_page_bomb(tmp_path / "bomb.pdf", pages=2000)
    settings = Settings(data_dir=tmp_path / "store", embedding_model="none")
    with pytest.raises(IngestError, match="2000 pages, over the 500-page limit") as caught:
        ingest_file(Store(settings.data_dir), bomb, settings)
    assert caught.value.reason == "too_many_pages"


def test_server_start_cleans_left_upload_folders(tmp_path: Path) -> None:
    left = tmp_path / "store" / "uploads" / "upload-killed"
    left.mkdir(parents=True)
    (left / "half.pdf").write_bytes(b"%PDF-1.4 half")
    with api(tmp_path):
        assert not left.exists()


def has_child(pid: int) -> bool:
    """True once any thread of ``pid`` has started a child process (the parser)."""
    return any(t.read_text().strip() for t in Path(f"/proc/{pid}/task").glob("*/children"))


def wait_for(condition, seconds: float = 120) -> None:
    """Poll ``condition`` (a bounded wait, not a timing assertion)."""
    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        time.sleep(0.05)


def test_kill_during_cli_ingest_leaves_the_store_whole(tmp_path: Path, seed_copies: dict[str, Path]) -> None:
    """`budgetqa ingest` killed with SIGKILL while it parses: the store holds what it held, or the whole file."""
    pdf = corpus_file(FINAL_2024)
    data_dir = tmp_path / "store"
    settings = Settings(data_dir=data_dir, embedding_model="none")
    ingest_file(Store(data_dir), seed_copies["full"], settings)
    before = store_counts(Store(data_dir))
    env = {**os.environ, "BUDGETQA_EMBEDDING_MODEL": "none"}
    cli = [str(Path(sys.executable).parent / "budgetqa"), "ingest", str(pdf), "--data-dir", str(data_dir)]
    process = subprocess.Popen(cli, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: process.poll() is not None or has_child(process.pid))  # the parsing child has started
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    store = Store(data_dir)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after = store_counts(store)
    assert after == before or (len(after) == len(before) + 1 and set(before) <= set(after))
    assert ingest_file(store, pdf, settings).status in ("added", "unchanged")


def test_kill_during_server_upload_leaves_nothing_behind(tmp_path: Path, seed_copies: dict[str, Path]) -> None:
    """The server killed with SIGKILL while it parses an upload: the store is whole, and the next
    start removes the upload's temp folder."""
    import socket
    import threading

    import httpx

    pdf = corpus_file(FINAL_2024)
    data_dir = tmp_path / "store"
    settings = Settings(data_dir=data_dir, embedding_model="none")
    ingest_file(Store(data_dir), seed_copies["full"], settings)
    before = store_counts(Store(data_dir))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "BUDGETQA_EMBEDDING_MODEL": "none", "BUDGETQA_ADMIN_TOKEN": TOKEN}
    serve = [str(Path(sys.executable).parent / "budgetqa"), "serve", "--port", str(port), "--data-dir", str(data_dir)]
    server = subprocess.Popen(serve, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        def up() -> bool:
            try:
                return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return server.poll() is not None

        wait_for(up)

        def upload() -> None:
            with contextlib.suppress(httpx.HTTPError):  # the server dies under it
                httpx.post(f"{base}/api/v1/documents", files={"file": (pdf.name, pdf.read_bytes())}, headers=AUTH,
                           timeout=60)

        sender = threading.Thread(target=upload)
        sender.start()
        wait_for(lambda: server.poll() is not None or has_child(server.pid))
        assert any((data_dir / "uploads").iterdir()), "the upload waits in its temp folder while parsed"
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    sender.join()
    store = Store(data_dir)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store_counts(store) == before
    with api(tmp_path):
        assert not any((data_dir / "uploads").iterdir())
