from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView

from core.csp_reports import csp_report


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and the benchmark's baseline: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("csp-report/", csp_report, name="csp-report"),
    path("", RedirectView.as_view(pattern_name="funnels:list", permanent=False)),
    path("accounts/", include("accounts.urls")),
    path("offers/", include("offers.urls")),
    path("funnels/", include("funnels.urls")),
    path("admin/", admin.site.urls),
]
