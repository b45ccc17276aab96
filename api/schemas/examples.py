"""Examples for the OpenAPI description, taken from the demo funnels (``funnels/demo/*.json``), so the docs show
documents that the import, the command line and the API all accept as they are."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

DEMO = Path(__file__).resolve().parents[2] / "funnels" / "demo"


def _plain(value: Any) -> Any:
    """JSON numbers as written (take rates such as 0.2), for the OpenAPI document's own JSON."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@cache
def demo_documents() -> dict[str, dict[str, Any]]:
    """Each demo funnel by its file's stem (``calm-classic``), as JSON values."""
    return {
        path.stem: _plain(json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal))
        for path in sorted(DEMO.glob("*.json"))
    }


def document_examples() -> dict[str, dict[str, Any]]:
    """OpenAPI ``examples`` for a request body that is a funnel document."""
    return {stem: {"summary": document["name"], "value": document} for stem, document in demo_documents().items()}


def offer_examples() -> dict[str, dict[str, Any]]:
    """OpenAPI ``examples`` for a new offer: the primer's $97 course and its $300 three-call upsell."""
    offers = {o["key"]: o for document in demo_documents().values() for o in document["offers"]}
    return {
        key: {"summary": offers[key]["name"], "value": offers[key]}
        for key in ("calm-course", "three-calls", "one-call")
        if key in offers
    }
