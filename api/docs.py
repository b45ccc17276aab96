"""The interactive docs at ``/api/docs``: Swagger UI from the vendored files (``static/vendor/swagger-ui-dist-…``),
never a CDN, and within the site's strict Content Security Policy: the page has no inline script or style; its
settings travel as a JSON data block that ``static/js/api-docs.js`` (an ordinary same-origin script) reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

SWAGGER_UI = "vendor/swagger-ui-dist-5.35.0"


class VendoredSwagger(DocsBase):
    settings: dict[str, Any] = {"deepLinking": True, "persistAuthorization": False, "tryItOutEnabled": False}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        config = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"api": api, "swagger_ui": SWAGGER_UI, "swagger_settings": config}
        return render(request, "api/docs.html", context)
