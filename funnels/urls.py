"""Routes of the funnel screens; each module of ``funnels.views`` is one screen."""

from django.urls import path

from funnels.views import (
    acknowledgements,
    actuals,
    editor,
    editor_choices,
    editor_steps,
    forecast,
    history,
    preview,
    transfer,
    trash,
)
from funnels.views import list as funnel_list

app_name = "funnels"

urlpatterns = [
    path("", funnel_list.funnel_list, name="list"),
    path("new/", funnel_list.funnel_new, name="new"),
    path("import/", transfer.funnel_import_page, name="import"),
    path("trash/", trash.trash_page, name="trash"),
    path("trash/empty/", trash.trash_empty_page, name="trash-empty"),
    path("trash/<slug:slug>/restore/", trash.trash_restore, name="trash-restore"),
    path("trash/<slug:slug>/purge/", trash.trash_purge, name="trash-purge"),
    path("<slug:slug>/duplicate/", funnel_list.funnel_duplicate, name="duplicate"),
    path("<slug:slug>/delete/", funnel_list.funnel_delete, name="delete"),
    path("<slug:slug>/", editor.editor, name="editor"),
    path("<slug:slug>/preview/", preview.preview, name="preview"),
    path("<slug:slug>/forecast/", forecast.forecast, name="forecast"),
    path("<slug:slug>/actuals/", actuals.actuals_page, name="actuals"),
    path("<slug:slug>/actuals/upload/", actuals.upload, name="actuals-upload"),
    path("<slug:slug>/actuals/<int:pk>/map/", actuals.mapping, name="actuals-map"),
    path("<slug:slug>/actuals/<int:pk>/progress/", actuals.progress, name="actuals-progress"),
    path("<slug:slug>/actuals/<int:pk>/apply/", actuals.apply_rates, name="actuals-apply"),
    path("<slug:slug>/export/", transfer.funnel_export_download, name="export"),
    path("<slug:slug>/history/", history.history, name="history"),
    path("<slug:slug>/history/diff/", history.diff, name="history-diff"),
    path("<slug:slug>/history/<int:number>/restore/", history.restore, name="history-restore"),
    path("<slug:slug>/history/<int:number>/export/", history.version_export, name="history-export"),
    path("<slug:slug>/undo/", history.undo, name="undo"),
    path("<slug:slug>/redo/", history.redo, name="redo"),
    path("<slug:slug>/settings/", editor.settings_update, name="settings"),
    path("<slug:slug>/rename/", editor.rename, name="rename"),
    path("<slug:slug>/status/", editor.status_set, name="status"),
    path("<slug:slug>/core/choices/", editor_choices.core_form, name="core-choices"),
    path("<slug:slug>/steps/add/", editor_steps.step_add, name="step-add"),
    path("<slug:slug>/steps/add/choices/", editor_choices.add_form, name="add-choices"),
    path("<slug:slug>/steps/reinstate/", editor_steps.step_reinstate, name="step-reinstate"),
    path("<slug:slug>/steps/<str:stage>/<slug:key>/take-rate/", editor_steps.step_take_rate, name="step-take-rate"),
    path("<slug:slug>/steps/post_purchase/<slug:key>/edges/", editor_steps.step_edges, name="step-edges"),
    path("<slug:slug>/steps/post_purchase/<slug:key>/edges/choices/", editor_choices.edge_form, name="edge-choices"),
    path("<slug:slug>/steps/<str:stage>/<slug:key>/remove/", editor_steps.step_remove, name="step-remove"),
    path("<slug:slug>/steps/<str:stage>/<slug:key>/move/", editor_steps.step_move, name="step-move"),
    path("<slug:slug>/steps/<str:stage>/reorder/", editor_steps.steps_reorder, name="steps-reorder"),
    path("<slug:slug>/start/", editor_steps.start_set, name="start"),
    path("<slug:slug>/findings/acknowledge/", acknowledgements.finding_acknowledge, name="finding-acknowledge"),
    path("<slug:slug>/findings/reopen/", acknowledgements.finding_reopen, name="finding-reopen"),
]
