"""Routes of the funnel screens; each module of ``funnels.views`` is one screen."""

from django.urls import path

from funnels.views import acknowledgements, editor, forecast, preview, transfer
from funnels.views import list as funnel_list

app_name = "funnels"

urlpatterns = [
    path("", funnel_list.funnel_list, name="list"),
    path("new/", funnel_list.funnel_new, name="new"),
    path("import/", transfer.funnel_import_page, name="import"),
    path("<slug:slug>/duplicate/", funnel_list.funnel_duplicate, name="duplicate"),
    path("<slug:slug>/delete/", funnel_list.funnel_delete, name="delete"),
    path("<slug:slug>/", editor.editor, name="editor"),
    path("<slug:slug>/preview/", preview.preview, name="preview"),
    path("<slug:slug>/forecast/", forecast.forecast, name="forecast"),
    path("<slug:slug>/export/", transfer.funnel_export_download, name="export"),
    path("<slug:slug>/settings/", editor.settings_update, name="settings"),
    path("<slug:slug>/steps/add/", editor.step_add, name="step-add"),
    path("<slug:slug>/steps/<str:stage>/<slug:key>/take-rate/", editor.step_take_rate, name="step-take-rate"),
    path("<slug:slug>/steps/post_purchase/<slug:key>/edges/", editor.step_edges, name="step-edges"),
    path("<slug:slug>/steps/<str:stage>/<slug:key>/remove/", editor.step_remove, name="step-remove"),
    path("<slug:slug>/steps/<str:stage>/<slug:key>/move/", editor.step_move, name="step-move"),
    path("<slug:slug>/steps/<str:stage>/reorder/", editor.steps_reorder, name="steps-reorder"),
    path("<slug:slug>/start/", editor.start_set, name="start"),
    path("<slug:slug>/findings/acknowledge/", acknowledgements.finding_acknowledge, name="finding-acknowledge"),
    path("<slug:slug>/findings/reopen/", acknowledgements.finding_reopen, name="finding-reopen"),
]
