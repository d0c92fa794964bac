"""All settings in one place, read from BUDGETQA_* environment variables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from platformdirs import user_data_dir
from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """budgetqa settings; each field can be set with a BUDGETQA_<NAME> variable."""

    model_config = SettingsConfigDict(env_prefix="BUDGETQA_")

    data_dir: Path = Path(user_data_dir("budgetqa"))
    """Where the SQLite store (and the vector index) live."""
    database_url: str | None = None
    """A PostgreSQL database for the store (``postgresql://user:password@host/db``) instead of
    ``data_dir/budgetqa.sqlite3``; the vector index and kept files stay in ``data_dir``."""
    max_file_mb: float = 50.0
    """Files larger than this are rejected before parsing (also the HTTP upload limit)."""
    max_pages: int = 500
    """PDFs with more pages than this are rejected before parsing (a page bomb is refused at once)."""
    ingest_timeout_seconds: float = 300.0
    """A file that takes longer than this to parse is abandoned (``budgetqa ingest`` and uploads)."""
    ingest_memory_mb: int = 2048
    """Address-space limit of the child process that parses each file (``budgetqa ingest`` and uploads)."""
    keep_files: bool = True
    """Keep a copy of each PDF ingested by ``budgetqa ingest`` or an upload (``data_dir/files``),
    so the table view links a page number to that page of the PDF."""
    embedding_model: str = "use-multilingual-v3"
    """Embeddings for narrative retrieval: a bundled model's name (``use-multilingual-v3``,
    ``m3e-small``, ``all-minilm-l6-v2``) or a sentence-transformers checkpoint (a folder, or a
    hub name already in the local cache; nothing is downloaded)."""
    embedding_query_prefix: str = ""
    """Text put before each question when it is embedded (bge-zh models want
    ``为这个句子生成表示以用于检索相关文章：``)."""
    embedding_batch_size: int = 32
    chroma_url: str | None = None
    """A Chroma server (``http://host:8000``); by default a persistent index in ``data_dir/chroma``."""
    admin_token: SecretStr | None = None
    """Bearer token for the service's admin endpoints (upload, delete); unset disables them."""
    cors_origins: Annotated[list[str], NoDecode] = []
    """Origins (e.g. https://www.example.gov.cn) whose pages may call the API from the widget;
    comma-separated or a JSON list in the environment. Empty: same origin only."""
    frame_ancestors: str = "'self'"
    """CSP frame-ancestors: the sites allowed to show budgetqa's pages in a frame
    (e.g. ``'self' https://www.example.gov.cn``); ``'none'`` forbids framing."""
    session_ttl_seconds: float = 1800.0
    """A conversation idle this long is forgotten."""
    session_max: int = 1000
    """At most this many conversations are kept (least recently used dropped first)."""
    session_max_turns: int = 20
    """Turns kept per conversation."""
    llm_base_url: str | None = None
    """An OpenAI-compatible endpoint (``http://127.0.0.1:8001/v1``); unset: no LLM (the default)."""
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout: float = 60.0
    llm_max_steps: int = 6
    """Tool-calling rounds the agent may take per question."""
    llm_mode: Literal["plan", "agent"] = "plan"
    """``plan``: the model fills a typed plan the engine answers (it writes no answer text);
    ``agent``: free tool calling, its prose and numbers checked (needs a large model)."""
    llm_schema_format: Literal["auto", "json_schema", "json_object"] = "auto"
    """How the plan's JSON schema is sent as ``response_format``: OpenAI's ``json_schema`` (OpenAI,
    vLLM, llama-server), llama-cpp-python's ``json_object`` + ``schema``, or ``auto`` (try both)."""

    @field_validator("admin_token", "llm_api_key", "llm_base_url", "llm_model", "database_url", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip().rstrip("/") for part in text.split(",") if part.strip()]
        return value
