from django.contrib import admin

from funnels.models import Funnel, FunnelStep


class FunnelStepInline(admin.TabularInline[FunnelStep, Funnel]):
    model = FunnelStep
    fk_name = "funnel"
    extra = 0
    fields = ("key", "stage", "slot", "offer", "take_rate", "on_accept", "on_decline", "position")
    autocomplete_fields = ("offer",)


@admin.register(Funnel)
class FunnelAdmin(admin.ModelAdmin[Funnel]):
    list_display = ("name", "practice", "core_offer", "status", "version", "updated_at")
    list_filter = ("practice", "status")
    search_fields = ("name", "slug")
    readonly_fields = ("version",)
    inlines = [FunnelStepInline]
    list_select_related = ("practice", "core_offer")
