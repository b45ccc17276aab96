"""Reads for the reality check, each inside one practice: its uploads of orders files, its remembered
mappings, and the names of its catalog (the offers an orders file may name)."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Practice
from funnels.models import Funnel, OrdersMapping, OrdersUpload, UploadStatus
from offers.models import Offer


class UploadNotFound(LookupError):
    """The practice has no such upload for this funnel."""


def orders_upload_get(*, practice: Practice, pk: int, funnel: Funnel | None = None) -> OrdersUpload:
    rows = OrdersUpload.objects.filter(practice=practice, pk=pk).select_related("funnel", "practice")
    if funnel is not None:
        rows = rows.filter(funnel=funnel)
    found = rows.first()
    if found is None:
        raise UploadNotFound(f"the practice has no upload {pk}")
    return found


def orders_uploads_recent(*, practice: Practice, funnel: Funnel, limit: int = 5) -> list[OrdersUpload]:
    return list(OrdersUpload.objects.filter(practice=practice, funnel=funnel).order_by("-created_at", "-id")[:limit])


def orders_upload_latest_done(*, practice: Practice, funnel: Funnel) -> OrdersUpload | None:
    return (
        OrdersUpload.objects.filter(practice=practice, funnel=funnel, status=UploadStatus.DONE)
        .order_by("-created_at", "-id")
        .first()
    )


def orders_mapping_get(*, practice: Practice, source: str) -> OrdersMapping | None:
    return OrdersMapping.objects.filter(practice=practice, source=source).first()


def catalog_names(*, practice: Practice) -> dict[str, str]:
    """The practice's offers, key -> name, by name: what an orders file may name, and what a product maps to."""
    rows: QuerySet[Offer] = Offer.objects.filter(practice=practice).order_by("name", "key")
    return {key: name for key, name in rows.values_list("key", "name")}
