"""The funnels' answer to a catalog change (``offers.impact``): which funnels it would change and how, and
on a confirmed change, their next versions.

A catalog admin changing an offer's kind or price, or archiving it, changes every funnel that shows it: its
findings, its AOV, perhaps whether its figures can be worked out at all. The preview checks and measures each
such funnel as it is and again with the proposed offer (the same engine the editor runs, on plans read in a
fixed number of queries), so the admin sees the new errors by their sentences and the AOV before → after
before anything is saved. Applying moves those funnels' versions in one UPDATE inside the catalog's
transaction: an editor open on one of them made its next edit against figures that are no longer true, and
gets the 409 that says so, instead of saving over them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from accounts.audit import Actor
from accounts.models import Practice
from funnels.domain.checks.acknowledged import acknowledge
from funnels.domain.checks.findings import Finding, Severity, Tally
from funnels.domain.checks.rules import check_funnel
from funnels.domain.metrics import UncomputableFunnel, compute_metrics
from funnels.domain.plan import FunnelPlan, OfferSpec
from funnels.models import Funnel
from funnels.selectors import LoadedFunnel, funnel_load_all, funnels_using_offer, offer_spec
from funnels.services.history import record_version
from offers.domain.kinds import OfferKind
from offers.impact import FunnelImpact, FunnelsChanged
from offers.models import Offer, OfferStatus

FUNNELS_CHANGED = (
    "A funnel that uses this offer changed while you were looking at what the change would do to it; "
    "here is what it would do now."
)

_SPEC_FIELDS = ("name", "format", "headline", "body", "accept_label", "decline_label", "currency")


class FunnelCatalogImpact:
    """``offers.impact.CatalogImpact`` for the funnels (registered by ``funnels.apps``)."""

    def preview(self, *, practice: Practice, offer: Offer, changes: Mapping[str, object]) -> list[FunnelImpact]:
        return catalog_impact_preview(practice=practice, offer=offer, changes=changes)

    def apply(
        self,
        *,
        practice: Practice,
        offer: Offer,
        actor: Actor,
        summary: str,
        expected_versions: Mapping[str, int] | None = None,
    ) -> None:
        catalog_impact_apply(
            practice=practice, offer=offer, actor=actor, summary=summary, expected_versions=expected_versions
        )


def catalog_impact_preview(*, practice: Practice, offer: Offer, changes: Mapping[str, object]) -> list[FunnelImpact]:
    """Each funnel whose plan holds ``offer``, by name, as it is and with ``changes``: reads only, the four
    queries of ``funnel_load_all`` (and one for what a newly chosen upgrade upgrades) however many funnels."""
    loaded = [item for item in funnel_load_all(practice=practice) if item.plan.offer(offer.key) is not None]
    if not loaded:
        return []
    slugs = {practice.pk: practice.slug}
    proposed = proposed_spec(offer_spec(offer, slugs), changes)
    original = changes.get("replaces")
    extra = offer_spec(original, slugs) if isinstance(original, Offer) else None
    return [_impact(item, with_offer(item.plan, proposed, extra)) for item in loaded]


def catalog_impact_apply(
    *,
    practice: Practice,
    offer: Offer,
    actor: Actor,
    summary: str,
    expected_versions: Mapping[str, int] | None = None,
) -> list[Funnel]:
    """Move every funnel whose plan holds ``offer`` to its next version, in one UPDATE, within the caller's
    transaction (the rows are locked first), each new version kept in its history under ``summary``.
    ``expected_versions`` (slug → version shown) must match the funnels exactly, or ``FunnelsChanged`` is
    raised and the caller's transaction writes nothing."""
    funnels = funnels_using_offer(practice=practice, offer=offer, for_update=True)
    if expected_versions is not None and {f.slug: f.version for f in funnels} != dict(expected_versions):
        raise FunnelsChanged(FUNNELS_CHANGED)
    if not funnels:
        return []
    Funnel.objects.filter(pk__in=[f.pk for f in funnels]).update(version=F("version") + 1, updated_at=timezone.now())
    for funnel in funnels:
        funnel.version += 1
        funnel.practice = practice  # read once, not once a funnel
        record_version(funnel=funnel, actor=actor, summary=summary)
    return funnels


def proposed_spec(spec: OfferSpec, changes: Mapping[str, object]) -> OfferSpec:
    """The offer as the engine would see it with ``changes`` (the catalog service's checked values)."""
    fields: dict[str, object] = {name: str(changes[name]) for name in _SPEC_FIELDS if name in changes}
    if "kind" in changes:
        fields["kind"] = OfferKind(str(changes["kind"]))
    if "price" in changes and isinstance(changes["price"], Decimal):
        fields["price"] = changes["price"]
    if "topics" in changes and isinstance(changes["topics"], list | tuple | set | frozenset):
        fields["topics"] = frozenset(str(topic) for topic in changes["topics"])
    if "replaces" in changes:
        original = changes["replaces"]
        fields["replaces"] = original.key if isinstance(original, Offer) else None
    if "default_take_rate" in changes:
        rate = changes["default_take_rate"]
        fields["default_take_rate"] = rate if isinstance(rate, Decimal) else None
    if "status" in changes:
        fields["archived"] = changes["status"] == OfferStatus.ARCHIVED
    return replace(spec, **fields)  # type: ignore[arg-type]


def with_offer(plan: FunnelPlan, proposed: OfferSpec, original: OfferSpec | None = None) -> FunnelPlan:
    """The plan with the proposed offer in place of the stored one (and the offer it would upgrade, if the plan
    lacks it): as ``funnel_import_check`` puts the catalog's offers into a file's plan."""
    offers = tuple(proposed if spec.key == proposed.key else spec for spec in plan.offers)
    if original is not None and plan.offer(original.key) is None:
        offers += (original,)
    return replace(plan, offers=offers)


def _impact(item: LoadedFunnel, after: FunnelPlan) -> FunnelImpact:
    before = item.plan
    found_before = [f for f in acknowledge(check_funnel(before), item.acknowledgements) if f.is_open]
    found_after = [f for f in acknowledge(check_funnel(after), item.acknowledgements) if f.is_open]
    gained = _gained(found_before, found_after)
    aov_before, _ = _aov(before)
    aov_after, problem = _aov(after)
    tally_before, tally_after = Tally.of(found_before), Tally.of(found_after)
    return FunnelImpact(
        name=item.funnel.name,
        slug=item.funnel.slug,
        version=item.funnel.version,
        currency=after.currency,
        errors_before=tally_before.errors,
        errors_after=tally_after.errors,
        warnings_before=tally_before.warnings,
        warnings_after=tally_after.warnings,
        new_errors=tuple(f.message for f in gained if f.severity is Severity.ERROR),
        new_warnings=tuple(f.message for f in gained if f.severity is Severity.WARNING),
        gone=tuple(f.message for f in _gained(found_after, found_before)),
        aov_before=aov_before,
        aov_after=aov_after,
        aov_after_problem=problem,
    )


def _gained(before: list[Finding], after: list[Finding]) -> list[Finding]:
    """The findings of ``after`` with no match in ``before`` by code and place: a finding still there with new
    figures in its sentence (a price jump now 3.6×) is not new."""
    left = Counter((f.code, f.stage, f.step) for f in before)
    gained = []
    for found in after:
        key = (found.code, found.stage, found.step)
        if left[key]:
            left[key] -= 1
        else:
            gained.append(found)
    return gained


def _aov(plan: FunnelPlan) -> tuple[Decimal | None, str | None]:
    try:
        return compute_metrics(plan, with_distribution=False).aov, None
    except UncomputableFunnel as uncomputable:
        return None, uncomputable.reason
