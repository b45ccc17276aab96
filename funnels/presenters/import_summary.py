"""What an import would do, in words: the offers it adds and reuses, its steps, and its AOV."""

from __future__ import annotations

from typing import Any

from core.money import format_money
from funnels.domain.metrics import DEFINITIONS, ILLUSTRATIVE_NOTE
from funnels.domain.plan import OfferSpec
from funnels.services.transfer import ImportCheck
from offers.domain.kinds import OfferKind


def import_summary(check: ImportCheck) -> dict[str, Any]:
    plan = check.plan

    def offers(specs: tuple[OfferSpec, ...]) -> list[dict[str, str]]:
        """In the order a buyer meets the kinds (core, bumps, upsells, downsells, cross-sells), then by name."""
        kinds = list(OfferKind)
        return [
            {"key": s.key, "name": s.name, "kind": s.kind.label, "price": format_money(s.price, s.currency)}
            for s in sorted(specs, key=lambda s: (kinds.index(s.kind), s.name.casefold(), s.key))
        ]

    parts = [
        (len(plan.bumps), "order bump", "order bumps"),
        (len(plan.checkout_cross_sells), "cross-sell at the checkout", "cross-sells at the checkout"),
        (len(plan.steps), "one-click offer after payment", "one-click offers after payment"),
        (len(plan.thank_you_cross_sells), "cross-sell on the thank-you page", "cross-sells on the thank-you page"),
    ]
    return {
        "plan": plan,
        "created": offers(check.offers_created),
        "matched": offers(check.offers_matched),
        "clashing": offers(check.offers_clashing),  # as the file gives them; never among the matched ones
        # an archived offer of the catalog is reused as it is, off sale: the funnel will warn about it
        "archived": sorted((s.name for s in check.offers_matched if s.archived), key=str.casefold),
        "step_parts": [f"{n} {one if n == 1 else many}" for n, one, many in parts if n],
        "aov_text": format_money(check.aov, plan.currency) if check.aov is not None else "",
        "core_price": format_money(plan.core_offer.price, plan.currency) if plan.core_offer else "",
        "aov_definition": DEFINITIONS["aov"],
        "illustrative_note": ILLUSTRATIVE_NOTE,
    }
