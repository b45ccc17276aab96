"""The demo funnels (funnels/demo/*.json) as plans, read through the interchange format as an import reads them.

``calm-classic.json`` is the primer's funnel: the $97 course with the $19 cards bump (30%), the $300 three-call
upsell (20%), on a no the $120 one-call downsell (15%), and the $29 sleep audio on the thank-you page (5%).
"""

from __future__ import annotations

from funnels.domain.plan import FunnelPlan
from funnels.interchange.plans import plan_from_document
from funnels.interchange.reading import read_funnel_document
from funnels.services.demo import DEMO_DIR

CLASSIC = "calm-classic.json"
FIRST_DRAFT = "calm-first-draft.json"
UPGRADE = "calm-upgrade.json"


def demo_plan(name: str = CLASSIC) -> FunnelPlan:
    return plan_from_document(read_funnel_document((DEMO_DIR / name).read_bytes()))
