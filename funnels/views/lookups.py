"""The one way a funnel screen finds its funnel: in the request's practice, else 404 (another practice's
funnel is simply not found, so its existence is never confirmed)."""

from __future__ import annotations

from django.http import Http404

from accounts.models import Practice
from funnels.models import Funnel
from funnels.selectors import FunnelNotFound, funnel_get


def funnel_or_404(practice: Practice, slug: str, *, key_only: bool = False) -> Funnel:
    """``key_only``: only what a kept page's key reads (``funnels.selectors.KEY_FIELDS``)."""
    try:
        return funnel_get(practice=practice, slug=slug, key_only=key_only)
    except FunnelNotFound as missing:
        raise Http404(str(missing)) from None
