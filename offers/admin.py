from django.contrib import admin

from offers.models import Membership, Offer, Practice


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "currency", "price_jump_ratio", "bump_max_share", "max_one_click_offers")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "kind", "price", "currency", "status", "practice")
    list_filter = ("practice", "kind", "status")
    search_fields = ("name", "key", "headline")
    list_select_related = ("practice",)
