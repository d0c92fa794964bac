"""The HTTP API with FastAPI's TestClient: every endpoint, auth, limits, errors, CORS and the pages."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from budgetqa.index.store import Store
from budgetqa.ingest.parse_cache import ParseCache
from budgetqa.ingest.pipeline import doc_id_for, ingest_file
from budgetqa.service import routes_ask
from budgetqa.service.app import create_app
from budgetqa.service.limits import BodyLimitMiddleware
from budgetqa.service.routes_documents import safe_name
from budgetqa.service.state import ReadWriteLock
from budgetqa.service.tableview import cell_position
from budgetqa.settings import Settings
from budgetqa.views import table_grid

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample_budget.pdf"
DOC = "dfce47c16"
TOKEN = "test-admin-token"
ORIGIN = "http://portal.example.gov.cn"
QUESTION = "项目支出比上年增长多少"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def sample_dir(read_cache: ParseCache, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with samples/sample_budget.pdf ingested (parsed once per session)."""
    data_dir = tmp_path_factory.mktemp("api-sample")
    store = Store(data_dir)
    ingest_file(store, SAMPLE, Settings(data_dir=data_dir))
    store.close()
    return data_dir


@pytest.fixture(scope="module")
def client(sample_dir: Path) -> Iterator[TestClient]:
    """Read-only tests share one app over the sample."""
    app = create_app(Settings(data_dir=sample_dir, admin_token=TOKEN, cors_origins=[ORIGIN]))
    with TestClient(app) as test_client:
        yield test_client


def make_client(tmp_path: Path, read_cache: ParseCache, with_sample: bool = True, **settings) -> TestClient:
    """An app over a store of its own (for tests that write)."""
    data_dir = tmp_path / "store"
    if with_sample:
        store = Store(data_dir)
        ingest_file(store, SAMPLE, Settings(data_dir=data_dir))
        store.close()
    return TestClient(create_app(Settings(data_dir=data_dir, **settings)))


def error_of(response) -> dict:
    """The error object, checked for the shape every error has."""
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert error["code"] and error["message_zh"] and error["message_en"], error
    return error


def multipart(name: str, data: bytes, boundary: str = "budgetqa-test-boundary") -> tuple[bytes, dict]:
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


# --- health, docs, pages ---------------------------------------------------------------------

def test_healthz(client: TestClient) -> None:
    for path in ("/healthz", "/api/v1/healthz"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "version": response.json()["version"], "documents": 1}


def test_openapi_docs(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in docs.text and "//cdn" not in docs.text, "docs work offline"
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/ask", "/api/v1/suggestions", "/api/v1/documents", "/api/v1/documents/{doc}",
                 "/api/v1/documents/{doc}/tables", "/api/v1/documents/{doc}/tables/{table}",
                 "/api/v1/documents/{doc_id}", "/api/v1/healthz"):
        assert path in spec["paths"], path
    upload = spec["paths"]["/api/v1/documents"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert upload["security"], "admin endpoints are marked as needing the bearer token"


def test_pages_and_assets(client: TestClient) -> None:
    index = client.get("/")
    assert index.status_code == 200 and "text/html" in index.headers["content-type"]
    assert 'src="widget.js"' in index.text
    widget = client.get("/widget.js")
    assert widget.status_code == 200 and "javascript" in widget.headers["content-type"]
    assert "/api/v1/ask" in widget.text
    for asset in ("widget.css", "page.css", "table.js"):
        assert client.get(f"/static/{asset}").status_code == 200, asset
    assert "http://" not in widget.text.replace("https://HOST", ""), "no external resources in the widget"


# --- ask -------------------------------------------------------------------------------------

def test_ask_answers_with_citation(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"question": QUESTION, "session_id": "s-1"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "answered" and body["session_id"] == "s-1"
    assert {(v["value"], v["unit"]) for v in body["values"]} >= {("1433.31", "万元"), ("512.83", "%")}
    assert "1,433.31" in body["answer"] and "512.83%" in body["answer"]
    assert body["formula"]
    cite = body["citations"][0]
    assert (cite["table"], cite["row"], cite["column"], cite["page"]) == ("部门支出总体情况表", "总计",
                                                                         "支出预算 / 项目支出", 9)
    assert set(body) >= {"status", "answer", "values", "formula", "citations", "plan", "notes", "options"}


def test_ask_same_object_as_cli(client: TestClient, sample_dir: Path) -> None:
    from budgetqa.answer import ask

    store = Store(sample_dir)
    expected = ask(store, QUESTION).model_dump()
    store.close()
    body = client.post("/api/v1/ask", json={"question": QUESTION}).json()
    assert body.pop("session_id") is None
    assert body.pop("choices") == [] and len(body.pop("figures")) == len(expected["values"])
    assert body == json.loads(json.dumps(expected))


def test_ask_with_doc(client: TestClient) -> None:
    for doc in (DOC, "昌吉回族自治州机关事务管理局"):
        body = client.post("/api/v1/ask", json={"question": QUESTION, "doc": doc}).json()
        assert body["status"] == "answered", doc


def test_ask_refuses_with_reason(client: TestClient) -> None:
    body = client.post("/api/v1/ask", json={"question": "今天天气怎么样"}).json()
    assert body["status"] == "refused" and body["answer"]


def test_ask_unknown_document(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"question": QUESTION, "doc": "no-such-document"})
    assert response.status_code == 404
    assert error_of(response)["code"] == "unknown_document"


@pytest.mark.parametrize("payload", [
    {}, {"question": ""}, {"question": "   "}, {"question": "问" * 501}, {"question": 42},
    {"question": QUESTION, "session_id": "x" * 101}, [QUESTION],
])
def test_ask_validation_errors(client: TestClient, payload: object) -> None:
    response = client.post("/api/v1/ask", json=payload)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_request" and error["details"]


def test_ask_malformed_json(client: TestClient) -> None:
    response = client.post("/api/v1/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_request"


def test_ask_body_over_limit(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"question": QUESTION, "pad": "x" * 200_000})
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


def with_older_copy(tmp_path: Path) -> tuple[TestClient, str]:
    """An app over the sample and a copy of it saved as the same department's 2023 budget."""
    api = make_client(tmp_path, None)
    store = api.app.state.budgetqa.store
    older = store.load(DOC)
    older.year, older.doc_id = 2023, doc_id_for(older.department, 2023, older.kind)
    older.files = [dataclasses.replace(f, sha256="0" * 64) for f in older.files]
    store.save(older)
    return api, older.doc_id


def test_clarify_then_choose(tmp_path: Path, read_cache: ParseCache) -> None:
    """Two documents of one department: the question asks which; the chosen option answers."""
    api, older = with_older_copy(tmp_path)
    body = api.post("/api/v1/ask", json={"question": "项目支出是多少"}).json()
    assert body["status"] == "clarify" and len(body["options"]) == 2
    chosen = next(o for o in body["options"] if "2023" in o)
    again = api.post("/api/v1/ask", json={"question": "项目支出是多少", "doc": chosen}).json()
    assert again["status"] == "answered"
    assert {c["doc_id"] for c in again["citations"]} == {older}


def test_clarify_choices_follow_the_document_list(tmp_path: Path, read_cache: ParseCache) -> None:
    """The options come back as documents, labelled and ordered as GET /documents lists them."""
    api, _ = with_older_copy(tmp_path)
    listed = api.get("/api/v1/documents").json()
    body = api.post("/api/v1/ask", json={"question": "项目支出是多少"}).json()
    assert [(c["doc_id"], c["label"]) for c in body["choices"]] == [(d["doc_id"], d["label"]) for d in listed]
    assert [d["label"][-9:] for d in listed] == ["2024年部门预算", "2023年部门预算"]
    for choice in body["choices"]:
        again = api.post("/api/v1/ask", json={"question": "项目支出是多少", "doc": choice["doc_id"]}).json()
        assert {c["doc_id"] for c in again["citations"]} == {choice["doc_id"]}


@pytest.mark.parametrize(("question", "expected"), [
    ("一般公共预算比上年增长多少", [("down", "减少"), ("down", "下降"), (None, None)]),
    (QUESTION, [("up", "增加"), ("up", "增长"), (None, None)]),
    ("基本支出比项目支出多多少", [("down", "少"), (None, None), (None, None)]),
    ("三公经费比上年增长多少", [("same", "增加"), ("same", "增长"), (None, None)]),
    ("项目支出是多少", [(None, None)]),
])
def test_figures_carry_the_direction(client: TestClient, question: str, expected: list) -> None:
    """A decrease is never shown as a bare magnitude: every value says which way it moves."""
    body = client.post("/api/v1/ask", json={"question": question}).json()
    assert body["status"] == "answered"
    assert [(f["direction"], f["word"]) for f in body["figures"]] == expected
    assert [f["value"] for f in body["figures"]] == [v["value"] for v in body["values"]]


def test_unhandled_error_is_json_500(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(routes_ask, "ask", broken)
    response = TestClient(client.app, raise_server_exceptions=False).post("/api/v1/ask", json={"question": QUESTION})
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error" and "boom" not in json.dumps(error)


# --- suggestions -----------------------------------------------------------------------------

def test_suggestions_are_answerable(client: TestClient) -> None:
    response = client.get("/api/v1/suggestions", params={"limit": 12})
    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert {"项目支出是多少", "三公经费是多少", QUESTION} <= set(suggestions)
    assert 1 <= len(suggestions) <= 12 and len(set(suggestions)) == len(suggestions)
    for question in suggestions:
        assert client.post("/api/v1/ask", json={"question": question}).json()["status"] == "answered", question


def test_suggestions_name_their_document_when_several_are_loaded(tmp_path: Path, read_cache: ParseCache) -> None:
    """With two years of one department, each suggestion names department and year and is
    answered (never a clarifying question) from the document it names."""
    api, older = with_older_copy(tmp_path)
    suggestions = api.get("/api/v1/suggestions", params={"limit": 6}).json()["suggestions"]
    assert len(suggestions) == 6
    department = api.get("/api/v1/documents").json()[0]["department"]
    assert all(q.startswith(department) for q in suggestions), suggestions
    cited = set()
    for question in suggestions:
        body = api.post("/api/v1/ask", json={"question": question}).json()
        assert body["status"] == "answered", question
        year = "2023" if older in {c["doc_id"] for c in body["citations"]} else "2024"
        assert f"{year}年" in question
        cited.add(year)
    assert cited == {"2023", "2024"}


def test_suggestions_limits_and_doc(client: TestClient) -> None:
    assert len(client.get("/api/v1/suggestions", params={"limit": 3}).json()["suggestions"]) == 3
    assert client.get("/api/v1/suggestions", params={"doc": DOC}).status_code == 200
    assert error_of(client.get("/api/v1/suggestions", params={"limit": 0}))["code"] == "invalid_request"
    assert error_of(client.get("/api/v1/suggestions", params={"doc": "nope"}))["code"] == "unknown_document"


# --- documents and tables ------------------------------------------------------------------------

def test_documents(client: TestClient) -> None:
    docs = client.get("/api/v1/documents").json()
    assert [d["doc_id"] for d in docs] == [DOC]
    assert docs[0]["department"] == "昌吉回族自治州机关事务管理局" and docs[0]["year"] == 2024
    one = client.get(f"/api/v1/documents/{DOC}")
    assert one.status_code == 200 and one.json() == docs[0]


def test_unknown_document(client: TestClient) -> None:
    for path in ("/api/v1/documents/nope", "/api/v1/documents/nope/tables", "/api/v1/documents/nope/tables/t01"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "unknown_document"


def test_tables(client: TestClient) -> None:
    tables = client.get(f"/api/v1/documents/{DOC}/tables").json()
    assert tables[2]["table_id"] == "t03" and tables[2]["title"] == "部门支出总体情况表"
    assert all("cells" not in t for t in tables)


def test_table_json_and_csv(client: TestClient) -> None:
    by_label = client.get(f"/api/v1/documents/{DOC}/tables/表3").json()
    table = client.get(f"/api/v1/documents/{DOC}/tables/t03").json()
    assert by_label == table and table["unit"] == "万元" and table["pages"] == [9]
    assert any(c["row_name"] == "总计" and c["raw"] == "1,712.80" for c in table["cells"])
    response = client.get(f"/api/v1/documents/{DOC}/tables/t03", params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "编码,名称,支出预算/合计,支出预算/基本支出,支出预算/项目支出"
    assert lines[1] == ',总计,"2,155.66",442.86,"1,712.80"'


def test_unknown_table_and_format(client: TestClient) -> None:
    response = client.get(f"/api/v1/documents/{DOC}/tables/t99")
    assert response.status_code == 404 and error_of(response)["code"] == "unknown_table"
    response = client.get(f"/api/v1/documents/{DOC}/tables/t03", params={"format": "xml"})
    assert response.status_code == 422 and error_of(response)["code"] == "invalid_request"


# --- table view ------------------------------------------------------------------------------

def test_table_view_highlights_cited_cell(client: TestClient) -> None:
    cite = client.post("/api/v1/ask", json={"question": QUESTION}).json()["citations"][0]
    params = {"row": cite["row"], "col": cite["column"], "side": cite["side"] or "", "code": cite["row_code"] or ""}
    page = client.get(f"/documents/{cite['doc_id']}/tables/{cite['table_id']}/view", params=params)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert page.text.count('id="cited"') == 1
    cell = page.text.split('id="cited"', 1)[1].split("</td>", 1)[0]
    assert cell.endswith(">1,712.80")
    assert "部门支出总体情况表" in page.text and "万元" in page.text and "第 9 页" in page.text


def test_table_view_without_target_and_unknown(client: TestClient) -> None:
    page = client.get(f"/documents/{DOC}/tables/t01/view")
    assert page.status_code == 200 and 'id="cited"' not in page.text
    missing = client.get(f"/documents/{DOC}/tables/t03/view", params={"row": "没有这一行"})
    assert 'id="cited"' not in missing.text and "没有在表中找到" in missing.text
    for path in ("/documents/nope/tables/t01/view", f"/documents/{DOC}/tables/t99/view"):
        response = client.get(path)
        assert response.status_code == 404 and "text/html" in response.headers["content-type"], path


def test_table_view_escapes_text(client: TestClient) -> None:
    page = client.get(f"/documents/{DOC}/tables/t03/view", params={"row": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text


def test_cell_positions_match_grid(sample_dir: Path) -> None:
    store = Store(sample_dir)
    for table in store.tables(DOC):
        grid = table_grid(table)
        for cell in table.cells:
            r, c = cell_position(table, cell)
            assert grid[r][c] == cell.raw, (table.table_id, cell)
    store.close()


# --- admin: auth ---------------------------------------------------------------------------------

def test_admin_disabled_without_token(tmp_path: Path, read_cache: ParseCache) -> None:
    api = make_client(tmp_path, read_cache, with_sample=False)
    body, headers = multipart("sample_budget.pdf", SAMPLE.read_bytes())
    for response in (api.post("/api/v1/documents", content=body, headers={**headers, **AUTH}),
                     api.post("/api/v1/documents", content=body, headers=headers),
                     api.delete(f"/api/v1/documents/{DOC}", headers=AUTH)):
        assert response.status_code == 403
        assert error_of(response)["code"] == "admin_disabled"


@pytest.mark.parametrize(("headers", "code"), [
    ({}, "auth_required"),
    ({"Authorization": "Basic dXNlcjpwYXNz"}, "auth_required"),
    ({"Authorization": "Bearer "}, "auth_required"),
    ({"Authorization": "Bearer wrong-token"}, "invalid_token"),
    ({"Authorization": f"Bearer {TOKEN}x"}, "invalid_token"),
])
def test_admin_auth_failures(client: TestClient, headers: dict, code: str) -> None:
    body, form = multipart("x.pdf", b"%PDF-1.4\n")
    for response in (client.post("/api/v1/documents", content=body, headers={**form, **headers}),
                     client.delete(f"/api/v1/documents/{DOC}", headers=headers)):
        assert response.status_code == 401
        assert error_of(response)["code"] == code
        assert response.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/documents").json()[0]["doc_id"] == DOC


# --- admin: upload ----------------------------------------------------------------------------

def test_upload_pdf_then_unchanged(tmp_path: Path, read_cache: ParseCache) -> None:
    api = make_client(tmp_path, read_cache, with_sample=False, admin_token=TOKEN)
    files = {"file": ("sample_budget.pdf", SAMPLE.read_bytes(), "application/pdf")}
    first = api.post("/api/v1/documents", files=files, headers=AUTH)
    assert first.status_code == 201, first.text
    result = first.json()
    assert (result["doc_id"], result["status"], result["file_name"]) == (DOC, "added", "sample_budget.pdf")
    assert result["tables"] == 14 and result["cells"] > 0
    again = api.post("/api/v1/documents", files=files, headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert [d["doc_id"] for d in api.get("/api/v1/documents").json()] == [DOC]
    assert api.post("/api/v1/ask", json={"question": QUESTION}).json()["status"] == "answered"


@pytest.mark.parametrize(("name", "data", "status", "code"), [
    ("picture.png", PNG, 415, "unsupported"),
    ("report.pdf", PNG, 415, "unsupported"),
    ("empty.pdf", b"", 422, "empty"),
    ("notes.txt", "这不是预算公开，只是一段文字。\n".encode(), 422, "not_a_disclosure"),
    ("broken.pdf", b"%PDF-1.4\n this is not really a pdf", 422, "corrupt"),
])
def test_upload_bad_files(client: TestClient, name: str, data: bytes, status: int, code: str) -> None:
    response = client.post("/api/v1/documents", files={"file": (name, data)}, headers=AUTH)
    assert response.status_code == status, response.text
    assert error_of(response)["code"] == code
    assert [d["doc_id"] for d in client.get("/api/v1/documents").json()] == [DOC]


@pytest.mark.parametrize(("given", "expected"), [
    ("sample_budget.pdf", "sample_budget.pdf"), ("../../etc/passwd", "passwd"), ("C:\\dir\\预算.pdf", "预算.pdf"),
    ("", "upload"), (None, "upload"), ("..", "upload"), ("a\x00b.txt", "ab.txt"), ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
])
def test_upload_names_are_safe(given: str | None, expected: str) -> None:
    assert safe_name(given) == expected


def test_upload_without_file_field(client: TestClient) -> None:
    for response in (client.post("/api/v1/documents", data={"other": "x"}, headers=AUTH),
                     client.post("/api/v1/documents", json={"file": "x"}, headers=AUTH)):
        assert response.status_code == 422
        assert error_of(response)["code"] == "missing_file"


@pytest.mark.parametrize("keep", [True, False])
def test_table_view_links_pages_to_the_kept_pdf(tmp_path: Path, read_cache: ParseCache, keep: bool) -> None:
    """An uploaded PDF is kept (unless BUDGETQA_KEEP_FILES=false): the table view's page numbers
    open that page of it, and the file is served as it was uploaded."""
    api = make_client(tmp_path, read_cache, with_sample=False, admin_token=TOKEN, keep_files=keep)
    files = {"file": ("sample_budget.pdf", SAMPLE.read_bytes(), "application/pdf")}
    assert api.post("/api/v1/documents", files=files, headers=AUTH).status_code == 201
    page = api.get(f"/documents/{DOC}/tables/t03/view", params={"row": "总计", "col": "支出预算 / 项目支出"}).text
    link = f'href="/documents/{DOC}/files/sample_budget.pdf#page=9"'
    assert (page.count(link) == 2) == keep, page
    pdf = api.get(f"/documents/{DOC}/files/sample_budget.pdf")
    if keep:
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content == SAMPLE.read_bytes()
    else:
        assert pdf.status_code == 404


def test_upload_oversized_by_content_length(tmp_path: Path, read_cache: ParseCache) -> None:
    api = make_client(tmp_path, read_cache, with_sample=False, admin_token=TOKEN, max_file_mb=0.05)
    body, headers = multipart("big.pdf", b"%PDF-1.4\n" + b"0" * 400_000)
    response = api.post("/api/v1/documents", content=body, headers={**headers, **AUTH})
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


def test_upload_oversized_chunked(tmp_path: Path, read_cache: ParseCache) -> None:
    """No Content-Length: the body is counted as it streams and cut off past the limit."""
    api = make_client(tmp_path, read_cache, with_sample=False, admin_token=TOKEN, max_file_mb=0.05)
    body, headers = multipart("big.pdf", b"%PDF-1.4\n" + b"0" * 400_000)
    chunks = (body[i:i + 16_384] for i in range(0, len(body), 16_384))
    response = api.post("/api/v1/documents", content=chunks, headers={**headers, **AUTH})
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


def test_upload_file_over_limit_within_body_slack(tmp_path: Path, read_cache: ParseCache) -> None:
    """A file just over max_file_mb passes the body limit (multipart slack) and is refused by ingest's check."""
    api = make_client(tmp_path, read_cache, with_sample=False, admin_token=TOKEN, max_file_mb=0.05)
    response = api.post("/api/v1/documents", headers=AUTH,
                        files={"file": ("big.pdf", b"%PDF-1.4\n" + b"0" * 60_000, "application/pdf")})
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


async def _drain_app(scope, receive, send) -> None:
    """An app that reads its whole body, then answers 200."""
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_body_limit_stops_reading() -> None:
    asyncio.run(_body_limit_stops_reading())


async def _body_limit_stops_reading() -> None:
    """The middleware stops pulling the body once past the limit: an endless upload is never read whole."""
    reads = 0

    async def endless() -> dict:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 65_536, "more_body": True}

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    app = BodyLimitMiddleware(_drain_app, limit_for=lambda scope: 1_000_000)
    scope = {"type": "http", "method": "POST", "path": "/api/v1/documents", "headers": []}
    with pytest.raises(Exception) as raised:
        await app(scope, endless, send)
    assert getattr(raised.value, "status_code", None) == 413
    assert reads <= 1_000_000 // 65_536 + 1

    sent.clear()
    scope["headers"] = [(b"content-length", b"5000000")]
    reads = 0
    await app(scope, endless, send)
    assert reads == 0 and sent[0]["status"] == 413


# --- admin: delete -------------------------------------------------------------------------------

def test_delete_document(tmp_path: Path, read_cache: ParseCache) -> None:
    api = make_client(tmp_path, read_cache, admin_token=TOKEN)
    response = api.delete(f"/api/v1/documents/{DOC}", headers=AUTH)
    assert response.status_code == 200 and response.json() == {"deleted": DOC}
    assert api.get("/api/v1/documents").json() == []
    assert error_of(api.get(f"/api/v1/documents/{DOC}"))["code"] == "unknown_document"
    again = api.delete(f"/api/v1/documents/{DOC}", headers=AUTH)
    assert again.status_code == 404 and error_of(again)["code"] == "unknown_document"


# --- CORS, routing errors, concurrency ---------------------------------------------------------------

def test_cors(client: TestClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = client.options("/api/v1/ask", headers={"Origin": ORIGIN, **preflight})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == ORIGIN
    other = client.options("/api/v1/ask", headers={"Origin": "http://elsewhere.example", **preflight})
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
    admin = client.options("/api/v1/documents", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"})
    assert admin.status_code == 400, "the admin token is never sent cross-origin"
    simple = client.get("/api/v1/suggestions", headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN


def test_no_cors_by_default(tmp_path: Path, read_cache: ParseCache) -> None:
    api = make_client(tmp_path, read_cache, with_sample=False)
    response = api.get("/api/v1/documents", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


def test_routing_errors(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and error_of(missing)["code"] == "not_found"
    wrong = client.put("/api/v1/ask", json={"question": QUESTION})
    assert wrong.status_code == 405 and error_of(wrong)["code"] == "method_not_allowed"


def test_reads_never_see_a_half_written_document(tmp_path: Path, read_cache: ParseCache) -> None:
    """Asks in threads while the same document is rewritten again and again: every ask answers."""
    api = make_client(tmp_path, read_cache)
    store = api.app.state.budgetqa.store
    doc = store.load(DOC)
    results: list[str] = []
    stop = threading.Event()

    def asker() -> None:
        while not stop.is_set():
            body = api.post("/api/v1/ask", json={"question": QUESTION}).json()
            results.append(body["status"] if body["status"] != "answered" else body["values"][0]["value"])

    threads = [threading.Thread(target=asker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(15):
        store.save(doc)
    stop.set()
    for thread in threads:
        thread.join()
    assert results and set(results) == {"1433.31"}


def test_read_write_lock_excludes_writers() -> None:
    lock = ReadWriteLock()
    order: list[str] = []

    def write() -> None:
        with lock.writing():
            order.append("write")

    with lock.reading():
        writer = threading.Thread(target=write)
        writer.start()
        writer.join(0.1)
        assert writer.is_alive() and not order, "a writer waits for readers"
        order.append("read done")
    writer.join(1)
    assert order == ["read done", "write"]


def test_audit_endpoint_json_and_html(client: TestClient) -> None:
    doc_id = client.get("/api/v1/documents").json()[0]["doc_id"]
    report = client.get(f"/api/v1/documents/{doc_id}/audit")
    assert report.status_code == 200
    body = report.json()
    assert body["doc_id"] == doc_id and body["checked"] > 100
    assert set(body["summary"]) >= {"error", "warning", "rounding"}
    page = client.get(f"/api/v1/documents/{doc_id}/audit?format=html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text
    assert client.get("/api/v1/documents/nosuchdoc/audit").status_code == 404


def test_audit_question_through_ask(client: TestClient) -> None:
    answer = client.post("/api/v1/ask", json={"question": "这份公开有没有数据不一致的地方"}).json()
    assert answer["status"] == "answered"
    assert answer["plan"]["operation"] == "audit"
    assert "勾稽" in answer["answer"]
