"""The optional chat model: an OpenAI-compatible endpoint (vLLM, Ollama, DeepSeek, DashScope, llama.cpp)."""

from __future__ import annotations

from budgetqa.settings import Settings


def configured_llm(settings: Settings):
    """A ``ChatOpenAI`` for ``BUDGETQA_LLM_BASE_URL`` / ``_MODEL`` / ``_API_KEY``, or None when unset."""
    if not (settings.llm_base_url and settings.llm_model):
        return None
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model, api_key=key,
                      temperature=0, timeout=settings.llm_timeout, max_retries=1)
