"""Reading a funnel file and reporting what is wrong with it, every problem at once.

The typed models live in ``funnels.schemas`` (import the public names from there); this module does the
reading around them: bytes -> JSON (with its own limits), the format's limits and value checks (each with
one plain message), pydantic's errors -> plain :class:`Problem` lines, and the referential checks (unique
keys, references that name something), which work on the raw JSON so that they still run when other parts
of the file are malformed. Problems come sorted in file order (fields in the models' order, unknown fields
after the known ones), at most ``MAX_PROBLEMS`` of them.

A problem reads ``<path>: <message>``. The path is dotted field names with ``[i]`` indices
(``post_purchase.steps[1].on_decline``); ``(file)`` is the file as a whole. Messages are plain English:
``must be …, not …`` for a wrong value, ``field required``, ``unknown field``, ``no offer "x"``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, localcontext
from functools import cache
from typing import Any, NoReturn, TypeGuard, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from core.money import CENT, CURRENCY_PATTERN, money_problem, rate_problem, to_decimal
from core.slugs import KEY_PATTERN
from offers.domain.kinds import OfferKind

MAX_FILE_BYTES = 1_000_000
MAX_PROBLEMS = 200
"""A hopeless file would otherwise list thousands; past this many, one line says how many more there are."""

FILE = "(file)"
ERROR_TYPE = "funnel_file"

FORMAT_ID = "offer-architect/funnel@1"
MAX_OFFERS = 200
MAX_STEPS = 100
MAX_PLACEMENTS = 50
MAX_TOPICS = 20
TOPIC_PATTERN = re.compile(r"[a-z0-9-]{1,40}")
NAME_MAX = 200
HEADLINE_MAX = 300
BODY_MAX = 5000
LABEL_MAX = 100
FORMAT_MAX = 40


Loc = tuple[str | int, ...]
Issue = tuple[Loc, str]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a funnel file, where it is and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class FunnelFileError(Exception):
    """A funnel file that cannot be read; ``problems`` lists everything wrong with it, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


# -- describing values -------------------------------------------------------------------------------------


def fail(message: str) -> NoReturn:
    """Reject a value from inside a pydantic validator with a plain message (kept verbatim)."""
    raise PydanticCustomError(ERROR_TYPE, "{reason}", {"reason": message})


def quoted(text: str, limit: int = 40) -> str:
    """``"text"`` as JSON writes it, cut short with an ellipsis when long."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return json.dumps(shown, ensure_ascii=False)


def not_(value: object) -> str:
    """``not "abc"``, ``not true``, ``not a list``: what was found instead, for a ``must be …`` message."""
    if value is None:
        return "not null"
    if isinstance(value, bool):
        return "not true" if value else "not false"
    if isinstance(value, str):
        return f"not {quoted(value)}"
    if isinstance(value, Decimal | int | float):
        text = str(value)
        return f"not {text if len(text) <= 40 else text[:39] + '…'}"
    if isinstance(value, dict):
        return "not an object"
    if isinstance(value, list | tuple):
        return "not a list"
    return f"not {type(value).__name__}"


def is_key(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and KEY_PATTERN.fullmatch(value) is not None


_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_KINDS = frozenset(kind.value for kind in OfferKind)


# -- values: each validator raises one plain message ------------------------------------------------------


def check_text(max_length: int, *, blank: bool = True) -> Callable[[object], str]:
    def check(value: object) -> str:
        if not isinstance(value, str):
            fail(f"must be text, {not_(value)}")
        if len(value) > max_length:
            fail(f"must be at most {max_length:,} characters (this has {len(value):,})")
        if not blank and not value.strip():
            fail("must not be empty")
        bad = _BAD_CHARACTER.search(value)
        if bad:
            fail(f"contains a character that is not allowed (U+{ord(bad.group()):04X})")
        return value

    return check


def check_key(value: object) -> str:
    if not isinstance(value, str) or not KEY_PATTERN.fullmatch(value):
        fail(f'must be 1-64 characters from a-z, 0-9 and "-", {not_(value)}')
    return value


def check_topic(value: object) -> str:
    if not isinstance(value, str) or not TOPIC_PATTERN.fullmatch(value):
        fail(f'must be 1-40 characters from a-z, 0-9 and "-", {not_(value)}')
    return value


def check_topics(values: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for topic in values:
        if topic in seen:
            fail(f"lists {quoted(topic)} more than once")
        seen.add(topic)
    return tuple(sorted(values))


def check_format_id(value: object) -> str:
    if value != FORMAT_ID:
        fail(f'must be "{FORMAT_ID}", {not_(value)}')
    return FORMAT_ID


def check_currency(value: object) -> str:
    if not isinstance(value, str) or not CURRENCY_PATTERN.fullmatch(value):
        fail(f'must be 3 capital letters such as "USD", {not_(value)}')
    return value


def check_kind(value: object) -> OfferKind:
    if not isinstance(value, str) or value not in _KINDS:
        fail(f"must be one of {', '.join(OfferKind)}, {not_(value)}")
    return OfferKind(value)


def _decimal(value: object, expected: str) -> Decimal:
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value):
        return Decimal(value)
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return to_decimal(value)
    fail(f"must be {expected}, {not_(value)}")


def _exactly(check: Callable[[Decimal], str | None], value: Decimal) -> str | None:
    """``check`` with enough precision and exponent range that ``normalize`` inside it is exact."""
    context = Context(prec=max(28, len(value.as_tuple().digits) + 2), Emin=MIN_EMIN, Emax=MAX_EMAX)
    with localcontext(context):
        return check(value)


def check_money(value: object) -> Decimal:
    amount = _decimal(value, 'an amount such as 97 or "97.00"')
    problem = _exactly(money_problem, amount)
    if problem:
        fail(problem)
    return amount.quantize(CENT) if amount else Decimal("0.00")


def check_rate(value: object) -> Decimal:
    rate = _decimal(value, "a number between 0 and 1 such as 0.2")
    problem = _exactly(rate_problem, rate)
    if problem:
        fail(problem)
    return rate if rate else Decimal("0")


# -- paths and order ---------------------------------------------------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def path_of(loc: Loc) -> str:
    """``("post_purchase", "steps", 1, "on_decline")`` -> ``post_purchase.steps[1].on_decline``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _NAME.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{quoted(part, 60)}]"
    return text or FILE


@cache
def _child_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    def find(annotation: object) -> type[BaseModel] | None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        for arg in get_args(annotation):
            found = find(arg)
            if found is not None:
                return found
        return None

    return find(model.model_fields[name].annotation)


def _order_key(loc: Loc, model: type[BaseModel]) -> list[tuple[int, int, str]]:
    """File order: fields in the order the model declares them (unknown fields after), items by index."""
    key: list[tuple[int, int, str]] = []
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            key.append((0, part, ""))
            continue
        fields = list(current.model_fields) if current is not None else []
        if current is not None and part in fields:
            key.append((0, fields.index(part), ""))
            current = _child_model(current, part)
        else:
            key.append((1, 0, part))
            current = None
    return key


def problems_in_order(issues: Iterable[Issue], model: type[BaseModel]) -> list[Problem]:
    ordered = sorted(dict.fromkeys(issues), key=lambda issue: _order_key(issue[0], model))
    problems = [Problem(path_of(loc), message) for loc, message in ordered[:MAX_PROBLEMS]]
    if len(ordered) > MAX_PROBLEMS:
        problems.append(Problem(FILE, f"and {len(ordered) - MAX_PROBLEMS:,} more problems not listed"))
    return problems


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


# -- pydantic's errors -> problems -------------------------------------------------------------------------

_TYPE_WORDS = {
    "string_type": "text",
    "list_type": "a list",
    "tuple_type": "a list",
    "model_type": "an object",
    "dict_type": "an object",
    "model_attributes_type": "an object",
}


def _message(error: Any) -> str:
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    if kind == ERROR_TYPE:
        return str(ctx["reason"])
    if kind == "missing":
        return "field required"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind in _TYPE_WORDS:
        return f"must be {_TYPE_WORDS[kind]}, {not_(error.get('input'))}"
    if kind == "too_long":
        return f"has {ctx['actual_length']:,} items; at most {ctx['max_length']:,} are allowed"
    if kind == "too_short":
        return f"has {ctx['actual_length']:,} items; at least {ctx['min_length']:,} are needed"
    if kind == "string_too_long":
        return f"must be at most {ctx['max_length']:,} characters"
    message = str(error["msg"]).replace("Input should be", "must be")
    return message[:1].lower() + message[1:]


def issues_from(error: ValidationError) -> list[Issue]:
    return [(tuple(detail["loc"]), _message(detail)) for detail in error.errors(include_url=False)]


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
