"""The command line: ingest a folder, then list documents and tables and show one table as laid out."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import CPPCC_NARRATIVE, CPPCC_TABLES, FINAL_2024, WANLI_2024, corpus_file
from typer.testing import CliRunner, Result

from budgetqa.cli import app
from budgetqa.ingest.parse_cache import ParseCache

pytestmark = pytest.mark.corpus

FOLDER_FILES = [FINAL_2024, WANLI_2024, CPPCC_NARRATIVE, CPPCC_TABLES]
DOC_KEYS = {"doc_id", "department", "region", "level", "year", "kind", "scope", "unit", "title", "pages", "tables",
            "cells", "facts", "chunks", "files", "profile", "aliases", "metadata_warnings", "label"}
FILE_KEYS = {"file_name", "sha256", "pages", "size", "role"}
TABLE_KEYS = {"table_id", "label", "title", "kind", "unit", "pages", "sides", "columns", "empty_statement",
              "source_file"}
CELL_KEYS = {"side", "row_index", "row_code", "row_name", "row_subject", "parent_code", "level", "col_index",
             "col_path", "state", "value", "value_wan", "unit", "page", "raw", "ambiguous"}


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def cli_store(read_cache: ParseCache, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """A folder (with a sub-folder and a stray non-disclosure file type) ingested by `budgetqa ingest`."""
    root = tmp_path_factory.mktemp("cli")
    folder = root / "disclosures"
    (folder / "jiangsu").mkdir(parents=True)
    for name in FOLDER_FILES:
        target = folder / ("jiangsu" if name.startswith("江苏") else ".") / name
        target.symlink_to(corpus_file(name))
    (folder / "README.md").write_text("not ingested: .md is not a supported suffix", encoding="utf-8")
    (folder / "jiangsu" / "预算说明.docx").write_bytes(b"PK\x03\x04")
    data_dir = root / "store"
    result = run("ingest", str(folder), "--data-dir", str(data_dir))
    return data_dir, result


def test_ingest_folder(cli_store: tuple[Path, Result]) -> None:
    data_dir, result = cli_store
    assert result.exit_code == 0, result.output
    assert result.stdout.count("added") == 3 and result.stdout.count("merged") == 1
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(skipped) == 2, result.stderr
    assert "README.md" in skipped[0] and ".md" in skipped[0] and "unsupported file type" in skipped[0]
    assert "预算说明.docx" in skipped[1] and "不支持的文件类型 .docx" in skipped[1]
    assert (data_dir / "budgetqa.sqlite3").is_file()
    assert len(list((data_dir / "files").glob("*.pdf"))) == len(FOLDER_FILES), "each PDF is kept for page links"


def test_ingest_folder_again_is_unchanged(cli_store: tuple[Path, Result]) -> None:
    data_dir, first = cli_store
    folder = data_dir.parent / "disclosures"
    before = json.loads(run("docs", "--data-dir", str(data_dir), "--json").stdout)
    result = run("ingest", str(folder), "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout.count("unchanged") == 4
    assert json.loads(run("docs", "--data-dir", str(data_dir), "--json").stdout) == before


def test_docs_json(cli_store: tuple[Path, Result]) -> None:
    data_dir, _ = cli_store
    result = run("docs", "--data-dir", str(data_dir), "--json")
    assert result.exit_code == 0, result.output
    docs = json.loads(result.stdout)
    assert all(set(d) == DOC_KEYS for d in docs)
    assert all(set(f) == FILE_KEYS for d in docs for f in d["files"])
    by_department = {d["department"]: d for d in docs}
    assert set(by_department) == {"上海市普陀区财政局", "上海市普陀区人民政府万里街道办事处", "江苏省政协办公厅"}
    final = by_department["上海市普陀区财政局"]
    assert (final["year"], final["kind"], final["unit"], final["pages"], final["tables"]) == (2024, "决算", "万元", 25, 9)
    assert [f["file_name"] for f in final["files"]] == [FINAL_2024]
    assert final["files"][0]["size"] == corpus_file(FINAL_2024).stat().st_size
    assert len(final["files"][0]["sha256"]) == 64
    cppcc = by_department["江苏省政协办公厅"]
    assert sorted(f["file_name"] for f in cppcc["files"]) == sorted([CPPCC_NARRATIVE, CPPCC_TABLES])
    assert (cppcc["year"], cppcc["kind"], cppcc["tables"], cppcc["pages"]) == (2019, "预算", 12, 30)
    assert by_department["上海市普陀区人民政府万里街道办事处"]["unit"] == "元"


def test_docs_table_view(cli_store: tuple[Path, Result]) -> None:
    data_dir, _ = cli_store
    result = run("docs", "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.output
    assert "决算" in result.stdout and "预算" in result.stdout


def test_tables_json(cli_store: tuple[Path, Result]) -> None:
    data_dir, _ = cli_store
    result = run("tables", "财政局", "--data-dir", str(data_dir), "--json")
    assert result.exit_code == 0, result.output
    tables = json.loads(result.stdout)
    assert all(set(t) == TABLE_KEYS for t in tables)
    assert [t["table_id"] for t in tables] == [f"t{i:02d}" for i in range(1, 10)]
    assert [t["kind"] for t in tables] == [
        "收支总表", "收入表", "支出表", "财政拨款收支总表", "一般公共预算支出表", "基本支出表", "三公经费表",
        "政府性基金表", "国有资本经营表",
    ]
    assert tables[1]["pages"] == [8, 9]
    assert tables[0]["sides"] == ["收入", "支出"]
    assert tables[2]["columns"] == {"": [["本年支出合计"], ["基本支出"], ["项目支出"], ["上缴上级支出"], ["经营支出"],
                                        ["对附属单位补助支出"]]}
    assert [t["empty_statement"] is not None for t in tables] == [False] * 7 + [True] * 2
    assert {t["source_file"] for t in tables} == {FINAL_2024}


def test_tables_unknown_document(cli_store: tuple[Path, Result]) -> None:
    data_dir, _ = cli_store
    result = run("tables", "no-such-department", "--data-dir", str(data_dir), "--json")
    assert result.exit_code == 2
    assert "没有与“no-such-department”对应的公开文件" in result.stderr
    assert "No document matches 'no-such-department'" in result.stderr


@pytest.mark.parametrize("command", [
    ["tables", "2024"], ["table", "2024", "t01"], ["ask", "项目支出是多少", "--doc", "2024"], ["audit", "2024"],
    ["chat", "--doc", "2024"],
])
def test_ambiguous_document_lists_the_candidates(cli_store: tuple[Path, Result], command: list[str]) -> None:
    """Every command that takes a DOC lists what it may mean, in both languages, and exits 2."""
    data_dir, _ = cli_store
    docs = json.loads(run("docs", "--data-dir", str(data_dir), "--json").stdout)
    result = run(*command, "--data-dir", str(data_dir))
    assert result.exit_code == 2, result.output
    assert "对应 2 份公开文件" in result.stderr and "2 documents match '2024'" in result.stderr
    for doc in docs:
        assert (f"{doc['doc_id']}  {doc['label']}" in result.stderr) == (doc["year"] == 2024)


@pytest.mark.parametrize("command", ["docs", "tables", "table", "ask", "audit", "chat", "eval"])
def test_flags_read_as_flags_in_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout


def test_table_headers_in_full(cli_store: tuple[Path, Result]) -> None:
    """The table view wraps long headers instead of cutting them: every header is printed whole."""
    data_dir, _ = cli_store
    narrow = run("table", "政协", "公开04表", "--data-dir", str(data_dir))
    assert narrow.exit_code == 0, narrow.output
    assert "…" not in narrow.stdout
    headers = [h for h in _csv(run("table", "政协", "公开04表", "--data-dir", str(data_dir), "--csv"))[0]
               if not h.endswith("编码")]
    wide = CliRunner().invoke(app, ["table", "政协", "公开04表", "--data-dir", str(data_dir)], env={"COLUMNS": "400"})
    assert all(h in wide.stdout for h in headers), headers


def _csv(result: Result) -> list[list[str]]:
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def test_table_csv_as_laid_out(cli_store: tuple[Path, Result]) -> None:
    """支出决算表 as CSV: header, then the rows in printed order with the printed values."""
    data_dir, _ = cli_store
    rows = _csv(run("table", "财政局", "支出表", "--data-dir", str(data_dir), "--csv"))
    assert rows[0] == ["编码", "名称", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
    assert rows[1] == ["", "合计", "2,940.05", "2,336.91", "603.14", "", "", ""]
    assert rows[2] == ["201", "一般公共服务支出", "2,106.66", "1,503.52", "603.14", "", "", ""]
    assert rows[4] == ["201 06 01", "行政运行", "1,511.89", "1,503.52", "8.37", "", "", ""]
    assert rows[12] == ["208 05 06", "机关事业单位职业年金缴费支出", "80.38", "80.38", "", "", "", ""]
    assert rows[-1] == ["221 02 03", "购房补贴", "258.50", "258.50", "", "", "", ""]
    assert len(rows) == 21


def test_table_csv_two_sided(cli_store: tuple[Path, Result]) -> None:
    """A two-sided table prints its sides next to each other, as on the page."""
    data_dir, _ = cli_store
    rows = _csv(run("table", "财政局", "收支总表", "--data-dir", str(data_dir), "--csv"))
    assert rows[0] == ["收入:编码", "收入:名称", "决算数", "支出:编码", "支出:名称", "决算数"]
    assert rows[1] == ["", "一、一般公共预算财政拨款收入", "2,940.05", "", "一、一般公共服务支出", "2,106.66"]
    assert ["", "八、其他收入", "6.20", "", "八、社会保障和就业支出", "326.71"] in rows
    assert rows[-1] == ["", "", "", "", "总计", "2,995.39"]


def test_table_csv_in_yuan(cli_store: tuple[Path, Result]) -> None:
    """万里's tables are shown in 元 as printed (the CSV is the page, not a conversion)."""
    data_dir, _ = cli_store
    rows = _csv(run("table", "万里街道", "收支总表", "--data-dir", str(data_dir), "--csv"))
    assert rows[1][:3] == ["", "一、财政拨款收入", "156,211,123"]


def test_table_by_id_and_label_json(cli_store: tuple[Path, Result]) -> None:
    data_dir, _ = cli_store
    by_label = run("table", "政协", "公开04表", "--data-dir", str(data_dir), "--json")
    assert by_label.exit_code == 0, by_label.output
    table = json.loads(by_label.stdout)
    assert set(table) == TABLE_KEYS | {"cells"}
    assert all(set(c) == CELL_KEYS for c in table["cells"])
    assert (table["table_id"], table["kind"]) == ("t04", "财政拨款收支总表")
    by_id = run("table", "政协", "t04", "--data-dir", str(data_dir), "--json")
    assert json.loads(by_id.stdout) == table
    yuan = json.loads(run("table", "万里街道", "t01", "--data-dir", str(data_dir), "--json").stdout)
    cell = next(c for c in yuan["cells"] if c["row_name"] == "收入总计" and c["state"] == "value")
    assert (cell["value"], cell["value_wan"], cell["unit"], cell["page"]) == ("156211123", "15621.1123", "元", 10)


def test_table_unknown(cli_store: tuple[Path, Result]) -> None:
    data_dir, _ = cli_store
    result = run("table", "财政局", "项目支出表", "--data-dir", str(data_dir), "--csv")
    assert result.exit_code == 2
    assert "项目支出表" in result.stderr


@pytest.mark.parametrize("eval_set", ["retrieval.jsonl", "holdout_public6.jsonl", "documents.jsonl"])
def test_eval_without_the_shared_documents_scores_nothing_and_passes(
        eval_set: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clone without ../shared: every gate says its documents are absent and exits 0, never crashes."""
    monkeypatch.setenv("BUDGETQA_SHARED", str(tmp_path / "absent"))
    sets = Path(__file__).resolve().parents[1] / "eval" / "sets"
    result = run("eval", str(sets / eval_set), "--report", str(tmp_path / "r.json"), "--min-accuracy", "90",
                 "--min-hit1", "90")
    assert result.exit_code == 0, result.stdout
