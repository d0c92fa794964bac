"""Public question answering: POST /ask, GET /suggestions, GET /healthz."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, StringConstraints

from budgetqa import __version__
from budgetqa.answer import ask
from budgetqa.answer.schema import Answer
from budgetqa.chat import LLMOptions, converse
from budgetqa.service.lookup import document_id
from budgetqa.service.presenting import Choice, Figure, choices, figures
from budgetqa.service.state import AppState, get_state
from budgetqa.service.suggestions import suggest

router = APIRouter(tags=["questions"])
State = Annotated[AppState, Depends(get_state)]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class AskRequest(BaseModel):
    """A question, optionally about one document."""

    question: Text = Field(examples=["项目支出比上年增长多少"])
    doc: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = Field(
        default=None, description="A document id, a unique part of a department name, or a clarify option.")
    session_id: Annotated[str, StringConstraints(max_length=100)] | None = Field(
        default=None, description="Keeps a conversation: follow-ups and clarify replies lean on this session's earlier turns.")


class AskResponse(Answer):
    """The answer object (as `budgetqa ask --json`), with the request's session_id, each value's
    direction (`figures`) and a clarifying question's options as documents (`choices`)."""

    session_id: str | None = None
    figures: list[Figure] = Field(default_factory=list)
    choices: list[Choice] = Field(default_factory=list)


class Suggestions(BaseModel):
    suggestions: list[str]


class Health(BaseModel):
    status: str
    version: str
    documents: int


@router.post("/ask", response_model=AskResponse, summary="Answer a question, with formula and citations")
def post_ask(request: AskRequest, state: State) -> AskResponse:
    with state.answer_slots, state.store.lock.reading():
        doc = document_id(state.store, request.doc) if request.doc else None
        if request.session_id is None and state.llm is None:
            answer = ask(state.store, request.question, doc=doc)
        else:
            answer = converse(state.store, request.question, sessions=state.sessions,
                              session_id=request.session_id, doc=doc, llm=state.llm,
                              options=LLMOptions.from_settings(state.settings))
        offered = choices(state.store, answer)
    return AskResponse(**answer.model_dump(), session_id=request.session_id, figures=figures(answer),
                       choices=offered)


@router.get("/suggestions", response_model=Suggestions, summary="Questions the loaded documents can answer")
def get_suggestions(
    state: State,
    doc: Annotated[str | None, Query(max_length=200, description="Only this document's.")] = None,
    limit: Annotated[int, Query(ge=1, le=30)] = 8,
) -> Suggestions:
    with state.store.lock.reading():
        doc_id = document_id(state.store, doc) if doc else None
        key = ("suggestions", state.store.generation(), doc_id, limit)
        found = state.cache.get(key)
        if found is None:
            found = suggest(state.store, doc_id, limit)
            state.cache = {key: found}
    return Suggestions(suggestions=found)


@router.get("/healthz", response_model=Health, summary="Liveness, with the number of documents")
def healthz(state: State) -> Health:
    with state.store.lock.reading():
        count = state.store.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    return Health(status="ok", version=__version__, documents=count)
