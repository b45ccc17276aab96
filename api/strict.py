"""Unknown query parameters are refused, as unknown fields of a body or a file are: ``?limt=5`` gets 422 naming
``query.limt`` instead of quietly giving fifty rows. Installed on every operation (``api.site``); each operation's
own parameters are read from what ninja parsed out of its signature."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from api.errors import ApiError

Run = Callable[..., HttpResponseBase]


def _query_names(run: Run) -> frozenset[str]:
    operation = getattr(run, "__self__", None)
    names: set[str] = set()
    for model in getattr(operation, "models", ()):
        if getattr(model, "__ninja_param_source__", None) == "query":
            names.update(getattr(model, "__ninja_flatten_map__", {}) or {})
    return frozenset(names)


def refuse_unknown_query(run: Run) -> Run:
    """A ninja "view" decorator: it wraps ``Operation.run``, so it runs before the parameters are validated."""
    allowed = _query_names(run)
    operation = getattr(run, "__self__", None)

    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        unknown = sorted(name for name in request.GET if name not in allowed)
        if unknown and operation is not None:
            problems = [(f"query.{name}"[:200], "unknown parameter") for name in unknown[:20]]
            said = f"unknown query parameters; this operation takes {', '.join(sorted(allowed)) or 'none'}"
            refused: HttpResponseBase = operation.api.on_exception(request, ApiError(422, said, problems))
            return refused
        return run(request, *args, **kwargs)

    return checked
