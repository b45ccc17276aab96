"""The funnels app's tables, one module an idea; import them from here (``from funnels.models import Funnel``)."""

from funnels.models.funnel import (
    RESERVED_SLUGS,
    SLOT_CHOICES,
    STAGE_CHOICES,
    VALID_STAGE_SLOTS,
    Funnel,
    FunnelStatus,
    FunnelStep,
)

__all__ = [
    "RESERVED_SLUGS",
    "SLOT_CHOICES",
    "STAGE_CHOICES",
    "VALID_STAGE_SLOTS",
    "Funnel",
    "FunnelStatus",
    "FunnelStep",
]
