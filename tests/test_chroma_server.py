"""The vector index on a Chroma server (``BUDGETQA_CHROMA_URL``), as several ``serve`` workers share
it: ``chroma run`` from the installed chromadb, on loopback, with the real seed disclosure."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SHARED
from servers import free_port, running

from budgetqa.answer.text import answer_text
from budgetqa.index.store import Store
from budgetqa.index.vectors import VectorIndex, chroma_path
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.settings import Settings

SEED = SHARED / "seeds" / "000_648cb979c5ae0ed7.txt"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory) -> Iterator[str]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    if chroma is None:
        pytest.skip("the chroma command (from chromadb) is not installed")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [chroma, "run", "--path", str(tmp_path_factory.mktemp("chroma-server")), "--host", "127.0.0.1",
               "--port", str(port)]
    with running(command, f"{url}/api/v2/heartbeat", timeout=60, name="chroma run", on_failure=pytest.fail):
        yield url


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
