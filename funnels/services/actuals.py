"""The reality check's reads and its one write: the figures of an orders file against a funnel, and "use the
observed rates", which saves every observed rate into the funnel as one edit and one version.

Reading never writes: the command line reads a file against a funnel file; the background task (through
``funnels.services.orders_uploads``) keeps only the counts, and only for a file with no problem at all.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import IO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from core.money import RATE_STEP
from funnels.domain.actuals import (
    DEFAULT_WINDOW_MINUTES,
    Actuals,
    FunnelPlaces,
    PathCounts,
    compute_actuals,
    new_counter,
)
from funnels.domain.plan import FunnelPlan, Stage
from funnels.interchange.orders import Progress, buyer_hash_key, read_orders
from funnels.interchange.orders_mapping import ORDERS_FORMAT, ColumnMapping
from funnels.models import Funnel, FunnelStep
from funnels.services.editing import FunnelEditError, claim_version


def orders_buyer_key() -> bytes:
    """The HMAC key for buyers' emails, from the site's secret; where none is set (a command in a fresh clone) a
    random one for this run, so addresses still match within the file and are never kept."""
    try:
        secret: str | bytes = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        secret = b""
    return buyer_hash_key(secret or secrets.token_bytes(32))


@dataclass(frozen=True)
class OrdersCount:
    """What reading a file against a funnel found: the places, every count, and the notes on the columns."""

    places: FunnelPlaces
    counts: PathCounts
    notes: tuple[str, ...]
    window_minutes: int


def orders_count(
    *,
    plan: FunnelPlan,
    stream: IO[bytes],
    catalog: Mapping[str, str] | frozenset[str] | list[str],
    window_minutes: int = DEFAULT_WINDOW_MINUTES,
    mapping: ColumnMapping = ORDERS_FORMAT,
    buyer_key: bytes | None = None,
    progress: Progress | None = None,
) -> OrdersCount:
    """Read the whole file, then count its buyers. Raises ``OrdersFileError`` (every problem, nothing counted) or
    ``UncomputableFunnel`` (the funnel's shape cannot be counted)."""
    places, counter = new_counter(plan, window_minutes=window_minutes)
    table = read_orders(
        stream,
        offers=list(catalog),
        currency=plan.currency,
        buyer_key=buyer_key if buyer_key is not None else orders_buyer_key(),
        mapping=mapping,
        progress=progress,
    )
    counter.add_rows(table.grouped())
    return OrdersCount(places, counter.counts, tuple(table.notes), window_minutes)


def orders_actuals(*, plan: FunnelPlan, counted: OrdersCount) -> Actuals:
    """The figures; raises ``NoVisits`` when no paid purchase of the core offer was found."""
    return compute_actuals(plan, counted.places, counted.counts, window_minutes=counted.window_minutes)


def stored_rate(rate: Decimal) -> Decimal:
    """A rate as a funnel stores it (four places, 12.34%), rounded half up."""
    return rate.quantize(RATE_STEP, rounding=ROUND_HALF_UP)


def funnel_take_rates_set(
    *, funnel: Funnel, expected_version: int, rates: Mapping[tuple[Stage, str], Decimal]
) -> list[FunnelStep]:
    """Set many steps' take rates (by stage and key) as one edit: one version claimed, all saved or none."""
    if not rates:
        raise FunnelEditError("there is no observed rate to use: no buyer saw any step")
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        wanted = {(stage.value, key): rate for (stage, key), rate in rates.items()}
        steps = [s for s in FunnelStep.objects.filter(funnel=funnel) if (s.stage, s.key) in wanted]
        missing = set(wanted) - {(s.stage, s.key) for s in steps}
        if missing:
            names = ", ".join(f"{key} ({stage.replace('_', '-')})" for stage, key in sorted(missing))
            raise FunnelEditError(f"the funnel no longer has the steps {names}; upload the orders again")
        for step in steps:
            rate = stored_rate(wanted[(step.stage, step.key)])
            if not 0 <= rate <= 1:
                raise FunnelEditError(f'the rate for "{step.key}" must lie between 0 and 1')
            step.take_rate = rate
        FunnelStep.objects.bulk_update(steps, ["take_rate"])
    return steps
