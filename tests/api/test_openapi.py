"""The OpenAPI description and the docs: served without a token, every field described (none left as "anything"),
examples that the API itself accepts, and docs from vendored files within the site's Content Security Policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from funnels.interchange.reading import read_funnel_document
from tests.api.conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db
STATIC = Path(settings.BASE_DIR) / "static"


def _walk(node: object, path: str = ""):  # type: ignore[no-untyped-def]
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


def _described(schema: dict) -> bool:
    return any(k in schema for k in ("type", "anyOf", "oneOf", "allOf", "$ref", "enum", "const"))


def test_the_description_is_public_and_every_property_is_described(client):
    answer = client.get("/api/openapi.json")
    assert answer.status_code == 200
    schema = answer.json()
    assert schema["info"]["title"] == "Offer Architect API"
    undescribed = [
        f"{where}/{name}"
        for where, node in _walk(schema["components"]["schemas"])
        if isinstance(node.get("properties"), dict)
        for name, prop in node["properties"].items()
        if not _described(prop)
    ]
    assert undescribed == []
    parameters = [p for ops in schema["paths"].values() for op in ops.values() for p in op.get("parameters", [])]
    assert all(_described(p["schema"]) for p in parameters)
    assert schema["components"]["securitySchemes"] == {
        "BearerToken": {
            "type": "http",
            "scheme": "bearer",
            "description": schema["components"]["securitySchemes"]["BearerToken"]["description"],
        }
    }


def test_the_interchange_fields_keep_their_rules(client):
    components = client.get("/api/openapi.json").json()["components"]["schemas"]
    offer = components["OfferEntry"]["properties"]
    assert offer["key"]["pattern"] == "^[a-z0-9-]{1,64}$"
    assert offer["name"]["maxLength"] == 200
    assert {s.get("type") for s in offer["price"]["anyOf"]} == {"string", "number"}
    assert components["FunnelDocument"]["additionalProperties"] is False
    assert components["FunnelDocument"]["properties"]["format"]["enum"] == ["offer-architect/funnel@1"]


def test_the_document_examples_are_the_demo_funnels_and_are_accepted(client, practice):
    schema = client.get("/api/openapi.json").json()
    create = schema["paths"]["/api/v1/funnels"]["post"]["requestBody"]["content"]["application/json"]
    assert create["schema"] == {"$ref": "#/components/schemas/FunnelDocument"}
    assert set(create["examples"]) == {p.stem for p in Path("funnels/demo").glob("*.json")}
    writer = ApiClient(make_token(practice).secret)
    import json

    for example in create["examples"].values():
        read_funnel_document(json.dumps(example["value"]))  # the reader accepts it as the docs show it
        assert writer.call("post", "/api/v1/check", json=example["value"]).status_code == 200


def test_the_docs_page_uses_vendored_files_and_no_inline_script(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(s.startswith("/static/") for s in sources), sources
    for source in sources:
        assert (STATIC / source.removeprefix("/static/")).is_file(), source
    assert "swagger-ui-dist-5.35.0/swagger-ui-bundle.js" in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    inline = [body for attrs, body in scripts if body.strip() and 'type="application/json"' not in attrs]
    assert inline == [] and "style=" not in html and "<style" not in html
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_the_vendored_swagger_ui_is_noted_with_its_licence():
    readme = (STATIC / "vendor" / "README.md").read_text(encoding="utf-8")
    assert "swagger-ui-dist" in readme and "5.35.0" in readme
    assert (STATIC / "vendor" / "swagger-ui-dist-5.35.0" / "LICENSE").is_file()


def test_the_description_names_no_key_twice(client):
    """Swagger UI reads the description as YAML, which refuses a key given twice (``201`` and ``"201"``, say)."""
    import json

    def refuse_twice(pairs):  # type: ignore[no-untyped-def]
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=refuse_twice)
    responses = client.get("/api/openapi.json").json()["paths"]["/api/v1/funnels/{slug}"]["get"]["responses"]
    assert "ETag" in responses["200"]["headers"]
