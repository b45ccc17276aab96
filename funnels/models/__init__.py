"""The funnels app's tables, one module an idea; import them from here (``from funnels.models import Funnel``)."""

from funnels.models.actuals import OrdersMapping, OrdersUpload, UploadStatus
from funnels.models.funnel import (
    RESERVED_SLUGS,
    SLOT_CHOICES,
    STAGE_CHOICES,
    VALID_STAGE_SLOTS,
    Funnel,
    FunnelStatus,
    FunnelStep,
)
from funnels.models.version import FunnelVersion, VersionKind

__all__ = [
    "OrdersMapping",
    "OrdersUpload",
    "UploadStatus",
    "RESERVED_SLUGS",
    "SLOT_CHOICES",
    "STAGE_CHOICES",
    "VALID_STAGE_SLOTS",
    "Funnel",
    "FunnelStatus",
    "FunnelStep",
    "FunnelVersion",
    "VersionKind",
]
