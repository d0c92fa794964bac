"""Bad input is refused with a reason and a message naming the file, and the store stays as it was."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CORPUS, FINAL_2024, WANLI_2024, corpus_file, store_counts
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from budgetqa.cli import app
from budgetqa.index.store import Store
from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.parse_cache import ParseCache
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.settings import Settings

FONT = "STSong-Light"
LETTER = [
    "关于召开春季运动会的通知",
    "各单位：",
    "经研究，定于四月十二日上午九时在体育馆举行春季运动会，",
    "请各单位组织职工准时参加，并于四月五日前报送参赛名单。",
    "特此通知。",
    "工会办公室",
]


def _canvas(path: Path, **kwargs: object) -> canvas.Canvas:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return canvas.Canvas(str(path), pagesize=A4, invariant=1, **kwargs)


def _write_lines(pdf: canvas.Canvas, lines: list[str]) -> None:
    pdf.setFont(FONT, 14)
    for i, line in enumerate(lines):
        pdf.drawString(72, 760 - 28 * i, line)


def make_docx(path: Path) -> Path:
    """A Word file (a zip of XML parts), the way a .docx disclosure would arrive."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document>部门预算</w:document>")
    return path


def make_random(path: Path) -> Path:
    path.write_bytes(random.Random(7).randbytes(8192))
    return path


def make_truncated(path: Path) -> Path:
    """The first 2,000 bytes of a real disclosure PDF."""
    path.write_bytes(corpus_file(WANLI_2024).read_bytes()[:2000])
    return path


def make_encrypted(path: Path) -> Path:
    """A password-protected PDF with Chinese text in it."""
    pdf = _canvas(path, encrypt=StandardEncryption("pw", canPrint=0))
    _write_lines(pdf, ["2024年部门预算", "单位：万元", "合计 1,234.56"])
    pdf.save()
    return path


def make_scanned_shapes(path: Path) -> Path:
    """Two pages of ruled boxes and strokes with no text layer, like a scan drawn as vectors."""
    pdf = _canvas(path)
    for _ in range(2):
        for row in range(20):
            pdf.rect(60, 780 - 30 * row, 470, 24)
            pdf.line(200, 780 - 30 * row, 200, 804 - 30 * row)
        pdf.showPage()
    pdf.save()
    return path


def make_scanned_image(path: Path) -> Path:
    """A page that is one raster image (a real scan), no text."""
    image_module = pytest.importorskip("PIL.Image")
    from reportlab.lib.utils import ImageReader

    image = image_module.new("L", (600, 800), 255)
    for y in range(100, 700, 40):
        for x in range(80, 520):
            image.putpixel((x, y), 0)
    pdf = _canvas(path)
    pdf.drawImage(ImageReader(image), 40, 40, width=500, height=700)
    pdf.showPage()
    pdf.save()
    return path


def make_letter(path: Path) -> Path:
    """A one-page letter: real text, no tables, nothing about a budget."""
    pdf = _canvas(path)
    _write_lines(pdf, LETTER)
    pdf.showPage()
    pdf.save()
    return path


def make_page_bomb(path: Path, pages: int = 501) -> Path:
    """More small pages than BUDGETQA_MAX_PAGES allows (the default 500), each with a line of text."""
    pdf = _canvas(path)
    pdf.setPageSize((72, 72))
    for page in range(pages):
        pdf.setFont(FONT, 6)
        pdf.drawString(4, 30, f"第{page + 1}页 预算")
        pdf.showPage()
    pdf.save()
    return path


def make_text_named_pdf(path: Path) -> Path:
    """A budget text dump saved under a .pdf name: refused as not a PDF, never read as text."""
    path.write_text("2024年部门预算\n一、部门主要职责\n项目支出 100.00 万元\n", encoding="utf-8")
    return path


def make_empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def make_blank_text(path: Path) -> Path:
    path.write_text("  \n\n\t\n", encoding="utf-8")
    return path


BAD_INPUTS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("report.docx", make_docx, "unsupported"),
    ("noise.bin", make_random, "unsupported"),
    ("noise.pdf", make_random, "unsupported"),
    ("truncated.pdf", make_truncated, "corrupt"),
    ("locked.pdf", make_encrypted, "encrypted"),
    ("scan-vector.pdf", make_scanned_shapes, "needs_ocr"),
    ("scan-image.pdf", make_scanned_image, "needs_ocr"),
    ("letter.pdf", make_letter, "not_a_disclosure"),
    ("dump.pdf", make_text_named_pdf, "unsupported"),
    ("empty.pdf", make_empty, "empty"),
    ("pages.pdf", make_page_bomb, "too_many_pages"),
    ("blank.txt", make_blank_text, "empty"),
]


@pytest.fixture(scope="module")
def populated(read_cache: ParseCache, tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Settings]:
    """A store that already holds a document (when the corpus is there), so "unchanged" means something."""
    data_dir = tmp_path_factory.mktemp("bad-input-store")
    settings = Settings(data_dir=data_dir)
    store = Store(data_dir)
    if (CORPUS / WANLI_2024).is_file():
        ingest_file(store, CORPUS / WANLI_2024, settings)
    return store, settings


def _refused(store: Store, path: Path, settings: Settings) -> IngestError:
    versions = "SELECT doc_id, version, status FROM versions ORDER BY doc_id, version"
    before = (store_counts(store), store.db.execute(versions).fetchall())
    with pytest.raises(IngestError) as caught:
        ingest_file(store, path, settings)
    assert (store_counts(store), store.db.execute(versions).fetchall()) == before
    return caught.value


@pytest.mark.parametrize(("name", "make", "reason"), BAD_INPUTS, ids=[n for n, _, _ in BAD_INPUTS])
def test_bad_input_is_refused(
    populated: tuple[Store, Settings], tmp_path: Path, name: str, make: Callable[[Path], Path], reason: str
) -> None:
    store, settings = populated
    path = make(tmp_path / name)
    error = _refused(store, path, settings)
    assert (error.reason, error.file_name) == (reason, name)
    assert str(error).startswith(f"{name}: ") and error.message


def test_oversized_file_is_refused_before_parsing(populated: tuple[Store, Settings]) -> None:
    store, settings = populated
    path = corpus_file(FINAL_2024)
    small = Settings(data_dir=settings.data_dir, max_file_mb=0.01)
    error = _refused(store, path, small)
    assert (error.reason, error.file_name) == ("too_large", path.name)
    assert "3.5 MB" in error.message and "0.01 MB" in error.message


def test_missing_file_is_refused(populated: tuple[Store, Settings], tmp_path: Path) -> None:
    store, settings = populated
    error = _refused(store, tmp_path / "nowhere.pdf", settings)
    assert (error.reason, error.file_name) == ("missing", "nowhere.pdf")


def test_letter_with_budget_words_but_no_tables_is_still_not_a_disclosure(
    populated: tuple[Store, Settings], tmp_path: Path
) -> None:
    """A letter that mentions a 预算 and a year but prints no table and no figures is refused."""
    store, settings = populated
    path = tmp_path / "notice.pdf"
    pdf = _canvas(path)
    _write_lines(pdf, ["关于报送2024年部门预算的通知", "各单位：", "请于三月底前报送本单位2024年部门预算。", "财政局"])
    pdf.showPage()
    pdf.save()
    error = _refused(store, path, settings)
    assert error.reason == "not_a_disclosure"


@pytest.mark.parametrize("bad_name", ["bad.pdf", "江苏省某某厅2019年度部门预算公开表（修订版）副本.pdf"], ids=["short", "long-name"])
def test_cli_reports_the_bad_file_and_keeps_the_good_one(read_cache: ParseCache, tmp_path: Path, bad_name: str) -> None:
    """`budgetqa ingest good.pdf bad.pdf`: exit 1, one error line naming bad.pdf (and the failed-files
    table at the end), good.pdf stored."""
    good = corpus_file(WANLI_2024)
    bad = make_random(tmp_path / bad_name)
    data_dir = tmp_path / "cli-store"
    result = CliRunner().invoke(app, ["ingest", str(good), str(bad), "--data-dir", str(data_dir)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1, result.stderr
    assert "1 of 2 files ingested" in result.stderr and "unsupported" in result.stderr.split("1 failed")[1]
    assert errors[0].startswith(f"error {bad_name}:") and "unsupported" in errors[0], result.stderr
    assert "错误 只接受 PDF 或文本文件" in errors[0], result.stderr
    assert "Traceback" not in result.output
    assert "added" in result.stdout
    documents = Store(data_dir).documents()
    assert [(d["department"], [f["file_name"] for f in d["files"]]) for d in documents] == [
        ("上海市普陀区人民政府万里街道办事处", [good.name]),
    ]
