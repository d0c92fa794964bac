"""Small things done well: GB18030 dumps, format characters in names, security headers, every error
status in the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

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
