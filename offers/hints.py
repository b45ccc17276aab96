"""What an offer's form values mean, recomputed as the catalog admin types (the live hints).

The kind in the primer's words and where it may stand, the price as a multiple of the core offers it
would follow, honesty warnings on the copy, and the typical claimed take rates: all read-only advice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from accounts.models import Practice
from core.money import PercentError, format_money, format_percent, money_problem, parse_percent, to_decimal
from core.slugs import KEY_PATTERN
from offers.domain.copy import COPY_CODES, FIELD_LABELS, OfferCopy, first_claim, read_offer
from offers.domain.kinds import OfferKind, TakeRateRange, typical_take_rates
from offers.models import Offer
from offers.selectors import OfferNotFound, offer_core_offers, offer_get


@dataclass(frozen=True)
class StageFit:
    stage: str
    allowed: bool
    detail: str


@dataclass(frozen=True)
class KindHint:
    title: str
    meaning: str
    placements: tuple[StageFit, ...]


@dataclass(frozen=True)
class PriceHint:
    text: str
    note: str = ""


@dataclass(frozen=True)
class CopyWarning:
    """One claim in the copy as the form's hints say it: where, the words, what is wrong, which kind, the fix."""

    field: str
    phrase: str
    problem: str
    advice: str
    kind: str = ""


@dataclass(frozen=True)
class TakeRateHint:
    context: str
    range: str
    default: str


@dataclass(frozen=True)
class OfferHints:
    kind: KindHint | None
    prices: tuple[PriceHint, ...]
    price_note: str
    copy_warnings: tuple[CopyWarning, ...]
    take_rates: tuple[TakeRateHint, ...]
    take_rate_note: str
    upgrade_note: str


CHECKOUT, AFTER_PAYMENT, THANK_YOU = "Checkout", "After payment", "Thank-you page"

KIND_HINTS: dict[OfferKind, KindHint] = {
    OfferKind.CORE: KindHint(
        "Core offer — the first yes",
        "The main thing a buyer comes for. Saying yes to it is the hardest step; every other offer follows it.",
        (
            StageFit(CHECKOUT, True, "yes: the entry, exactly one per funnel"),
            StageFit(AFTER_PAYMENT, False, "no"),
            StageFit(THANK_YOU, False, "no"),
        ),
    ),
    OfferKind.ORDER_BUMP: KindHint(
        "Order bump — a quick yes-or-no at the till",
        "A small add-on with a checkbox on the checkout page itself, before paying.",
        (
            StageFit(CHECKOUT, True, "yes: a checkbox before paying"),
            StageFit(AFTER_PAYMENT, False, "no: once they have paid, it is no longer a bump"),
            StageFit(THANK_YOU, False, "no"),
        ),
    ),
    OfferKind.UPSELL: KindHint(
        "Upsell — go bigger",
        "A premium upgrade or add-on, offered right after the purchase decision, when the buyer has just said yes.",
        (
            StageFit(CHECKOUT, False, "no: never before the first yes"),
            StageFit(AFTER_PAYMENT, True, "yes: a one-click offer before the thank-you page"),
            StageFit(THANK_YOU, False, "no"),
        ),
    ),
    OfferKind.DOWNSELL: KindHint(
        "Downsell — go smaller",
        "A cheaper, smaller alternative for a buyer who has just declined an upsell.",
        (
            StageFit(CHECKOUT, False, "no"),
            StageFit(AFTER_PAYMENT, True, "only as the answer to a declined upsell, and cheaper than it"),
            StageFit(THANK_YOU, False, "no"),
        ),
    ),
    OfferKind.CROSS_SELL: KindHint(
        "Cross-sell — go sideways",
        "A different but related product, offered after or alongside the main purchase.",
        (
            StageFit(CHECKOUT, True, "yes: alongside the core offer"),
            StageFit(AFTER_PAYMENT, True, "yes: a one-click offer"),
            StageFit(THANK_YOU, True, "yes: as a separate, later order"),
        ),
    ),
}

PROMISE_ADVICE = "Describe what the buyer gets and how you will support them; a money-back guarantee is fine."
URGENCY_ADVICE = "Take out the invented deadline or scarcity and let the buyer decide at their own pace."
COPY_PROBLEMS: dict[str, tuple[str, str]] = {
    # code: (what the words do, how to fix them), as the live hints say it beside the field
    "guaranteed-outcome": ("promises an outcome", PROMISE_ADVICE),
    "false-urgency": ("invents urgency", URGENCY_ADVICE),
    "confirmshaming": ("shames the buyer for saying no", 'Let the no button simply say no, such as "No, thank you".'),
    "unverified-reference-price": (
        "claims a price this offer has not had",
        'Show the price the buyer pays; leave out "was", "normally" or "worth" prices it was never sold at.',
    ),
    "hidden-decline": (
        "hides the way to say no",
        "Give the no button a short, plain label as clear as the yes button.",
    ),
}
ONE_CLICK_KINDS = frozenset({OfferKind.UPSELL, OfferKind.DOWNSELL, OfferKind.CROSS_SELL})
"""The kinds that can stand on a one-click screen after payment, where the buyer sees the no button."""
ONE_DECIMAL = Decimal("0.1")


def _money_or_none(text: str) -> Decimal | None:
    try:
        amount = to_decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if money_problem(amount) is None else None


def _percent_or_none(text: str) -> Decimal | None:
    try:
        return parse_percent(text)
    except PercentError:
        return None


def _multiple(price: Decimal, core_price: Decimal) -> str:
    return f"{(price / core_price).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)}×"


def _price_hints(practice: Practice, kind: OfferKind, price: Decimal, cores: list[Offer]) -> tuple[PriceHint, ...]:
    hints = []
    for core in cores:
        named = f"the {format_money(core.price, core.currency)} {core.name}"
        if core.price <= 0:
            hints.append(PriceHint(f"{named} is free, so there is no multiple to give"))
        elif kind is OfferKind.ORDER_BUMP:
            share = price / core.price
            note = ""
            if share > practice.bump_max_share:
                note = (
                    f"a bump above {format_percent(practice.bump_max_share, 0)} of the core offer stops being "
                    "a quick yes at the till"
                )
            hints.append(PriceHint(f"{format_percent(share)} of {named}", note))
        else:
            note = "a jump this big can feel jarring" if price > core.price * practice.price_jump_ratio else ""
            hints.append(PriceHint(f"{_multiple(price, core.price)} {named}", note))
    return tuple(hints)


def _typical_ranges(kind: OfferKind, price: Decimal | None, cores: list[Offer]) -> list[tuple[str, TakeRateRange]]:
    """An upsell's range depends on its multiple of the core it follows (one range per core); other kinds have one."""
    if kind is OfferKind.UPSELL and price is not None and cores:
        return [
            (f"after the {format_money(c.price, c.currency)} {c.name}", typical_take_rates(kind, price, c.price))
            for c in cores
        ]
    return [("", typical_take_rates(kind, price or Decimal(0), None))]


def _range_text(rates: TakeRateRange) -> str:
    """10–25%: one percent sign, as a person writes a range."""
    return f"{format_percent(rates.low).removesuffix('%')}–{format_percent(rates.high)}"


def _copy_warnings(data: Mapping[str, str], price: Decimal | None, kind: OfferKind | None) -> tuple[CopyWarning, ...]:
    """The funnel checks' reader on the form's words, field by field: one warning per field and code.

    The no button is judged beside the yes button only for kinds shown on a one-click screen, and only once
    the form has sent it (a half-filled request is not an empty no button)."""
    fields = {field: str(data.get(field, "")) for field in FIELD_LABELS}
    decline_shown = kind in ONE_CLICK_KINDS and "decline_label" in data
    claims = read_offer(OfferCopy(fields, price, decline_shown=decline_shown))
    warnings = []
    for field, label in FIELD_LABELS.items():
        for code in COPY_CODES:
            claim = first_claim(claims, code, [field])
            if claim is not None:
                problem, advice = COPY_PROBLEMS[code]
                warnings.append(CopyWarning(label, claim.phrase, problem, advice, claim.kind.label))
    return tuple(warnings)


def _upgrade_note(practice: Practice, key: str, price: Decimal | None, editing_key: str | None) -> str:
    if not KEY_PATTERN.match(key) or key == editing_key:  # half-typed or not a key: nothing to look up
        return ""
    try:
        original = offer_get(practice=practice, key=key)
    except OfferNotFound:
        return ""
    was = f"{format_money(original.price, original.currency)} {original.name}"
    if price is None:
        return f"As an upgrade of the {was}, buying it adds only the difference in price."
    if price <= original.price:
        return f"An upgrade should cost more than the {was} it replaces; the funnel checks will call this an error."
    difference = format_money(price - original.price, original.currency)
    return f"As an upgrade of the {was}, buying it adds only the difference: {difference}."


def offer_hints(*, practice: Practice, data: Mapping[str, str], editing_key: str | None = None) -> OfferHints:
    """Read the form's values leniently (a half-typed price is simply not compared yet) and explain them."""
    try:
        kind: OfferKind | None = OfferKind(str(data.get("kind", "")))
    except ValueError:
        kind = None
    price = _money_or_none(str(data.get("price", "")))
    rate = _percent_or_none(str(data.get("default_take_rate", "")))
    typed_key = str(data.get("key", "")).strip()
    own_key = editing_key or (typed_key if KEY_PATTERN.match(typed_key) else None)
    cores = [] if kind in (None, OfferKind.CORE) else offer_core_offers(practice=practice, exclude_key=own_key)

    prices: tuple[PriceHint, ...] = ()
    if kind is None:
        price_note = "Choose a kind to see how its price compares with your core offers."
    elif kind is OfferKind.CORE:
        price_note = "This is a first yes: the prices of the offers that follow are compared with it."
    elif price is None:
        price_note = "Enter a price to compare it with your core offers."
    elif not cores:
        price_note = "The catalog has no core offer yet, so there is nothing to compare the price with."
    else:
        price_note = ""
        prices = _price_hints(practice, kind, price, cores)

    take_rates: tuple[TakeRateHint, ...] = ()
    take_rate_note = ""
    if kind is OfferKind.CORE:
        take_rate_note = "Everyone who buys takes the core offer, so there is no take rate to assume."
    elif kind is not None:
        ranges = _typical_ranges(kind, price, cores)
        take_rates = tuple(TakeRateHint(context, _range_text(r), format_percent(r.default)) for context, r in ranges)
        if rate is not None and rate > max(r.high for _, r in ranges):
            take_rate_note = (
                f"Your {format_percent(rate)} is above the typical claimed range, "
                "so the forecast may look rosier than the sales will be."
            )

    return OfferHints(
        kind=KIND_HINTS[kind] if kind is not None else None,
        prices=prices,
        price_note=price_note,
        copy_warnings=_copy_warnings(data, price, kind),
        take_rates=take_rates,
        take_rate_note=take_rate_note,
        upgrade_note=_upgrade_note(practice, str(data.get("replaces", "")).strip(), price, editing_key),
    )
