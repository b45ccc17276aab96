"""How the API says no: one JSON shape for every refusal, ``{"detail": …, "problems": [{"path", "message"}]}``,
and the status that says which kind it is.

A bad body is 422 with every problem and its JSON path, worded as the file import words them
(``post_purchase.steps[1].on_decline: no step "dwn1"``); a stale ``If-Match`` is 412 with the funnel's current
version; another practice's object is 404, exactly like one that does not exist. Handlers are registered on the
API (``api.site``) so endpoints only raise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from api.services.idempotency import IdempotencyKeyReused
from api.services.tokens import TokenRefused
from funnels.interchange.problems import FunnelFileError, Loc, path_of
from funnels.selectors import FunnelNotFound, StepNotFound
from funnels.services.editing import FunnelEditError, StaleFunnel
from offers.selectors import OfferNotFound
from offers.services import OfferInUse

BODY = "(body)"
FIELD_PATHS = {"default_take_rate": "take_rate", "__all__": BODY}
"""The catalog service's field names where the API's body calls them otherwise."""


@dataclass
class ApiError(Exception):
    """A refusal an endpoint raises: its status, one sentence, and the problems with their paths."""

    status: int
    detail: str
    problems: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.detail


def invalid(path: str, message: str) -> ApiError:
    """422 for one problem at ``path`` (what an endpoint finds wrong before calling a service)."""
    return ApiError(422, "the request has problems; each is listed with where it is", [(path, message)])


class TokenRejected(AuthenticationError):
    """No token, an unknown one, or one revoked or expired: 401 with ``WWW-Authenticate``."""

    def __init__(self, message: str = "send a valid API token as Authorization: Bearer <token>") -> None:
        super().__init__(status_code=401, message=message)


def body(detail: str, problems: Iterable[tuple[str, str]] = (), **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "problems": [{"path": p, "message": m} for p, m in problems], **extra}


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind == "missing":
        return "field required"
    if kind == "extra_forbidden":
        return "unknown field"
    message = str(error.get("msg", "is not valid")).replace("Input should be", "must be")
    return message[:1].lower() + message[1:]


def _where(loc: Loc) -> str:
    """``("body", "offer", "price")`` → ``price``; ``("query", "limit")`` → ``query.limit``."""
    source, *rest = loc or ("body",)
    if source == "body":
        return path_of(tuple(rest[1:])) if len(rest) > 1 else BODY
    return f"{source}.{path_of(tuple(rest))}" if rest else str(source)


def _handlers(api: NinjaAPI) -> dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]:
    def respond(
        request: HttpRequest, status: int, data: dict[str, Any], headers: Mapping[str, str] = {}
    ) -> HttpResponse:
        response = api.create_response(request, data, status=status)
        for name, value in headers.items():
            response[name] = value
        return response

    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, body(exc.detail, exc.problems, **exc.extra), exc.headers)

    def validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        problems = [(_where(tuple(e.get("loc", ()))), _message(e)) for e in exc.errors]
        return respond(request, 422, body("the request has problems; each is listed with where it is", problems))

    def file_error(request: HttpRequest, exc: FunnelFileError) -> HttpResponse:
        problems = [(p.path, p.message) for p in exc.problems]
        return respond(request, 422, body("the funnel document has problems; nothing was written", problems))

    def django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            problems = [
                (FIELD_PATHS.get(name, name), message)
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            problems = [(BODY, message) for message in exc.messages]
        return respond(request, 422, body("the offer has problems; nothing was written", problems))

    def stale(request: HttpRequest, exc: StaleFunnel) -> HttpResponse:
        headers = {"ETag": f'"{exc.current}"'} if exc.current is not None else {}
        return respond(request, 412, body(str(exc), current_version=exc.current), headers)

    def edit_error(request: HttpRequest, exc: FunnelEditError) -> HttpResponse:
        return respond(
            request, 422, body("the change cannot be made as asked; nothing was written", [(BODY, str(exc))])
        )

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, body(str(exc) if not isinstance(exc, Http404) else "not found"))

    def conflict(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 409, body(str(exc)))

    def reused_key(request: HttpRequest, exc: IdempotencyKeyReused) -> HttpResponse:
        return respond(request, 422, body(str(exc), [("header.Idempotency-Key", str(exc))]))

    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, body("the request body is too large"))

    def token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
        return respond(request, 422, body(str(exc), [(BODY, str(exc))]))

    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = str(exc) if isinstance(exc, TokenRejected) else TokenRejected().message
        return respond(request, 401, body(message), {"WWW-Authenticate": 'Bearer realm="api"'})

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return respond(request, 422, body("the request body is not JSON", [(BODY, "not valid JSON")]))
        return respond(request, exc.status_code, body(str(exc)))

    return {
        ApiError: api_error,
        NinjaValidationError: validation,
        FunnelFileError: file_error,
        DjangoValidationError: django_validation,
        StaleFunnel: stale,
        FunnelEditError: edit_error,
        FunnelNotFound: not_found,
        StepNotFound: not_found,
        OfferNotFound: not_found,
        Http404: not_found,
        OfferInUse: conflict,
        IdempotencyKeyReused: reused_key,
        RequestDataTooBig: too_big,
        TokenRefused: token_refused,
        AuthenticationError: unauthenticated,
        HttpError: http_error,
    }


def register_handlers(api: NinjaAPI, extra: Mapping[type[Exception], int] | None = None) -> None:
    """Install the handlers; ``extra`` maps further exception types (another app's) to a plain status."""
    for kind, handler in _handlers(api).items():
        api.add_exception_handler(kind, handler)
    for kind, status in (extra or {}).items():
        api.add_exception_handler(kind, _plain(api, status))


def _plain(api: NinjaAPI, status: int) -> Callable[[HttpRequest, Any], HttpResponse]:
    def plain(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, body(str(exc)), status=status)

    return plain
