from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from offers.models import CopyAcknowledgement, Offer
from offers.services import catalog_changed


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin[Offer]):
    list_display = ("name", "key", "kind", "price", "currency", "status", "practice")
    list_filter = ("practice", "kind", "status")
    search_fields = ("name", "key", "headline")
    list_select_related = ("practice",)

    def save_model(self, request: HttpRequest, obj: Offer, form: Any, change: bool) -> None:
        """Saved as the staff member typed it; the practice's catalog version counts it as the services do."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            catalog_changed(obj.practice_id)

    def delete_model(self, request: HttpRequest, obj: Offer) -> None:
        with transaction.atomic():
            super().delete_model(request, obj)
            catalog_changed(obj.practice_id)


@admin.register(CopyAcknowledgement)
class CopyAcknowledgementAdmin(admin.ModelAdmin[CopyAcknowledgement]):
    list_display = ("offer", "code", "reason", "acknowledged_by", "acknowledged_at")
    list_filter = ("code",)
    list_select_related = ("offer", "acknowledged_by")
