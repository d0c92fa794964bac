"""Versions over the API: a less complete upload is a candidate (202), listed and restored with the token."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from budgetqa.service.app import create_app
from budgetqa.settings import Settings

TOKEN = "test-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def upload(api: TestClient, path: Path):
    return api.post("/api/v1/documents", files={"file": (path.name, path.read_bytes())}, headers=AUTH)


def test_candidate_upload_list_and_restore(tmp_path: Path, seed_copies: dict[str, Path]) -> None:
    settings = Settings(data_dir=tmp_path / "store", admin_token=TOKEN, embedding_model="none")
    with TestClient(create_app(settings)) as api:
        first = upload(api, seed_copies["full"])
        assert first.status_code == 201, first.text
        doc_id, tables = first.json()["doc_id"], first.json()["tables"]
        damaged = upload(api, seed_copies["damaged"])
        assert damaged.status_code == 202 and damaged.json()["status"] == "candidate"
        assert "候选" in damaged.json()["warnings"][-1]
        assert api.get(f"/api/v1/documents/{doc_id}").json()["tables"] == tables
        assert api.get(f"/api/v1/documents/{doc_id}/versions").status_code == 401
        listed = api.get(f"/api/v1/documents/{doc_id}/versions", headers=AUTH).json()
        assert [(v["version"], v["status"]) for v in listed] == [(1, "current"), (2, "candidate")]
        assert api.post(f"/api/v1/documents/{doc_id}/versions/2/restore").status_code == 401
        restored = api.post(f"/api/v1/documents/{doc_id}/versions/2/restore", headers=AUTH)
        assert restored.status_code == 200 and restored.json()["status"] == "restored"
        assert api.get(f"/api/v1/documents/{doc_id}").json()["tables"] == tables - 1
        missing = api.post(f"/api/v1/documents/{doc_id}/versions/7/restore", headers=AUTH)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_version"
        assert api.delete(f"/api/v1/documents/{doc_id}", headers=AUTH).status_code == 200
        back = api.post(f"/api/v1/documents/{doc_id}/versions/1/restore", headers=AUTH)
        assert back.status_code == 200 and api.get(f"/api/v1/documents/{doc_id}").json()["tables"] == tables
