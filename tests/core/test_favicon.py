"""/favicon.ico, which browsers ask for on their own, answers with the SVG icon rather than a 404."""

from __future__ import annotations

from django.test import Client


def test_the_favicon_ico_redirects_to_the_svg_icon() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
