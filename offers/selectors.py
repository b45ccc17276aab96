"""Reads of the catalog. Every query takes the practice, so none can wander into another tenant's data."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from offers.models import Membership, Offer, Practice


class PracticeNotFound(LookupError):
    """No practice has that slug (or the user is not a member of it)."""


class OfferNotFound(LookupError):
    """The practice has no offer with that key."""


def practice_get(*, slug: str) -> Practice:
    try:
        return Practice.objects.get(slug=slug)
    except Practice.DoesNotExist:
        known = ", ".join(Practice.objects.order_by("slug").values_list("slug", flat=True)[:20]) or "none yet"
        raise PracticeNotFound(f'no practice "{slug}" (known: {known})') from None


def practice_memberships(*, user: object) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("practice").order_by("practice__name")


def offer_list(
    *, practice: Practice, kind: str | None = None, status: str | None = None, search: str | None = None
) -> QuerySet[Offer]:
    offers = Offer.objects.filter(practice=practice).select_related("replaces")
    if kind:
        offers = offers.filter(kind=kind)
    if status:
        offers = offers.filter(status=status)
    if search:
        offers = offers.filter(
            Q(name__icontains=search) | Q(key__icontains=search) | Q(headline__icontains=search)
        )
    return offers


def offer_get(*, practice: Practice, key: str) -> Offer:
    try:
        return Offer.objects.select_related("replaces").get(practice=practice, key=key)
    except Offer.DoesNotExist:
        raise OfferNotFound(f'the practice "{practice.slug}" has no offer "{key}"') from None


def offers_by_key(*, practice: Practice, keys: list[str]) -> dict[str, Offer]:
    return {
        o.key: o for o in Offer.objects.filter(practice=practice, key__in=keys).select_related("replaces")
    }
