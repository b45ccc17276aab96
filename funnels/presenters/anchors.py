"""Where things stand on the editor page: the columns' ids and each step's element id, as findings link to them."""

from __future__ import annotations

from funnels.domain.plan import Stage

COLUMN_IDS = {Stage.CHECKOUT: "checkout", Stage.POST_PURCHASE: "post-purchase", Stage.THANK_YOU: "thank-you"}


def step_anchor(stage: Stage, key: str) -> str:
    """The id of a step's element, as a finding names it: ``step-up1``, ``step-checkout-cards``…"""
    if stage is Stage.POST_PURCHASE:
        return f"step-{key}"
    return f"step-{COLUMN_IDS[stage]}-{key}"
