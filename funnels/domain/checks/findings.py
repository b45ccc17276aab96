"""What the checks report: one problem with a funnel, in words a coach understands.

Codes are a public contract (the screens, the command line and the API key on them); each code always
carries the same severity, so ``CODES`` is the one place that says which codes exist and how serious they are.
``WORDING`` holds every message and hint in one place, so the product's voice can be read (and reviewed
for jargon or promises) without reading the checks: one plain sentence naming the offer, one concrete fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from funnels.domain.plan import Stage
from offers.domain.copy import Acknowledgement
from offers.domain.kinds import OfferKind


class Severity(StrEnum):
    """An error breaks the primer's timing or the funnel's shape; a warning is a fit or honesty worry."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem: where it is, one plain sentence about it, and one sentence on how to fix it.

    ``stage`` None concerns the funnel as a whole; ``step`` is the post-purchase step key or the placement
    key (the core offer's key for problems with the core offer), None when no single place is concerned.
    A finding on an offer's copy also names the ``offer`` (its key) and the ``fingerprint`` of the copy it was
    made on, so a coach can acknowledge it; ``acknowledgement`` is then set, and the finding is no longer open.
    """

    code: str
    severity: Severity
    stage: Stage | None
    step: str | None
    message: str
    hint: str
    offer: str | None = None
    fingerprint: str = ""
    acknowledgement: Acknowledgement | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_open(self) -> bool:
        return self.acknowledgement is None

    @property
    def can_be_acknowledged(self) -> bool:
        """Only a finding on an offer's words can be acknowledged: the others are about the funnel's shape."""
        return self.offer is not None and bool(self.fingerprint)


@dataclass(frozen=True)
class Tally:
    """How many errors and warnings a funnel has open, and how many findings a coach has acknowledged: what its
    list row, import summary, editor and the command line count. An acknowledged finding is not open."""

    errors: int
    warnings: int
    acknowledged: int = 0

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Tally:
        errors = warnings = acknowledged = 0
        for found in findings:
            if not found.is_open:
                acknowledged += 1
            elif found.is_error:
                errors += 1
            else:
                warnings += 1
        return cls(errors, warnings, acknowledged)


CODES: dict[str, Severity] = {
    # timing and structure
    "missing-offer": Severity.ERROR,
    "core-not-core": Severity.ERROR,
    "core-misplaced": Severity.ERROR,
    "bump-after-payment": Severity.ERROR,
    "upsell-before-purchase": Severity.ERROR,
    "upsell-after-order": Severity.ERROR,
    "downsell-without-decline": Severity.ERROR,
    "misplaced-offer": Severity.ERROR,
    "cycle": Severity.ERROR,
    "unreachable-step": Severity.ERROR,
    "missing-step": Severity.ERROR,
    "duplicate-offer-on-path": Severity.ERROR,
    "downsell-not-smaller": Severity.ERROR,
    "upgrade-not-bigger": Severity.ERROR,
    "upgrade-without-original": Severity.ERROR,
    "foreign-offer": Severity.ERROR,
    "currency-mismatch": Severity.ERROR,
    "no-decline-choice": Severity.ERROR,
    "take-rate-out-of-range": Severity.ERROR,
    # fit and honesty
    "price-jump": Severity.WARNING,
    "unrelated-offer": Severity.WARNING,
    "bump-too-big": Severity.WARNING,
    "too-many-offers": Severity.WARNING,
    "guaranteed-outcome": Severity.WARNING,
    "false-urgency": Severity.WARNING,
    "confirmshaming": Severity.WARNING,
    "unverified-reference-price": Severity.WARNING,
    "hidden-decline": Severity.WARNING,
    "optimistic-take-rate": Severity.WARNING,
    "archived-offer": Severity.WARNING,
}


WORDING: dict[str, tuple[str, str, str]] = {
    # wording key: (code, message, hint); the templates take the facts as ``str.format`` fields
    "missing-offer": (
        "missing-offer",
        '{noun} "{key}" names the offer "{missing}", which is not among this funnel\'s offers.',
        "Add that offer to the catalog, or choose one of the funnel's existing offers.",
    ),
    "missing-offer/core": (
        "missing-offer",
        "The checkout's core offer \"{missing}\" is not among this funnel's offers.",
        "Add that offer to the catalog, or choose one of the funnel's existing offers as the core offer.",
    ),
    "missing-offer/upgrade": (
        "missing-offer",
        '"{name}" is set up to upgrade the offer "{missing}", which is not among this funnel\'s offers.',
        "Choose the offer it upgrades from the catalog, or clear its upgrade setting.",
    ),
    "core-not-core": (
        "core-not-core",
        '"{name}" is the core offer of the checkout, but it is set up as {kind}.',
        "Choose a core offer for the checkout, or change this offer's kind to core offer.",
    ),
    "core-misplaced": (
        "core-misplaced",
        '"{name}" is a core offer, but it is shown {where}; a funnel sells its one core offer first, at the checkout.',
        "Remove it from here, or put an offer of the kind this place needs here instead.",
    ),
    "bump-after-payment": (
        "bump-after-payment",
        '"{name}" is an order bump, but it is shown {where}, when the checkout and its tick box are behind the buyer.',
        "Move it to the order bumps at the checkout, where the buyer can tick it before paying.",
    ),
    "upsell-before-purchase": (
        "upsell-before-purchase",
        '"{name}" is an upsell, but it is shown {where}, before the buyer has said yes to the core offer.',
        "Move it after payment as a one-click offer, or make it an order bump if it is a small add-on.",
    ),
    "upsell-after-order": (
        "upsell-after-order",
        '"{name}" is an upsell, but it is shown {where}, after the order is already complete.',
        "Move it to the one-click offers after payment, before the thank-you page.",
    ),
    "downsell-without-decline": (
        "downsell-without-decline",
        '"{name}" is a downsell, but it is shown {where}; a downsell belongs right after someone declines an upsell.',
        "Show it only after payment, from the decline choice of an upsell.",
    ),
    "downsell-without-decline/step": (
        "downsell-without-decline",
        '"{name}" is a downsell, but buyers can reach it without having just declined an upsell.',
        "Lead to it only from the decline choice of an upsell, or change its kind to cross-sell.",
    ),
    "misplaced-offer": (
        "misplaced-offer",
        '"{name}" is {kind}, but it is shown {where}; a cross-sell is shown alongside, a bump is the tick box.',
        "Move it to the order bumps if it is a quick add-on, or to the cross-sells if it is something else.",
    ),
    "cycle": (
        "cycle",
        "The offers after payment go round in a loop ({loop}), so some buyers never reach the thank-you page.",
        "Point one of the choices in this loop to a later step or to the thank-you page.",
    ),
    "unreachable-step": (
        "unreachable-step",
        "The step {label} is never shown, because no choice after payment leads to it.",
        "Point the yes or no choice of an earlier step to it, or remove it.",
    ),
    "missing-step": (
        "missing-step",
        'The {edge} choice of {label} leads to "{target}", which does not exist.',
        'Point it to an existing step or to the thank-you page, or add the step "{target}".',
    ),
    "missing-step/start": (
        "missing-step",
        'The first step after payment is "{target}", which does not exist.',
        'Start with an existing step, or add the step "{target}".',
    ),
    "duplicate-offer-on-path": (
        "duplicate-offer-on-path",
        '"{name}" is offered twice to the same buyer: {earlier}, and again {where}.',
        'Show "{name}" only once on each path, and offer something different here.',
    ),
    "downsell-not-smaller": (
        "downsell-not-smaller",
        'The downsell "{name}" costs {price}, which is not less than the {upsell_price} of the upsell '
        '"{upsell}" it follows when declined.',
        'Price "{name}" below {upsell_price}, for example as a smaller version of "{upsell}".',
    ),
    "upgrade-not-bigger": (
        "upgrade-not-bigger",
        '"{name}" upgrades "{original}" but costs {price}, which is not more than the {original_price} it replaces.',
        "Price the upgrade above {original_price}, or clear its upgrade setting.",
    ),
    "upgrade-without-original": (
        "upgrade-without-original",
        '"{name}" upgrades "{original}", but some buyers reach it {where} without having bought "{original}".',
        'Show the upgrade only after a yes to "{original}", or clear its upgrade setting.',
    ),
    "foreign-offer": (
        "foreign-offer",
        '"{name}" belongs to another practice, not to the one this funnel is for.',
        "Use one of this practice's own offers here.",
    ),
    "currency-mismatch": (
        "currency-mismatch",
        '"{name}" is priced in {offer_currency}, but this funnel sells in {currency}.',
        "Use an offer priced in {currency}, or change the funnel's currency.",
    ),
    "no-decline-choice": (
        "no-decline-choice",
        '"{name}" gives the buyer no button to say no, only one to say yes.',
        'Add a decline label as clear as the yes button, such as "No, thank you".',
    ),
    "take-rate-out-of-range": (
        "take-rate-out-of-range",
        'The take rate assumed for "{name}" is {rate}, but a take rate lies between 0% and 100%.',
        "Enter a take rate between 0 and 1, where 0.2 means 20% of buyers say yes.",
    ),
    "price-jump": (
        "price-jump",
        'The {price} "{name}" costs {multiple}× the {last_price} "{last}" {before} — a jump that can feel '
        "jarring and pushy.",
        'Offer a smaller next step here (at most {ratio}× the last purchase) and save "{name}" for later.',
    ),
    "unrelated-offer": (
        "unrelated-offer",
        '"{name}" shares no topic with {before}, so it may feel unrelated to what the buyer came for.',
        "Offer something that continues the journey the buyer started, or add the topics they truly share.",
    ),
    "bump-too-big": (
        "bump-too-big",
        'The {price} order bump "{name}" is {share} of the {core_price} "{core}", more than the {max_share} '
        "a quick add-on at the till should be.",
        'Offer a smaller add-on as the bump (at most {max_share} of the core offer), or move "{name}" after '
        "payment as an upsell.",
    ),
    "too-many-offers": (
        "too-many-offers",
        '"{name}" is the {nth} one-click offer in a row on at least one path after payment, and more than '
        "{limit} can overwhelm a buyer.",
        "Remove or merge an offer on that path so no buyer sees more than {limit} in a row.",
    ),
    # the copy findings quote the coach's words ({phrase}) and say which kind of claim they make ({kind})
    "guaranteed-outcome": (
        "guaranteed-outcome",
        'The {field} of "{name}" says "{phrase}", {kind}, which promises an outcome that no coach can promise.',
        "Describe what the buyer gets and how you will support them instead; a money-back guarantee is fine.",
    ),
    "false-urgency": (
        "false-urgency",
        'The {field} of "{name}" says "{phrase}", {kind}, which rushes the buyer instead of letting them decide.',
        "Take out the invented deadline, count or timer and let the buyer decide at their own pace; a real date or "
        "limit can stay with its reason.",
    ),
    "confirmshaming": (
        "confirmshaming",
        'The {field} of "{name}" says "{phrase}", {kind}.',
        'Let the no button simply say no, such as "No, thank you": a buyer who declines deserves the same respect.',
    ),
    "unverified-reference-price": (
        "unverified-reference-price",
        'The {field} of "{name}" says "{phrase}", {kind}, but the only price recorded for this offer is {price}, so '
        "the buyer cannot check the comparison.",
        'Show the price the buyer pays, and leave out any "was", "normally" or "worth" price this offer has not '
        "really been sold at.",
    ),
    "hidden-decline/empty": (
        "hidden-decline",
        'The no button of "{name}" {shows}, so a buyer who wants to say no has nothing clear to choose.',
        'Give the no button a short, plain label as clear as the yes button, such as "No, thank you".',
    ),
    "hidden-decline/long": (
        "hidden-decline",
        'The no button of "{name}" says "{phrase}", far longer than its yes button "{accept}", so the way to say no '
        "is hard to find.",
        'Give the no button a short, plain label as clear as the yes button, such as "No, thank you".',
    ),
    "hidden-decline/fine-print": (
        "hidden-decline",
        'The no button of "{name}" says "{phrase}", worded like fine print rather than a plain way to say no.',
        'Give the no button a short, plain label as clear as the yes button, such as "No, thank you".',
    ),
    "optimistic-take-rate": (
        "optimistic-take-rate",
        'The {rate} take rate assumed for "{name}" is above the typical claimed {span} for {described}, so '
        "the forecast may look rosier than the sales will be.",
        "Assume at most {high} unless your own sales records show more.",
    ),
    "archived-offer": (
        "archived-offer",
        '"{name}" is archived in the catalog, taken off sale, yet this funnel still shows it {where}.',
        'Put "{name}" back on sale in the catalog or replace it in this funnel.',
    ),
}


def finding(wording: str, stage: Stage | None, step: str | None, **facts: object) -> Finding:
    """The finding a wording key describes, its templates filled with ``facts``, with its code's severity."""
    code, message, hint = WORDING[wording]
    return Finding(code, CODES[code], stage, step, message.format(**facts), hint.format(**facts))


ARTICLES: dict[OfferKind, str] = {
    OfferKind.CORE: "a core offer",
    OfferKind.ORDER_BUMP: "an order bump",
    OfferKind.UPSELL: "an upsell",
    OfferKind.DOWNSELL: "a downsell",
    OfferKind.CROSS_SELL: "a cross-sell",
}
"""An offer kind as a message says it: "is an upsell"."""


def ordinal(n: int) -> str:
    """1 -> ``1st``, 4 -> ``4th``, 22 -> ``22nd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
