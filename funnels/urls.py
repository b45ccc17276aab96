"""Routes of the funnel screens. ``list_views`` holds the list and whole-funnel actions, ``views`` the editor."""

from django.urls import path

from funnels import list_views, views

app_name = "funnels"

urlpatterns = [
    path("", list_views.funnel_list, name="list"),
    path("new/", list_views.funnel_new, name="new"),
    path("<slug:slug>/duplicate/", list_views.funnel_duplicate, name="duplicate"),
    path("<slug:slug>/delete/", list_views.funnel_delete, name="delete"),
    path("<slug:slug>/", views.editor, name="editor"),
    path("<slug:slug>/settings/", views.settings_update, name="settings"),
    path("<slug:slug>/steps/add/", views.step_add, name="step-add"),
    path("<slug:slug>/steps/<str:stage>/<slug:key>/take-rate/", views.step_take_rate, name="step-take-rate"),
    path("<slug:slug>/steps/post_purchase/<slug:key>/edges/", views.step_edges, name="step-edges"),
    path("<slug:slug>/steps/<str:stage>/<slug:key>/remove/", views.step_remove, name="step-remove"),
    path("<slug:slug>/steps/<str:stage>/<slug:key>/move/", views.step_move, name="step-move"),
    path("<slug:slug>/steps/<str:stage>/reorder/", views.steps_reorder, name="steps-reorder"),
    path("<slug:slug>/start/", views.start_set, name="start"),
]
