"""The published schema says what the responses are (the breakages the issue found, named)."""

import pytest

from complaintdesk.api.tests.helpers import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(org):
    return token_client(org.admin).get("/api/schema/", {"format": "json"}).json()


def _ok(schema, path, method="get"):
    content = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    ref = content["$ref"].rsplit("/", 1)[1]
    return schema["components"]["schemas"][ref]


def test_lists_are_documented_as_cursor_pages(schema):
    for path in ("/api/v1/complaints/", "/api/v1/complaints/{id}/timeline/", "/api/v1/notifications/",
                 "/api/v1/deadlines/", "/api/v1/complaints/{id}/messages/"):
        page = _ok(schema, path)
        assert page["type"] == "object" and set(page["properties"]) == {"next", "previous", "results"}, path
        assert page["properties"]["next"]["nullable"] is True


def test_language_check_is_documented_as_an_object(schema):
    check = _ok(schema, "/api/v1/language/check/", "post")
    assert check["type"] == "object" and "violations" in check["properties"]


def test_blank_choices_and_nullable_fields_are_documented(schema):
    detail = _ok(schema, "/api/v1/complaints/{id}/")["properties"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in detail["closure_reason"]["oneOf"]
    for name in ("department", "handler", "category", "approved_by", "chosen_plan", "satisfaction", "closed_at",
                 "is_valid", "repeat_of", "visit_due_at"):
        assert detail[name].get("nullable") is True, name


def test_every_operation_documents_the_one_error_format(schema):
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            for code in ("400", "401", "403", "404", "429", "500"):
                body = operation["responses"][code]["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/ErrorOutput"}, (path, method, code)
