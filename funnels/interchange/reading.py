"""Reading a funnel file: bytes -> JSON -> a checked :class:`FunnelDocument`, or every problem with it at once.

JSON is parsed with its own limits (size, encoding, names given twice in one object, numbers as ``Decimal``);
the models check the values; and the referential checks (unique keys, references that name something) work on
the raw JSON, so that they still run when other parts of the file are malformed. Whatever is wrong comes back
together as one :class:`FunnelFileError` (see ``funnels.interchange.problems``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from funnels.interchange.fields import is_key
from funnels.interchange.limits import MAX_FILE_BYTES
from funnels.interchange.models import FunnelDocument
from funnels.interchange.problems import (
    FILE,
    FunnelFileError,
    Issue,
    Loc,
    Problem,
    issues_from,
    not_,
    path_of,
    problems_in_order,
    quoted,
)


def read_funnel_document(raw: bytes | str) -> FunnelDocument:
    """The funnel in ``raw``; raises :class:`FunnelFileError` listing every problem, in file order."""
    data, issues = parse_json(raw)
    return validate_document(data, FunnelDocument, issues)


# -- bytes -> JSON -----------------------------------------------------------------------------------------


def parse_json(raw: bytes | str) -> tuple[object, list[Issue]]:
    """The JSON value in ``raw`` (numbers as ``Decimal``) and the names given twice in one object.

    Raises :class:`FunnelFileError` when there is no JSON to look at: too large, not UTF-8, not JSON.
    """
    if len(raw) > MAX_FILE_BYTES or (
        isinstance(raw, str) and len(raw.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES
    ):
        raise FunnelFileError([Problem(FILE, "larger than 1 MB")])
    if isinstance(raw, bytes | bytearray):
        try:
            text = bytes(raw).decode("utf-8")
        except UnicodeDecodeError as error:
            raise FunnelFileError([Problem(FILE, f"not UTF-8 text (at byte {error.start:,})")]) from None
    else:
        text = raw
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise FunnelFileError([Problem(FILE, "empty; expected a JSON object")])
    repeated: dict[int, tuple[dict[str, Any], list[str]]] = {}  # holding the object keeps its id unique

    def make_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) < len(pairs):
            seen: set[str] = set()
            names = repeated.setdefault(id(obj), (obj, []))[1]
            for name, _ in pairs:
                if name in seen and name not in names:
                    names.append(name)
                seen.add(name)
        return obj

    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=Decimal,
            object_pairs_hook=make_object,
        )
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        raise FunnelFileError([Problem(FILE, message)]) from None
    except RecursionError:
        raise FunnelFileError([Problem(FILE, "not valid JSON: nested too deeply")]) from None
    issues: list[Issue] = []
    if repeated:
        stack: list[tuple[object, Loc]] = [(data, ())]
        while stack:
            value, loc = stack.pop()
            if isinstance(value, dict):
                names = repeated[id(value)][1] if id(value) in repeated else []
                issues.extend(((*loc, name), "given more than once") for name in names)
                stack.extend((child, (*loc, name)) for name, child in value.items())
            elif isinstance(value, list):
                stack.extend((child, (*loc, index)) for index, child in enumerate(value))
    return data, issues


# -- the document ------------------------------------------------------------------------------------------


def validate_document[M: BaseModel](data: object, model: type[M], issues: Sequence[Issue] = ()) -> M:
    """``data`` as a ``model``, or :class:`FunnelFileError` with every problem: ``issues`` found earlier,
    the model's own, and the referential ones."""
    if not isinstance(data, dict):
        raise FunnelFileError([Problem(FILE, f"must be a JSON object, {not_(data)}")])
    found = [*issues, *reference_issues(data)]
    document: M | None = None
    try:
        document = model.model_validate(data)
    except ValidationError as error:
        found = issues_from(error) + found
    if found or document is None:
        raise FunnelFileError(problems_in_order(found, model))
    return document


# -- referential problems ----------------------------------------------------------------------------------


def reference_issues(data: dict[str, Any]) -> list[Issue]:
    """Unique keys and references that name something, as far as the (possibly malformed) file allows.

    A reference that is not a well-formed key is skipped: the model reports it already.
    """
    issues: list[Issue] = []
    offers = _keys(data.get("offers"), ("offers",), issues)
    post = data.get("post_purchase", {})
    steps_raw = post.get("steps", []) if isinstance(post, dict) else None
    steps = _keys(steps_raw, ("post_purchase", "steps"), issues)

    def refer(value: object, loc: Loc, known: set[str] | None, noun: str) -> None:
        if known is not None and is_key(value) and value not in known:
            issues.append((loc, f"no {noun} {quoted(str(value), 70)}"))

    for index, offer in _items(data.get("offers")):
        refer(offer.get("replaces"), ("offers", index, "replaces"), offers, "offer")
        if is_key(offer.get("replaces")) and offer.get("replaces") == offer.get("key"):
            issues.append((("offers", index, "replaces"), f"{quoted(offer['key'])} cannot upgrade itself"))
    checkout = data.get("checkout")
    if isinstance(checkout, dict):
        refer(checkout.get("core"), ("checkout", "core"), offers, "offer")
        _placements(checkout, ("checkout",), ("bumps", "cross_sells"), offers, issues, refer)
    if isinstance(post, dict):
        refer(post.get("start"), ("post_purchase", "start"), steps, "step")
    for index, step in _items(steps_raw):
        loc = ("post_purchase", "steps", index)
        refer(step.get("offer"), (*loc, "offer"), offers, "offer")
        refer(step.get("on_accept"), (*loc, "on_accept"), steps, "step")
        refer(step.get("on_decline"), (*loc, "on_decline"), steps, "step")
    thank_you = data.get("thank_you")
    if isinstance(thank_you, dict):
        _placements(thank_you, ("thank_you",), ("cross_sells",), offers, issues, refer)
    return issues


def _items(value: object) -> Iterable[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        yield from ((index, item) for index, item in enumerate(value) if isinstance(item, dict))


def _keys(value: object, loc: Loc, issues: list[Issue]) -> set[str] | None:
    """The well-formed keys of a list of objects (None: not a list, so references cannot be checked)."""
    if not isinstance(value, list):
        return None
    first: dict[str, int] = {}
    for index, item in _items(value):
        key = item.get("key")
        if not is_key(key):
            continue
        if key in first:
            issues.append(((*loc, index, "key"), f"{quoted(key)} is already the key of {path_of((*loc, first[key]))}"))
        else:
            first[key] = index
    return set(first)


def _placements(
    section: dict[str, Any],
    loc: Loc,
    lists: tuple[str, ...],
    offers: set[str] | None,
    issues: list[Issue],
    refer: Callable[[object, Loc, set[str] | None, str], None],
) -> None:
    """References of a stage's placements; the same offer may stand only once within the stage."""
    placed: dict[str, Loc] = {}
    for name in lists:
        for index, placement in _items(section.get(name)):
            offer, where = placement.get("offer"), (*loc, name, index, "offer")
            refer(offer, where, offers, "offer")
            if not is_key(offer):
                continue
            if offer in placed:
                issues.append((where, f"{quoted(offer)} is already placed at {path_of(placed[offer][:-1])}"))
            else:
                placed[offer] = where
