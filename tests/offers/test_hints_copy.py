"""The catalog form's live hints read the copy with the funnel checks' reader: every copy code, each warning
quoting the words, naming the kind of claim and saying how to fix it."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.factories import make_primer_catalog
from tests.factories import signed_in_client as member

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
LABELS = {"accept_label": "Yes, add the calls", "decline_label": "No, thank you"}


@pytest.fixture
def catalog_admin(practice):
    make_primer_catalog(practice, "course")
    return member(practice, Role.CATALOG_ADMIN)


def hints(client, **data: str) -> str:  # type: ignore[no-untyped-def]
    response = client.post("/offers/hints/", {"kind": "upsell", "price": "197", **LABELS, **data}, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_each_warning_quotes_the_words_and_names_the_kind_of_claim(catalog_admin) -> None:
    html = hints(catalog_admin, headline="Say goodbye to anxiety forever", body="Doors close tonight.")
    assert (
        "The headline promises an outcome: “Say goodbye to anxiety forever”. Kind of claim: a promise that the change "
        "lasts forever." in html
    )
    assert "The description invents urgency: “Doors close tonight”. Kind of claim: a deadline or timer." in html


def test_the_no_button_and_reference_prices_get_hints_too(catalog_admin) -> None:
    html = hints(catalog_admin, body="Was $497.", decline_label="No thanks, I'd rather stay anxious")
    assert "The description claims a price this offer has not had: “Was $497”." in html
    assert "The no button shames the buyer for saying no: “I&#x27;d rather stay anxious”." in html
    empty = hints(catalog_admin, decline_label="")
    assert "The no button hides the way to say no: it is empty. Kind of claim: an empty no button." in empty


def test_the_price_typed_so_far_verifies_a_reference_price(catalog_admin) -> None:
    assert "claims a price" not in hints(catalog_admin, price="300", body="Normally $300.")
    assert "claims a price" in hints(catalog_admin, price="29", body="Normally $300.")


def test_a_no_button_is_only_judged_for_kinds_shown_on_a_one_click_screen(catalog_admin) -> None:
    assert "hides the way to say no" not in hints(catalog_admin, kind="order_bump", decline_label="")
    assert "hides the way to say no" not in hints(catalog_admin, kind="core", decline_label="")


def test_honest_copy_gets_no_warning(catalog_admin) -> None:
    html = hints(
        catalog_admin,
        headline="No countdown, no deadline",
        body="Is it a cure? No. Eight seats, because I coach each person myself. 30-day money-back guarantee.",
    )
    assert "No promised outcomes or invented deadlines in the copy." in html
