"""The admin token check: ``Authorization: Bearer <BUDGETQA_ADMIN_TOKEN>``; no token configured, no admin."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from budgetqa.service.errors import ApiError
from budgetqa.service.state import AppState, get_state

bearer = HTTPBearer(auto_error=False, description="The admin token (BUDGETQA_ADMIN_TOKEN).")


def require_admin(
    state: Annotated[AppState, Depends(get_state)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Dependency for admin endpoints: 403 when disabled, 401 without a valid bearer token."""
    configured = state.settings.admin_token
    if configured is None:
        raise ApiError(403, "admin_disabled")
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise ApiError(401, "auth_required", headers=challenge)
    given = credentials.credentials.encode()
    if not secrets.compare_digest(given, configured.get_secret_value().encode()):
        raise ApiError(401, "invalid_token", headers=challenge)


Admin = Depends(require_admin)
