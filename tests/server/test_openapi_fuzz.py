"""The OpenAPI schema is part of the contract: schemathesis generates requests for every operation from it
(with a till's credential and an admin key, so the handlers run, and without, so auth runs) and the server
never answers 5xx. The number of examples is bounded so the run takes seconds."""

from __future__ import annotations

from datetime import UTC, datetime

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from pos_desktop.server import admin

from .conftest import enrol, new_store

EXAMPLES = 12


def test_no_server_errors(server):
    store = new_store(server)
    till = enrol(server, store)
    key = admin.create_api_key(server.db, datetime.now(UTC), "fuzz", ["admin"])["key"]
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures: list[str] = []
    for operation in operations:
        tags = operation.definition.raw.get("tags", [])
        _fuzz(operation, till.headers if "tills" in tags else {"Authorization": f"Bearer {key}"}, failures)
    assert failures == [], "\n".join(failures[:10])


def _fuzz(operation, auth: dict[str, str], failures: list[str]) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, phases=[
        hypothesis.Phase.explicit, hypothesis.Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case) -> None:
        for headers in (auth, {}):
            response = case.call(headers=headers, timeout=30)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} → {response.status_code}: "
                                f"{response.text[:300]}")
            elif response.status_code >= 400:
                body = response.json()
                assert {"error", "message", "server_time"} <= set(body), response.text

    run()


def test_the_schema_documents_auth_and_errors(server):
    import httpx
    doc = httpx.get(f"{server.url}/openapi.json").json()
    assert {"till", "apiKey"} <= set(doc["components"]["securitySchemes"])
    push = doc["paths"]["/api/v1/push"]["post"]
    assert {"401", "409", "413", "422", "429"} <= set(push["responses"])
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    sales = doc["paths"]["/api/v1/integration/sales"]["get"]
    assert "sales:read" in sales["summary"] and sales["responses"]["200"]["content"]


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
