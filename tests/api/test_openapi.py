"""The published API contract: the OpenAPI document must match the committed snapshot.

After an intended API change, refresh it with `make openapi` and review the diff.
"""

import json
from pathlib import Path

from rejoinder.api.main import api

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def current_schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))


def test_the_openapi_document_matches_the_committed_snapshot() -> None:
    committed = json.loads(SNAPSHOT.read_text())
    assert current_schema() == committed, (
        "The API changed: run `make openapi` and commit docs/openapi.json"
    )


def test_the_docs_page_and_schema_are_served(client) -> None:  # type: ignore[no-untyped-def]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content
    assert b"cdn" not in docs.content.lower()
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Rejoinder API"
