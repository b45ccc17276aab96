"""The funnels app's forms, one module an idea: the editor's (``editing``), the list page's new-funnel forms
(``new_funnel``) and the import page's (``upload``). Import them from here."""

from __future__ import annotations

from funnels.forms.editing import (
    THANK_YOU_CHOICE,
    AcknowledgeForm,
    AddHereForm,
    CoreOfferForm,
    EdgeForm,
    EdgesForm,
    MoveForm,
    Place,
    PlaceRule,
    RenameForm,
    ReopenForm,
    StartForm,
    StatusForm,
    TakeRateForm,
    first_error,
)
from funnels.forms.new_funnel import (
    NEW_CORE_OFFER,
    PRICE_EXAMPLE,
    BlankFunnelForm,
    DemoFunnelForm,
    demo_choices,
)
from funnels.forms.upload import (
    FILE_NAME_MAX,
    TOO_BIG,
    ConfirmForm,
    UploadForm,
    clean_slug,
    shown_file_name,
)

__all__ = [
    "AcknowledgeForm",
    "AddHereForm",
    "BlankFunnelForm",
    "ConfirmForm",
    "CoreOfferForm",
    "DemoFunnelForm",
    "EdgeForm",
    "EdgesForm",
    "FILE_NAME_MAX",
    "MoveForm",
    "NEW_CORE_OFFER",
    "PRICE_EXAMPLE",
    "Place",
    "PlaceRule",
    "RenameForm",
    "ReopenForm",
    "StartForm",
    "StatusForm",
    "THANK_YOU_CHOICE",
    "TOO_BIG",
    "TakeRateForm",
    "UploadForm",
    "clean_slug",
    "demo_choices",
    "first_error",
    "shown_file_name",
]
