from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The workspace a view resolved (``workspace_required``), for the navigation's practice switcher."""
    return {"workspace": getattr(request, "workspace", None)}
