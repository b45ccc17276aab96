"""Reads of the catalog. Every query takes the practice, so none can wander into another tenant's data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Lower
from django_stubs_ext import WithAnnotations

from accounts.models import Practice
from offers.domain.copy import Acknowledgement
from offers.domain.kinds import OfferKind
from offers.models import CopyAcknowledgement, Offer, OfferStatus


class CatalogCounts(TypedDict):
    """What ``offer_catalog`` adds to each offer."""

    funnel_count: int


class OfferNotFound(LookupError):
    """The practice has no offer with that key."""


def offer_list(
    *, practice: Practice, kind: str | None = None, status: str | None = None, search: str | None = None
) -> QuerySet[Offer]:
    offers = Offer.objects.filter(practice=practice).select_related("replaces")
    if kind:
        offers = offers.filter(kind=kind)
    if status:
        offers = offers.filter(status=status)
    if search:
        offers = offers.filter(Q(name__icontains=search) | Q(key__icontains=search) | Q(headline__icontains=search))
    return offers


def offer_keys_taken(*, practice: Practice, prefix: str) -> set[str]:
    """The practice's offer keys that start with ``prefix``: what a new key made from a name must avoid."""
    return set(Offer.objects.filter(practice=practice, key__startswith=prefix).values_list("key", flat=True))


def offer_get(*, practice: Practice, key: str) -> Offer:
    try:
        return Offer.objects.select_related("replaces").get(practice=practice, key=key)
    except Offer.DoesNotExist:
        raise OfferNotFound(f'the practice "{practice.slug}" has no offer "{key}"') from None


def offers_by_key(*, practice: Practice, keys: list[str]) -> dict[str, Offer]:
    return {o.key: o for o in Offer.objects.filter(practice=practice, key__in=keys).select_related("replaces")}


def offer_catalog(
    *, practice: Practice, kind: str | None = None, status: str | None = None, search: str | None = None
) -> QuerySet[WithAnnotations[Offer, CatalogCounts]]:
    """The catalog's rows, each with ``funnel_count``: how many distinct funnels use the offer, in one query.

    A funnel uses an offer as its core (``core_of_funnels``) or in a step (``funnel_steps``); the relations
    are followed by name so this app never imports the funnels app. A step in a funnel whose core is the
    same offer is left out of the step count, so no funnel is counted twice. (A grouped query drops
    ``Meta.ordering``, hence the explicit ``order_by``.)
    """
    offers = offer_list(practice=practice, kind=kind, status=status, search=search)
    return offers.annotate(
        funnel_count=Count("core_of_funnels", distinct=True)
        + Count(
            "funnel_steps__funnel",
            distinct=True,
            filter=~Q(funnel_steps__funnel__core_offer=F("pk")),
        )
    ).order_by(Lower("name"), "key")


def catalog_stamp(*, practice: Practice) -> tuple[object, ...]:
    """What the catalog page shows changes with: the catalog's version (every catalog write counts it) and the
    practice's funnels (which offers they use: any edit of one moves its last change), in one query."""
    funnels = practice.funnels.aggregate(count=Count("pk"), newest=Max("pk"), latest=Max("updated_at"))
    latest = funnels["latest"]
    return (practice.pk, practice.catalog_version, funnels["count"], funnels["newest"], latest and latest.isoformat())


def offer_used_by(*, practice: Practice, offer: Offer) -> list[str]:
    """The names of the practice's funnels that use ``offer``, as its core or in a step, sorted."""
    as_core = offer.core_of_funnels.filter(practice=practice).values_list("name", flat=True)
    in_steps = offer.funnel_steps.filter(funnel__practice=practice).values_list("funnel__name", flat=True)
    return sorted(set(as_core) | set(in_steps))


def offer_core_offers(*, practice: Practice, exclude_key: str | None = None) -> list[Offer]:
    """The practice's core offers still on sale (not archived): what another offer's price is compared with."""
    cores = (
        Offer.objects.filter(practice=practice, kind=OfferKind.CORE)
        .exclude(status=OfferStatus.ARCHIVED)
        .order_by("price", "name")
    )
    if exclude_key:
        cores = cores.exclude(key=exclude_key)
    return list(cores)


def offer_choices(*, practice: Practice, exclude_key: str | None = None) -> QuerySet[Offer]:
    """The offers another offer may upgrade (``replaces``): the practice's others."""
    offers = Offer.objects.filter(practice=practice).order_by(Lower("name"), "key")
    return offers.exclude(key=exclude_key) if exclude_key else offers


FORMER_MEMBER = "a former member"


def copy_acknowledgements(
    *, practice: Practice, offer_ids: Iterable[int] | None = None, keys: Iterable[str] | None = None
) -> list[Acknowledgement]:
    """The practice's acknowledged copy findings, for the offers with these ids or keys (all when neither is
    given), as the domain's values: one query, with who made each one."""
    rows = CopyAcknowledgement.objects.filter(offer__practice=practice).select_related("offer", "acknowledged_by")
    if offer_ids is not None:
        rows = rows.filter(offer_id__in=set(offer_ids))
    if keys is not None:
        rows = rows.filter(offer__key__in=set(keys))
    return [
        Acknowledgement(
            offer=row.offer.key,
            code=row.code,
            fingerprint=row.fingerprint,
            reason=row.reason,
            by=row.acknowledged_by.get_username() if row.acknowledged_by is not None else FORMER_MEMBER,
            at=row.acknowledged_at,
        )
        for row in rows
    ]
