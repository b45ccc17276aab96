"""Routes of the catalog screens. Every change is a POST; an offer is addressed by its key in the practice."""

from django.urls import path

from offers import views

app_name = "offers"

urlpatterns = [
    path("", views.offer_list, name="list"),
    path("new/", views.offer_new, name="new"),
    path("hints/", views.offer_hints_view, name="hints"),
    path("<slug:key>/edit/", views.offer_edit, name="edit"),
    path("<slug:key>/archive/", views.offer_archive_view, name="archive"),
    path("<slug:key>/delete/", views.offer_delete_view, name="delete"),
]
