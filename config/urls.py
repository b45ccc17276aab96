from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from core.csp_reports import csp_report


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and the benchmark's baseline: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says (a download, a PDF, a JSON
    export): answer with the SVG icon, not a 404 in the console. Resolved per request, so the hashed
    name a production static storage gives it is the one sent."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("csp-report/", csp_report, name="csp-report"),
    path("", RedirectView.as_view(pattern_name="funnels:list", permanent=False)),
    path("accounts/", include("accounts.urls")),
    path("offers/", include("offers.urls")),
    path("funnels/", include("funnels.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
