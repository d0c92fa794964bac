"""The optional chat model: an OpenAI-compatible endpoint (vLLM, Ollama, DeepSeek, DashScope, llama.cpp)."""

from __future__ import annotations

from dataclasses import dataclass

from budgetqa.settings import Settings


@dataclass(frozen=True, slots=True)
class LLMOptions:
    """How the configured model is used (``BUDGETQA_LLM_MODE``, ``_SCHEMA_FORMAT``, ``_MAX_STEPS``)."""

    mode: str = "plan"
    schema_format: str = "auto"
    max_steps: int = 6

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMOptions:
        return cls(settings.llm_mode, settings.llm_schema_format, settings.llm_max_steps)


def configured_llm(settings: Settings):
    """A ``ChatOpenAI`` for ``BUDGETQA_LLM_BASE_URL`` / ``_MODEL`` / ``_API_KEY``, or None when unset."""
    if not (settings.llm_base_url and settings.llm_model):
        return None
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model, api_key=key,
                      temperature=0, timeout=settings.llm_timeout, max_retries=1)
