from django.urls import path

from funnels import views

app_name = "funnels"

urlpatterns = [
    path("", views.funnel_list, name="list"),
]
