"""The vector index on a Chroma server (``BUDGETQA_CHROMA_URL``), as several ``serve`` workers share
it: ``chroma run`` from the installed chromadb, on loopback, with the real seed disclosure."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import SHARED

from budgetqa.answer.text import answer_text
from budgetqa.index.store import Store
from budgetqa.index.vectors import VectorIndex, chroma_path
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.settings import Settings

SEED = SHARED / "seeds" / "000_648cb979c5ae0ed7.txt"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory) -> Iterator[str]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    if chroma is None:
        pytest.skip("the chroma command (from chromadb) is not installed")
    port = _free_port()
    server = subprocess.Popen([chroma, "run", "--path", str(tmp_path_factory.mktemp("chroma-server")),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail("chroma run exited at start")
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("chroma run did not come up in 60 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_ingest_search_and_delete_on_a_chroma_server(chroma_url: str, tmp_path: Path) -> None:
    if not SEED.is_file():
        pytest.skip(f"{SEED} not available")
    settings = Settings(data_dir=tmp_path, chroma_url=chroma_url)
    store = Store(tmp_path)
    doc_id = ingest_file(store, SEED, settings).doc_id
    served = VectorIndex(settings)
    assert served.count(doc_id) > 0
    assert not chroma_path(settings).exists(), "vectors went to the server, not the data folder"
    answer = answer_text(store, "一般公共预算为什么减少", settings=settings)
    assert answer.status == "answered" and "主要原因是持续过紧日子要求" in answer.answer
    # a second process (another serve worker) sees the same vectors
    assert VectorIndex(Settings(data_dir=tmp_path / "other", chroma_url=chroma_url)).count(doc_id) == served.count(doc_id)
    assert store.delete(doc_id, settings)
    assert VectorIndex(settings).count(doc_id) == 0
