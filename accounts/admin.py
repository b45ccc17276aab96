from django.contrib import admin

from accounts.models import Membership, Practice


class MembershipInline(admin.TabularInline[Membership, Practice]):
    model = Membership
    extra = 0


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin[Practice]):
    list_display = ("name", "slug", "currency", "price_jump_ratio", "bump_max_share", "max_one_click_offers")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]
