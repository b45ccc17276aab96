"""``{% said_when moment %}``: a time as people say it ("now", "3 hours ago"), correct however long the page it
is on stays in the page cache (``accounts.page_cache``): a kept page holds a slot that each serve fills in."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime

from accounts.page_cache import LATE_BOUND, when_slot

register = template.Library()


@register.simple_tag(takes_context=True)
def said_when(context: template.Context, moment: datetime | None) -> str:
    if moment is None:
        return ""
    if context.get(LATE_BOUND):
        return when_slot(moment)
    return str(naturaltime(moment))
