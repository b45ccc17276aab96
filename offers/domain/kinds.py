"""The catalog's vocabulary, free of Django so the funnel engine can reason with it.

The primer's four words map to kinds: an upsell is "go bigger", a downsell "go smaller", a cross-sell
"go sideways" and an order bump "a quick yes-or-no at the till"; the core offer is the first yes.
Typical take rates are labelled "typical claimed": they are what practices report, not facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from core.money import RATE_STEP

DEFAULT_ACCEPT_LABEL = "Yes, add this to my order"
DEFAULT_DECLINE_LABEL = "No, thank you"


class OfferKind(StrEnum):
    CORE = "core"
    ORDER_BUMP = "order_bump"
    UPSELL = "upsell"
    DOWNSELL = "downsell"
    CROSS_SELL = "cross_sell"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def primer_words(self) -> str:
        return KIND_PRIMER_WORDS[self]


KIND_LABELS: dict[OfferKind, str] = {
    OfferKind.CORE: "Core offer",
    OfferKind.ORDER_BUMP: "Order bump",
    OfferKind.UPSELL: "Upsell",
    OfferKind.DOWNSELL: "Downsell",
    OfferKind.CROSS_SELL: "Cross-sell",
}

KIND_PRIMER_WORDS: dict[OfferKind, str] = {
    OfferKind.CORE: "the first yes",
    OfferKind.ORDER_BUMP: "a quick yes-or-no at the till",
    OfferKind.UPSELL: "go bigger",
    OfferKind.DOWNSELL: "go smaller",
    OfferKind.CROSS_SELL: "go sideways",
}


@dataclass(frozen=True)
class TakeRateRange:
    """A typical claimed range of take rates: labelled as claims from practice, not facts."""

    low: Decimal
    high: Decimal
    default: Decimal


# DESIGN §3.4. The upsell range depends on how the upsell is priced against the core offer;
# the rules module interpolates between these two.
TYPICAL_TAKE_RATES: dict[OfferKind, TakeRateRange] = {
    OfferKind.ORDER_BUMP: TakeRateRange(Decimal("0.20"), Decimal("0.40"), Decimal("0.30")),
    OfferKind.UPSELL: TakeRateRange(Decimal("0.10"), Decimal("0.25"), Decimal("0.15")),
    OfferKind.DOWNSELL: TakeRateRange(Decimal("0.10"), Decimal("0.20"), Decimal("0.15")),
    OfferKind.CROSS_SELL: TakeRateRange(Decimal("0.01"), Decimal("0.10"), Decimal("0.05")),
}
EXPENSIVE_UPSELL_TAKE_RATES = TakeRateRange(Decimal("0.03"), Decimal("0.10"), Decimal("0.05"))
"""An upsell priced at five times the core or more: typically 3–10%."""


def typical_take_rates(kind: OfferKind, price: Decimal, core_price: Decimal | None) -> TakeRateRange:
    """The typical claimed take rates for an offer of ``kind`` at ``price`` after a core at ``core_price``.

    An upsell's range slides from 10–25% (priced up to 3× the core) to 3–10% (5× or more), linearly
    between: the bigger the jump, the fewer say yes. Other kinds have one range whatever their price.
    """
    if kind is OfferKind.CORE:
        return TakeRateRange(Decimal("1"), Decimal("1"), Decimal("1"))
    typical = TYPICAL_TAKE_RATES[kind]
    if kind is not OfferKind.UPSELL or core_price is None or core_price <= 0:
        return typical
    dear = EXPENSIVE_UPSELL_TAKE_RATES
    share = min(max((price / core_price - 3) / 2, Decimal(0)), Decimal(1))

    def slide(cheap: Decimal, expensive: Decimal) -> Decimal:
        # rounded to a take rate's 4 places, so the forecast built on it stays an exact decimal
        return (cheap + (expensive - cheap) * share).quantize(RATE_STEP, rounding=ROUND_HALF_UP)

    return TakeRateRange(
        low=slide(typical.low, dear.low),
        high=slide(typical.high, dear.high),
        default=slide(typical.default, dear.default),
    )


def default_take_rate(kind: OfferKind, price: Decimal = Decimal(0), core_price: Decimal | None = None) -> Decimal:
    """The take rate assumed when neither the funnel nor the offer names one (the core is always bought)."""
    return typical_take_rates(kind, price, core_price).default
