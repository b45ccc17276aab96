"""What is wrong with a funnel file, said plainly: the :class:`Problem` lines and how they are worded and ordered.

A problem reads ``<path>: <message>``. The path is dotted field names with ``[i]`` indices
(``post_purchase.steps[1].on_decline``); ``(file)`` is the file as a whole. Messages are plain English:
``must be …, not …`` for a wrong value, ``field required``, ``unknown field``, ``no offer "x"``. Every check
gathers ``(location, message)`` issues; pydantic's errors are translated into the same; and they come out
sorted in file order (fields in the models' order, unknown fields after the known ones), at most
``MAX_PROBLEMS`` of them, so that a file gets every problem at once, in the order one would fix them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, NoReturn, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

MAX_PROBLEMS = 200
"""A hopeless file would otherwise list thousands; past this many, one line says how many more there are."""

FILE = "(file)"
ERROR_TYPE = "funnel_file"

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
