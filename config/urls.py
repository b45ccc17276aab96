from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="funnels:list", permanent=False)),
    path("accounts/", include("accounts.urls")),
    path("offers/", include("offers.urls")),
    path("funnels/", include("funnels.urls")),
    path("admin/", admin.site.urls),
]
