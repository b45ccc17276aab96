"""The interchange format's field checks, described in JSON Schema for the OpenAPI document.

The format checks each value with a plain validator (``funnels.interchange.fields``) so that a wrong value reads
``must be …, not …``; pydantic cannot see inside such a validator and describes the field as "anything". Here
each validator is named once with the JSON Schema it enforces, never stricter than the validator itself (so a
value the API accepts always matches its description), and ``describe`` regenerates the API's components with
those descriptions. A test checks that no component is left undescribed.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from funnels.interchange import fields
from funnels.interchange.limits import FORMAT_ID
from offers.domain.kinds import OfferKind

REF_TEMPLATE = "#/components/schemas/{model}"
DECIMAL_TEXT = r"^-?[0-9]+(\.[0-9]+)?$"

KEY: JsonSchemaValue = {
    "type": "string",
    "pattern": r"^[a-z0-9-]{1,64}$",
    "description": "1-64 characters from a-z, 0-9 and -",
    "examples": ["three-calls"],
}
MONEY: JsonSchemaValue = {
    "anyOf": [
        {"type": "string", "pattern": DECIMAL_TEXT},
        {"type": "number", "minimum": 0, "maximum": 1_000_000},
    ],
    "description": 'An amount in 0..1,000,000 with at most 2 decimal places, as a decimal string ("97.00", '
    "preferred: read exactly) or a JSON number (read as a decimal, never a float).",
    "examples": ["97.00"],
}
RATE: JsonSchemaValue = {
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 1},
        {"type": "string", "pattern": DECIMAL_TEXT},
    ],
    "description": "A take rate in 0..1 with at most 4 decimal places (0.2 is 20%).",
    "examples": [0.2],
}
DESCRIBED: dict[Callable[..., Any], JsonSchemaValue] = {
    fields.check_key: KEY,
    fields.check_topic: {"type": "string", "pattern": r"^[a-z0-9-]{1,40}$", "examples": ["anxiety"]},
    fields.check_money: MONEY,
    fields.check_rate: RATE,
    fields.check_currency: {"type": "string", "pattern": r"^[A-Z]{3}$", "examples": ["USD"]},
    fields.check_kind: {"type": "string", "enum": [kind.value for kind in OfferKind]},
    fields.check_format_id: {"type": "string", "enum": [FORMAT_ID]},
}


def _text(check: Callable[..., Any]) -> JsonSchemaValue | None:
    """``check_text(n, blank=…)``'s closure as a string of at most n characters (at least 1 when not blank)."""
    if getattr(check, "__qualname__", "") != "check_text.<locals>.check":
        return None
    said = inspect.getclosurevars(check).nonlocals
    schema: JsonSchemaValue = {"type": "string", "maxLength": int(said["max_length"])}
    if not said.get("blank", True):
        schema["minLength"] = 1
    return schema


def validator_schema(check: Callable[..., Any]) -> JsonSchemaValue | None:
    return dict(DESCRIBED[check]) if check in DESCRIBED else _text(check)


class DescribedJsonSchema(NinjaGenerateJsonSchema):
    """Ninja's schema generator, with the interchange's validators described (see the module)."""

    def function_plain_schema(self, schema: core_schema.PlainValidatorFunctionSchema) -> JsonSchemaValue:
        found = validator_schema(schema["function"]["function"])
        return found if found is not None else super().function_plain_schema(schema)


def model_schema(model: type[BaseModel]) -> tuple[JsonSchemaValue, dict[str, JsonSchemaValue]]:
    """A model's JSON Schema (validation mode) and the schemas it refers to, ready for ``components``."""
    schema = model.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=DescribedJsonSchema)
    definitions = schema.pop("$defs", {})
    return schema, definitions


def describe(components: dict[str, JsonSchemaValue], models: Iterable[type[BaseModel]]) -> None:
    """Replace each of ``models``' components (by name) with its described schema, and add what they refer to."""
    for model in models:
        name = model.__name__
        if name not in components:
            continue
        schema, definitions = model_schema(model)
        components[name] = schema
        for ref, definition in definitions.items():
            components[ref] = definition
