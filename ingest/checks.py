"""Reject bad input before parsing: missing, empty, oversized, or not a PDF/text file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from budgetqa.ingest.errors import IngestError

TEXT_SUFFIXES = {".txt", ".text"}


def file_kind(path: Path, max_mb: float) -> str:
    """"pdf" or "text", or raise IngestError saying why the file is refused."""
    if not path.is_file():
        raise IngestError(path.name, "missing", "no such file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(path.name, "empty", "the file is empty")
    if size > max_mb * 1024 * 1024:
        raise IngestError(
            path.name, "too_large", f"the file is {size / 1024 / 1024:.1f} MB, over the {max_mb:g} MB limit"
        )
    with path.open("rb") as fh:
        head = fh.read(1024)
    if head.lstrip().startswith(b"%PDF"):
        return "pdf"
    if path.suffix.lower() == ".pdf":  # a text dump or a web page saved under a .pdf name
        raise IngestError(path.name, "unsupported", "named .pdf but not a PDF (it does not begin with %PDF)")
    if path.suffix.lower() in TEXT_SUFFIXES or _is_utf8_text(path) or _is_chinese_text(path):
        if not read_text(path)[0].strip():
            raise IngestError(path.name, "empty", "the file holds no text")
        return "text"
    raise IngestError(path.name, "unsupported", "not a PDF or text file (UTF-8, GB18030/GBK …)")


CHINESE_ENCODINGS = {"gb18030", "gbk", "gb2312", "big5", "big5hkscs", "utf_16", "utf_16_le", "utf_16_be"}
"""Encodings besides UTF-8 a text dump may come in (as charset-normalizer names them)."""


def read_text(path: Path) -> tuple[str, str]:
    """A text dump's text and encoding: UTF-8, else what charset-normalizer detects (GB18030, GBK …)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(path.name, "bad_encoding", "the text is neither UTF-8 nor in an encoding that could be "
                                                     "recognised (GB18030, GBK, Big5, UTF-16 …)")
    return str(best), best.encoding


def _is_chinese_text(path: Path) -> bool:
    """A text file in a Chinese or UTF-16 encoding (charset-normalizer's best guess)."""
    from charset_normalizer import from_bytes

    data = path.read_bytes()[:65536]
    best = from_bytes(data).best()
    return best is not None and best.encoding in CHINESE_ENCODINGS


def check_page_count(path: Path, max_pages: int) -> None:
    """Refuse a PDF of more than ``max_pages`` pages from its page tree alone (no page is parsed).

    A file whose page tree cannot be read is left to the parser to report."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        with path.open("rb") as fh:
            count = int(resolve1(resolve1(PDFDocument(PDFParser(fh)).catalog["Pages"])["Count"]))
    except Exception:  # broken or encrypted: the parser says which
        return
    if count > max_pages:
        raise IngestError(path.name, "too_many_pages",
                          f"the PDF has {count} pages, over the {max_pages}-page limit (BUDGETQA_MAX_PAGES)")


def _is_utf8_text(path: Path) -> bool:
    data = path.read_bytes()[:65536]
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(data) - 4  # a character cut at the sample's end
    return True


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
