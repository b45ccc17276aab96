"""Acknowledging a copy finding on an offer: the service records who said why on which words, one per offer and
code; the selector gives them back as the domain's values, in one query."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from accounts.audit import Actor
from offers.domain.copy import copy_fingerprint
from offers.models import CopyAcknowledgement
from offers.selectors import FORMER_MEMBER, copy_acknowledgements
from offers.services import (
    AcknowledgementRefused,
    CopyChanged,
    copy_acknowledge,
    copy_acknowledgement_withdraw,
    offer_copy_fields,
    offer_update,
)
from tests.factories import make_offer, make_practice

pytestmark = pytest.mark.django_db

REASON = "This cohort really closes on 28 February"


@pytest.fixture
def cohort(practice):
    return make_offer(practice, key="cohort", kind="upsell", price="300", body="Enrolment closes on 28 February.")


@pytest.fixture
def maya():
    return get_user_model().objects.create_user(username="maya")


def fingerprint(offer, code: str = "false-urgency") -> str:  # type: ignore[no-untyped-def]
    return copy_fingerprint(offer_copy_fields(offer), price=offer.price, code=code)


def acknowledge(practice, offer, maya, **changes):  # type: ignore[no-untyped-def]
    values = {"code": "false-urgency", "reason": REASON, "fingerprint": fingerprint(offer)} | changes
    return copy_acknowledge(practice=practice, offer=offer, actor=Actor(user=maya), **values)


def test_an_acknowledgement_records_who_said_why_on_which_words(practice, cohort, maya) -> None:
    made = acknowledge(practice, cohort, maya, reason="  This cohort   really closes\non 28 February ")
    assert (made.code, made.reason, made.acknowledged_by, made.fingerprint) == (
        "false-urgency",
        REASON,
        maya,
        fingerprint(cohort),
    )
    [value] = copy_acknowledgements(practice=practice)
    assert (value.offer, value.code, value.reason, value.by) == ("cohort", "false-urgency", REASON, "maya")


def test_acknowledging_again_replaces_the_reason(practice, cohort, maya) -> None:
    acknowledge(practice, cohort, maya)
    acknowledge(practice, cohort, maya, reason="The room is booked until then")
    assert list(CopyAcknowledgement.objects.values_list("reason", flat=True)) == ["The room is booked until then"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": "   "}, "Say why the words are fine as they are"),
        ({"reason": "x" * 301}, "Keep the reason to 300 characters (this has 301)"),
        ({"code": "price-jump"}, '"price-jump" is not a finding on an offer\'s words'),
    ],
)
def test_a_reason_is_required_and_only_copy_codes_can_be_acknowledged(practice, cohort, maya, changes, message) -> None:
    with pytest.raises(AcknowledgementRefused, match=re.escape(message)):
        acknowledge(practice, cohort, maya, **changes)
    assert not CopyAcknowledgement.objects.exists()


def test_words_changed_since_the_page_was_drawn_are_refused(practice, cohort, maya) -> None:
    shown = fingerprint(cohort)
    offer_update(offer=cohort, body="Enrolment closes on 28 February. Hurry!")
    with pytest.raises(CopyChanged, match='The words of "Cohort" changed since this page was shown'):
        acknowledge(practice, cohort, maya, fingerprint=shown)
    assert not CopyAcknowledgement.objects.exists()


def test_another_practices_offer_cannot_be_acknowledged(cohort, maya) -> None:
    with pytest.raises(AcknowledgementRefused, match="is not an offer of this practice"):
        acknowledge(make_practice(), cohort, maya)


def test_withdrawing_opens_the_finding_again(practice, cohort, maya) -> None:
    acknowledge(practice, cohort, maya)
    assert copy_acknowledgement_withdraw(practice=practice, offer=cohort, code="false-urgency") is True
    assert copy_acknowledgement_withdraw(practice=practice, offer=cohort, code="false-urgency") is False
    assert copy_acknowledgements(practice=practice) == []


def test_the_selector_reads_one_practice_in_one_query_and_names_a_former_member(
    practice, cohort, maya, django_assert_num_queries
) -> None:
    acknowledge(practice, cohort, maya)
    other = make_practice()
    elsewhere = make_offer(other, key="cohort", body="Doors close tonight.")
    acknowledge(other, elsewhere, maya)
    maya.delete()
    with django_assert_num_queries(1):
        [mine] = copy_acknowledgements(practice=practice, keys=["cohort"])
    assert (mine.offer, mine.by) == ("cohort", FORMER_MEMBER)
    assert copy_acknowledgements(practice=practice, offer_ids=[elsewhere.pk]) == []


def test_the_database_allows_one_acknowledgement_per_offer_and_code_with_a_reason(practice, cohort, maya) -> None:
    made = acknowledge(practice, cohort, maya)
    with pytest.raises(IntegrityError), transaction.atomic():
        CopyAcknowledgement.objects.create(
            offer=cohort,
            code="false-urgency",
            reason="again",
            fingerprint=made.fingerprint,
            acknowledged_at=made.acknowledged_at,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CopyAcknowledgement.objects.create(
            offer=cohort,
            code="confirmshaming",
            reason="",
            fingerprint=made.fingerprint,
            acknowledged_at=made.acknowledged_at,
        )
