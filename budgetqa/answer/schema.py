"""The answer object: one schema for the CLI, the API and the eval."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Citation(BaseModel):
    """Where a number stands: a table cell, or a narrative sentence."""

    doc_id: str
    document: str
    table_id: str | None = None
    table: str | None = None
    row: str | None = None
    row_code: str | None = None
    column: str | None = None
    side: str | None = None
    page: int | None = None
    sentence: str | None = None
    section: str | None = None
    """For a quoted passage: its heading path ("第三部分… > 二、…")."""
    raw: str | None = None
    """The cell or figure exactly as printed."""
    source_file: str | None = None
    """The file the page belongs to (a disclosure may come in several files)."""


class Value(BaseModel):
    """A number in the answer, with its name and unit (amounts in 万元 unless asked otherwise)."""

    name: str
    value: str
    unit: str


class Plan(BaseModel):
    """The parsed question: what to look up and what to compute."""

    route: Literal["numeric", "text", "none", "agent"] = "numeric"
    operation: str = "lookup"
    documents: list[str] = Field(default_factory=list)
    years: list[int] = Field(default_factory=list)
    quantities: list[str] = Field(default_factory=list)
    columns: list[str] = Field(default_factory=list)
    unit: str = "万元"
    question: str | None = None
    """In a conversation: the full question a follow-up was rewritten into."""
    session_id: str | None = None
    planner: Literal["rules", "llm", "tool"] = "rules"
    """Who planned the question: the rule parser, an LLM's typed plan, or a tool call's."""
    form: dict | None = None
    """A typed plan from outside the rule parser, as given (see ``plan_form.PlanForm``)."""
    phrased: str | None = None
    """That plan written in the rule parser's grammar: the sentence that was parsed and answered."""


class Answer(BaseModel):
    status: Literal["answered", "refused", "clarify"]
    answer: str
    values: list[Value] = Field(default_factory=list)
    formula: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    plan: Plan = Field(default_factory=Plan)
    notes: list[str] = Field(default_factory=list)
    options: list[str] = Field(default_factory=list)
    """For a clarifying question: the choices to offer."""
