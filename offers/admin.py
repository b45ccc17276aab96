from django.contrib import admin

from offers.models import Offer


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin[Offer]):
    list_display = ("name", "key", "kind", "price", "currency", "status", "practice")
    list_filter = ("practice", "kind", "status")
    search_fields = ("name", "key", "headline")
    list_select_related = ("practice",)
