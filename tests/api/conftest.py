"""API test setup: tokens made through the service (as the owners' page makes them) and a client that sends one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from accounts.audit import SYSTEM
from accounts.models import Practice
from api.services.tokens import NewToken, token_create


def make_token(
    practice: Practice, scope: str = "write", expires_at: datetime | None = None, name: str = "script"
) -> NewToken:
    return token_create(practice=practice, name=name, scope=scope, expires_at=expires_at, actor=SYSTEM)


class ApiClient(Client):
    """A test client that sends the token and JSON bodies, as a script would."""

    def __init__(self, secret: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.secret = secret

    def call(self, method: str, path: str, json: Any = None, raw: bytes | str | None = None, **headers: str) -> Any:
        extra = {"headers": dict(headers)}
        if self.secret is not None:
            extra["headers"]["Authorization"] = f"Bearer {self.secret}"
        if json is not None or raw is not None:
            import json as json_module

            data = raw if raw is not None else json_module.dumps(json)
            return self.generic(method.upper(), path, data=data, content_type="application/json", **extra)
        return self.generic(method.upper(), path, **extra)


@pytest.fixture
def writer(practice: Practice) -> ApiClient:
    return ApiClient(make_token(practice, "write").secret)


@pytest.fixture
def reader(practice: Practice) -> ApiClient:
    return ApiClient(make_token(practice, "read").secret)
