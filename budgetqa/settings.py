"""All settings in one place, read from BUDGETQA_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """budgetqa settings; each field can be set with a BUDGETQA_<NAME> variable."""

    model_config = SettingsConfigDict(env_prefix="BUDGETQA_")

    data_dir: Path = Path(user_data_dir("budgetqa"))
    """Where the SQLite store (and the vector index) live."""
    max_file_mb: float = 50.0
    """Files larger than this are rejected before parsing."""


@lru_cache
def get_settings() -> Settings:
    return Settings()
