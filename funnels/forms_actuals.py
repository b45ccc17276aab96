"""What a coach sends to the reality check: an export to upload, how its columns and products map, a planned
change to size. Checked here before any service runs; every message says which field and what is wrong."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest

from funnels.interchange.orders_mapping import FIELD_LABELS, FIELDS, REQUIRED_FIELDS, SOURCE_LABELS
from funnels.models.actuals import MAX_WINDOW_MINUTES

NOT_AN_OFFER = "-"
OFFSETS = [("", "They carry their own offset (required)")] + [
    (str(minutes), f"UTC{'+' if minutes >= 0 else '−'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}")
    for minutes in (0, 60, 120, 180, 330, 540, -300, -360, -420, -480)
]


def size_text(size: int) -> str:
    """A size as people read it: 512 MiB, 1.5 GiB, 700 KiB, 999 bytes."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{size:,} bytes"


def upload_limit() -> int:
    """The largest orders file accepted, in bytes (``ORDERS_UPLOAD_MAX_BYTES``)."""
    return int(settings.ORDERS_UPLOAD_MAX_BYTES)


def too_large_message(size: int, limit: int) -> str:
    return (
        f"This file is {size_text(size)}; an orders file may be at most {size_text(limit)}. "
        "Export a shorter period (or split the file) and upload each part."
    )


class TooLargeUpload(UploadedFile[bytes]):
    """What the form receives for a file over the limit: its name and full size, and none of its bytes."""

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=size)

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> TooLargeUpload:
        raise ValueError("a file over the upload limit was never kept")


class SizeLimitedUpload(FileUploadHandler):
    """First of the request's upload handlers (``request.upload_handlers.insert(0, ...)`` before the body is
    parsed): past ``limit`` bytes a file's data is passed on to no handler, so it is neither kept in memory nor
    written to disk, and the form gets a ``TooLargeUpload`` to refuse."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.over = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.over or start + len(raw_data) > self.limit:
            self.over = True
            return None  # the handlers after this one get nothing more of this file
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile[bytes] | None:
        if not self.over:
            return None  # the next handler keeps the file, as usual
        for handler in self.request.upload_handlers if self.request is not None else ():
            kept = getattr(handler, "file", None)
            if handler is not self and kept is not None:
                kept.close()  # the part received before the limit goes too
        return TooLargeUpload(self.file_name or "orders.csv", file_size, self.content_type)


class OrdersUploadForm(forms.Form):
    file = forms.FileField(label="Orders export (CSV)")
    source = forms.ChoiceField(label="Kind of export", choices=list(SOURCE_LABELS.items()))
    window = forms.IntegerField(
        label="Window (minutes)",
        min_value=0,
        max_value=MAX_WINDOW_MINUTES,
        initial=60,
        help_text="Purchases up to this long after a core purchase belong to its visit.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"At most {size_text(upload_limit())}."

    def clean_file(self) -> UploadedFile[bytes]:
        uploaded: UploadedFile[bytes] = self.cleaned_data["file"]
        limit = upload_limit()
        if isinstance(uploaded, TooLargeUpload) or (uploaded.size or 0) > limit:
            raise forms.ValidationError(too_large_message(uploaded.size or 0, limit), code="too_large")
        return uploaded


class OrdersMappingForm(forms.Form):
    """One choice of column per field (from the file's header) and one offer per product name found."""

    def __init__(
        self,
        *args: Any,
        header: list[str],
        products: list[str],
        offers: dict[str, str],
        columns: dict[str, str],
        mapped: dict[str, str],
        offset: int | None,
        month_first: bool,
        strict: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        lowered = {name.lower(): name for name in header}
        column_choices = [("", "— not in this file —")] + [(name, name) for name in header]
        for name in FIELDS:
            initial = lowered.get(columns.get(name, "").lower(), "")
            self.fields[f"column_{name}"] = forms.ChoiceField(
                label=FIELD_LABELS[name], choices=column_choices, required=name in REQUIRED_FIELDS, initial=initial
            )
        offer_choices = [("", "— choose —"), (NOT_AN_OFFER, "Not one of my offers (counted as unmatched)")]
        offer_choices += [(key, f"{name} ({key})") for key, name in offers.items()]
        self.products = products
        for i, product in enumerate(products):
            initial = mapped[product] or NOT_AN_OFFER if product in mapped else product if product in offers else ""
            self.fields[f"product_{i}"] = forms.ChoiceField(
                label=product, choices=offer_choices, required=True, initial=initial
            )
        if not strict:
            self.fields["offset"] = forms.ChoiceField(
                label="Times without an offset are in",
                choices=OFFSETS,
                required=False,
                initial="" if offset is None else str(offset),
            )
            self.fields["month_first"] = forms.BooleanField(
                label="Dates are written month first (MM/DD/YYYY)", required=False, initial=month_first
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [cleaned.get(f"column_{name}") for name in FIELDS if cleaned.get(f"column_{name}")]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError("Each column of the file can stand for one field only.")
        return cleaned

    def columns(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"column_{name}") or "" for name in FIELDS}

    def product_map(self) -> dict[str, str]:
        found = {}
        for i, product in enumerate(self.products):
            key = self.cleaned_data[f"product_{i}"]
            found[product] = "" if key == NOT_AN_OFFER else key
        return found

    def offset(self) -> int | None:
        value = self.cleaned_data.get("offset") or ""
        return int(value) if value != "" else None


class PlannedChangeForm(forms.Form):
    """A change to test on one step: how many points of take rate it should move (either way)."""

    change = forms.DecimalField(
        label="Change to detect (points of take rate)",
        min_value=Decimal("-99"),
        max_value=Decimal("99"),
        decimal_places=2,
        initial=Decimal("5"),
    )

    def __init__(self, *args: Any, steps: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"] = forms.ChoiceField(label="Step to change", choices=steps)
        self.order_fields(["step", "change"])

    def clean_change(self) -> Decimal:
        change: Decimal = self.cleaned_data["change"]
        if change == 0:
            raise forms.ValidationError("Enter a change other than zero, such as 5 or -3.")
        return change / 100


class ApplyRatesForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
