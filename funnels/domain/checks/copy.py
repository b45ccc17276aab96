"""Offer copy checked where a buyer meets it: at most one finding of each honesty kind per placement.

The phrases themselves are matched by ``offers.honesty`` (the catalog's live hints use the same patterns).
"""

from __future__ import annotations

from funnels.domain.checks.findings import Finding, finding
from funnels.domain.plan import OfferSpec, Stage
from offers.domain.honesty import FALSE_URGENCY_PATTERNS, FIELD_LABELS, GUARANTEED_OUTCOME_PATTERNS, find_in_copy


def copy_findings(offer: OfferSpec, stage: Stage, step: str) -> list[Finding]:
    """At most one ``guaranteed-outcome`` and one ``false-urgency`` finding for an offer where it is shown."""
    found: list[Finding] = []
    for code, patterns in (
        ("guaranteed-outcome", GUARANTEED_OUTCOME_PATTERNS),
        ("false-urgency", FALSE_URGENCY_PATTERNS),
    ):
        match = find_in_copy(offer.copy_fields, patterns)
        if match is not None:
            found.append(finding(code, stage, step, field=_label(match.field), name=offer.name, phrase=match.phrase))
    return found


def _label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " "))
