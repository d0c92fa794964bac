"""Errors as JSON: a stable code with a Chinese and an English message.

Every error the service returns has the shape
``{"error": {"code": "...", "message_zh": "...", "message_en": "..."}}``
(validation errors add ``details``). Codes are stable; messages may be reworded.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from budgetqa.ingest.errors import IngestError

log = logging.getLogger("budgetqa.service")

MESSAGES: dict[str, tuple[str, str]] = {
    "not_found": ("没有这个地址。", "No such path."),
    "method_not_allowed": ("这个地址不支持该请求方法。", "This path does not accept that method."),
    "invalid_request": ("请求的格式或内容不正确。", "The request is malformed or invalid."),
    "unknown_document": ("没有找到这份公开文件。", "No such document."),
    "unknown_version": ("这份公开文件没有这个版本。", "No such version of this document."),
    "unknown_table": ("这份公开文件中没有这张表。", "No such table in this document."),
    "auth_required": ("需要管理员令牌。", "An admin token is required (Authorization: Bearer <token>)."),
    "invalid_token": ("管理员令牌不正确。", "The admin token is not valid."),
    "admin_disabled": ("服务没有配置管理员令牌，管理功能已关闭。",
                       "Admin endpoints are disabled: no admin token is configured."),
    "missing_file": ("请用 file 字段上传一个文件。", "Upload one file in the multipart field 'file'."),
    "too_large": ("文件或请求太大。", "The file or request body is over the size limit."),
    "unsupported": ("只接受 PDF 或文本文件（UTF-8、GB18030/GBK 等编码）。",
                    "Only PDF or text files (UTF-8, GB18030/GBK …) are accepted."),
    "empty": ("文件是空的。", "The file is empty."),
    "missing": ("文件不存在。", "No such file."),
    "corrupt": ("PDF 文件已损坏，无法读取。", "The PDF is corrupt and cannot be read."),
    "encrypted": ("PDF 文件有密码保护，无法读取。", "The PDF is encrypted (password-protected)."),
    "needs_ocr": ("PDF 没有文字层（可能是扫描件），需要先做文字识别。",
                  "The PDF has no text layer (scanned?); it needs OCR first."),
    "not_a_disclosure": ("文件中没有可识别的预算或决算表格、说明。",
                         "No recognisable budget or final-accounts tables or narrative."),
    "blank": ("表格中没有数字（可能是空白模板）。", "The tables hold no figures (a blank template?)."),
    "no_department": ("无法从文件中读出部门名称。", "Could not read the department's name from the document."),
    "too_many_pages": ("PDF 页数超过上限。", "The PDF has more pages than the limit (BUDGETQA_MAX_PAGES)."),
    "too_much_memory": ("解析这个文件需要的内存超过上限。", "Parsing the file needed more memory than the limit."),
    "timeout": ("解析这个文件超时。", "Parsing the file took longer than the time limit."),
    "bad_encoding": ("无法识别文本文件的编码。", "The text file's encoding could not be read."),
    "bad_file": ("文件无法读取。", "The file could not be read."),
    "internal_error": ("服务内部出错，请稍后再试。", "Internal server error; please try again later."),
}

INGEST_STATUS = {"too_large": 413, "too_many_pages": 413, "too_much_memory": 413, "unsupported": 415}
"""HTTP status for an ingest rejection reason; any other reason is 422."""

_STATUS_CODES = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large",
                 415: "unsupported", 422: "invalid_request"}


class ErrorDetail(BaseModel):
    code: str
    message_zh: str
    message_en: str
    details: list[dict] | None = None


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


def _documented(described: dict[int, str]) -> dict[int | str, dict]:
    return {status: {"model": ErrorBody, "description": text} for status, text in described.items()}


ERROR_RESPONSES = _documented({
    400: "Malformed request.", 404: "No such document, table or path.", 405: "Method not allowed.",
    413: "Request body over the limit.", 422: "Invalid request (details name the field).",
    500: "Internal error (logged; the body never holds internals).",
})
"""Error statuses any API route can answer, for the OpenAPI document."""
ADMIN_RESPONSES = _documented({401: "No or a wrong admin token.", 403: "Admin endpoints disabled (no token set)."})


class ApiError(StarletteHTTPException):
    """An error with a stable code; raise it anywhere in a request (even while the body is read)."""

    def __init__(self, status_code: int, code: str, message_en: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        zh, en = MESSAGES.get(code, MESSAGES["invalid_request"])
        super().__init__(status_code=status_code, detail=message_en or en, headers=headers)
        self.code = code
        self.message_zh = zh
        self.message_en = message_en or en


def error_body(code: str, message_en: str | None = None, details: list | None = None) -> dict:
    """The JSON body of an error."""
    zh, en = MESSAGES.get(code, MESSAGES["invalid_request"])
    error: dict = {"code": code, "message_zh": zh, "message_en": message_en or en}
    if details:
        error["details"] = details
    return {"error": error}


def error_response(status: int, code: str, message_en: str | None = None, details: list | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message_en, details), status_code=status, headers=headers)


def from_ingest(exc: IngestError) -> ApiError:
    """The HTTP error for a file ingestion refused."""
    code = exc.reason if exc.reason in MESSAGES else "bad_file"
    return ApiError(INGEST_STATUS.get(exc.reason, 422), code, exc.message)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the JSON shape above."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status_code, exc.code, exc.message_en, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "invalid_request" if exc.status_code < 500 else "internal_error")
        return error_response(exc.status_code, code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"loc": [str(part) for part in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")}
                   for e in exc.errors()]
        return error_response(422, "invalid_request", details=details)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error")
