"""Routes of the funnel screens: ``list_views`` the list and whole-funnel actions, ``views`` the editor,
``preview_views`` the buyer's-eye preview, ``forecast_views`` the forecast, ``transfer_views`` import and export."""

from django.urls import path

from funnels import forecast_views, list_views, preview_views, transfer_views, views

app_name = "funnels"

urlpatterns = [
    path("", list_views.funnel_list, name="list"),
    path("new/", list_views.funnel_new, name="new"),
    path("import/", transfer_views.funnel_import_page, name="import"),
    path("<slug:slug>/duplicate/", list_views.funnel_duplicate, name="duplicate"),
    path("<slug:slug>/delete/", list_views.funnel_delete, name="delete"),
    path("<slug:slug>/", views.editor, name="editor"),
    path("<slug:slug>/preview/", preview_views.preview, name="preview"),
    path("<slug:slug>/forecast/", forecast_views.forecast, name="forecast"),
    path("<slug:slug>/export/", transfer_views.funnel_export_download, name="export"),
    path("<slug:slug>/settings/", views.settings_update, name="settings"),
    path("<slug:slug>/steps/add/", views.step_add, name="step-add"),
    path("<slug:slug>/steps/<str:stage>/<slug:key>/take-rate/", views.step_take_rate, name="step-take-rate"),
    path("<slug:slug>/steps/post_purchase/<slug:key>/edges/", views.step_edges, name="step-edges"),
    path("<slug:slug>/steps/<str:stage>/<slug:key>/remove/", views.step_remove, name="step-remove"),
    path("<slug:slug>/steps/<str:stage>/<slug:key>/move/", views.step_move, name="step-move"),
    path("<slug:slug>/steps/<str:stage>/reorder/", views.steps_reorder, name="steps-reorder"),
    path("<slug:slug>/start/", views.start_set, name="start"),
]
