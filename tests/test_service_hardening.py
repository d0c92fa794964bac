"""Small things done well: GB18030 dumps, format characters in names, security headers, every error
status in the OpenAPI document."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import WELFARE_2024, corpus_file
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from budgetqa.cli import app as cli
from budgetqa.index.store import Store
from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.service.app import create_app
from budgetqa.service.routes_documents import safe_name
from budgetqa.settings import Settings


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    settings = Settings(data_dir=tmp_path / "store", embedding_model="none", admin_token="t",
                        frame_ancestors="'self' https://portal.example.gov.cn")
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_chinese_encoded_text_dump_reads_as_utf8(tmp_path: Path, seed_copies: dict[str, Path], encoding: str) -> None:
    settings = Settings(data_dir=tmp_path / "store", embedding_model="none")
    store = Store(settings.data_dir)
    encoded = tmp_path / f"seed-{encoding}.dat"
    encoded.write_bytes(seed_copies["full"].read_text(encoding="utf-8").encode(encoding))
    result = ingest_file(store, encoded, settings)
    reference = ingest_file(Store(tmp_path / "other"), seed_copies["full"], Settings(data_dir=tmp_path / "other",
                                                                                   embedding_model="none"))
    assert (result.status, result.department, result.tables, result.cells, result.facts) == (
        "added", reference.department, reference.tables, reference.cells, reference.facts)


def test_unreadable_text_names_the_encoding(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes("这不是预算公开，只是一段文字。".encode("gb18030"))
    settings = Settings(data_dir=tmp_path / "store", embedding_model="none")
    with pytest.raises(IngestError, match="read as gb18030 text") as caught:
        ingest_file(Store(settings.data_dir), notes, settings)
    assert caught.value.reason == "not_a_disclosure"


@pytest.mark.parametrize(("given", "expected"), [
    ("\u202egpj.预算.pdf", "gpj.预算.pdf"), ("预算\u200b\u2066.pdf", "预算.pdf"), ("\ufeff\u200e报告.txt", "报告.txt"),
])
def test_format_characters_are_stripped_from_names(given: str, expected: str) -> None:
    assert safe_name(given) == expected


def test_format_characters_never_reach_the_store_cli_or_api(tmp_path: Path) -> None:
    """A shared PDF copied under a name with a bidi override (U+202E) and an isolate (U+2066): the
    CLI's summary, the stored files, the API's document list and the citations the widget shows all
    carry the name without them."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(corpus_file(WELFARE_2024), folder / "\u202e单位预算\u2066.pdf")
    data_dir = tmp_path / "store"
    runner = CliRunner()
    ingested = runner.invoke(cli, ["ingest", str(folder), "--data-dir", str(data_dir)],
                             env={"BUDGETQA_EMBEDDING_MODEL": "none"})
    assert ingested.exit_code == 0, ingested.output
    assert "单位预算.pdf" in ingested.output
    listed = runner.invoke(cli, ["docs", "--json", "--data-dir", str(data_dir)])
    (document,) = json.loads(listed.output)
    assert [f["file_name"] for f in document["files"]] == ["单位预算.pdf"]
    settings = Settings(data_dir=data_dir, embedding_model="none")
    with TestClient(create_app(settings)) as client:
        served = client.get("/api/v1/documents").json()
        answer = client.post("/api/v1/ask", json={"question": "一般公共预算支出是多少"}).json()
    assert [f["file_name"] for f in served[0]["files"]] == ["单位预算.pdf"]
    cited = {c.get("source_file") for c in answer["citations"]}
    assert cited == {"单位预算.pdf"}, answer
    for text in (ingested.output, listed.output, json.dumps(served), json.dumps(answer)):
        assert "\u202e" not in text and "\u2066" not in text


def test_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/v1/documents", "/api/v1/nothing", "/docs"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin", path
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'self' https://portal.example.gov.cn" in policy and "object-src 'none'" in policy
        assert ("'unsafe-inline'" in policy.split("script-src")[1].split(";")[0]) == (path == "/docs")


def test_every_error_status_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            documented = set(operation["responses"])
            assert {"404", "422", "500"} <= documented, (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= documented, (method, path)
    assert spec["paths"]["/api/v1/documents"]["post"]["responses"]["413"]["content"]
