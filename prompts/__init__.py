"""Prompt files for the optional LLM mode."""
