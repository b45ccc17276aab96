from django.contrib import admin

from offers.models import CopyAcknowledgement, Offer


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin[Offer]):
    list_display = ("name", "key", "kind", "price", "currency", "status", "practice")
    list_filter = ("practice", "kind", "status")
    search_fields = ("name", "key", "headline")
    list_select_related = ("practice",)


@admin.register(CopyAcknowledgement)
class CopyAcknowledgementAdmin(admin.ModelAdmin[CopyAcknowledgement]):
    list_display = ("offer", "code", "reason", "acknowledged_by", "acknowledged_at")
    list_filter = ("code",)
    list_select_related = ("offer", "acknowledged_by")
