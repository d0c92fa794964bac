"""The API fuzzed from its own OpenAPI document (schemathesis): no 5xx, every response as documented.

Bounded in examples (``EXAMPLES`` per operation) so the run takes seconds. The app runs over the
sample with an admin token set; each example is sent with or without the token, and with a
generated or the stored document's id, so the fuzz reaches past 401 and 404 into every route.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance
from schemathesis.core.failures import FailureGroup

from budgetqa.index.store import Store
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.service.app import create_app
from budgetqa.settings import Settings

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample_budget.pdf"
TOKEN = "fuzz-admin-token"
EXAMPLES = 30
"""Examples per operation: enough to reach every status path, few enough for a quick run."""
UPLOAD = "POST /api/v1/documents"
UPLOAD_EXAMPLES = 8
"""Each upload is parsed in a child process: fewer examples there. A schema-valid upload may still
be refused (422: not a disclosure), so "valid data is accepted" is not asked of it."""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> tuple[schemathesis.Schema, str]:
    """The schema of an app over the sample, and the sample's document id."""
    data_dir = tmp_path_factory.mktemp("fuzz-store")
    config = Settings(data_dir=data_dir, embedding_model="none", admin_token=TOKEN, max_file_mb=1)
    store = Store(data_dir)
    doc_id = ingest_file(store, SAMPLE, config).doc_id
    store.close()
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(config)), doc_id


def _fuzz(operation, doc_id: str) -> list[str]:
    """Run one operation's examples; the failures found, as text."""
    failures: list[str] = []
    upload = operation.label == UPLOAD
    examples = UPLOAD_EXAMPLES if upload else EXAMPLES

    @given(case=operation.as_strategy(), token=st.booleans(), stored=st.booleans())
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def run(case: schemathesis.Case, token: bool, stored: bool) -> None:
        if stored:
            for name, value in {"doc": doc_id, "table": "t01", "version": 1}.items():
                if name in (case.path_parameters or {}):
                    case.path_parameters[name] = value
        if token:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}
        try:
            case.call_and_validate(excluded_checks=[positive_data_acceptance] if upload else None)
        except (AssertionError, FailureGroup) as exc:
            failures.append(f"{operation.label}\n{str(exc)[:1500]}")
            raise

    with contextlib.suppress(AssertionError, FailureGroup):
        run()
    return failures


def test_api_conforms_to_its_openapi(api: tuple[schemathesis.Schema, str]) -> None:
    schema, doc_id = api
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures = [failure for operation in operations for failure in _fuzz(operation, doc_id)]
    assert not failures, "\n\n".join(failures)
