"""The app factory: one FastAPI app per settings, with its one store.

Routes live in routes_*.py and stay thin; answers come from budgetqa.answer,
views from budgetqa.views, and every error goes out as errors.py shapes it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from budgetqa import __version__
from budgetqa.service import docs, errors, routes_ask, routes_documents, routes_pages
from budgetqa.service.headers import SecurityHeadersMiddleware
from budgetqa.service.limits import BodyLimitMiddleware, limits
from budgetqa.service.state import AppState
from budgetqa.settings import Settings

API = "/api/v1"

DESCRIPTION = """Exact answers, with the formula and the cited cells, over Chinese department budget (预算)
and final-accounts (决算) disclosures. Public endpoints need no token; uploading and deleting
documents need `Authorization: Bearer <BUDGETQA_ADMIN_TOKEN>` and are disabled when no token is set.
Errors are `{"error": {"code", "message_zh", "message_en"}}`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app over ``settings.data_dir`` (the store is opened here, once, and closed at shutdown)."""
    settings = settings or Settings()
    state = AppState.open(settings)
    routes_documents.clean_uploads(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.store.close()

    swagger = docs.swagger_assets()
    app = FastAPI(title="budgetqa", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None if swagger else "/docs", redoc_url=None)
    app.state.budgetqa = state
    if swagger:
        docs.install(app, swagger)
    errors.install(app)
    app.include_router(routes_ask.router, prefix=API, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_documents.router, prefix=API, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_pages.router)
    app.add_api_route("/healthz", routes_ask.healthz, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=routes_pages.STATIC), name="static")
    app.add_middleware(BodyLimitMiddleware, limit_for=limits(f"{API}/documents", settings.max_file_mb))
    app.add_middleware(SecurityHeadersMiddleware, frame_ancestors=settings.frame_ancestors)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type"], max_age=600)
    return app
