"""The API's own address, /api/v1/, points to its documentation instead of a 404."""

from django.test import Client


def test_the_api_root_names_the_documentation_and_the_schema_without_a_token(db):
    response = Client().get("/api/v1/")

    assert response.status_code == 200
    body = response.json()
    assert body["documentation"] == "http://testserver/api/v1/docs/"
    assert body["schema"] == "http://testserver/api/v1/schema/"
    assert 'rel="service-doc"' in response["Link"]
    assert Client().get(body["documentation"]).status_code == 200


def test_the_api_root_changes_nothing_and_refuses_a_post(db):
    response = Client(enforce_csrf_checks=True).post("/api/v1/", {})

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET, HEAD"


def test_an_unknown_api_address_is_still_a_problem_not_found(db):
    response = Client().get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_documentation_shows_no_operation_described_by_the_shared_base_view(db):
    schema = Client().get("/api/v1/schema/", {"format": "json"}).json()

    descriptions = [
        operation.get("description", "")
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
    ]
    assert descriptions and not any("REST_FRAMEWORK" in text for text in descriptions)
