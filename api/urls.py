"""``/api/``: the owners' token page, then the API (``/api/v1/…``, ``/api/openapi.json``, ``/api/docs``)."""

from django.urls import path

from api import views
from api.site import api

urlpatterns = [
    path("tokens/", views.tokens, name="api-tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke, name="api-token-revoke"),
    path("", api.urls),
]
