"""The offer form reports every field's problem at once, each beside its field (issue 8).

The key's shape and uniqueness and the topics were checked only by the service, which runs once the form is
valid and stops at its first refusal: so a bad key showed only after the price was fixed, and a bad topic only
after the key. The form now checks them itself.
"""

from __future__ import annotations

import pytest

from offers.models import Offer
from tests.offers.test_views import calm_offers, owner, valid_post  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_a_bad_key_topic_price_take_rate_and_name_all_show_at_once(owner, calm_offers):  # noqa: F811
    response = owner.post(
        "/offers/new/",
        valid_post(key="Three Calls", topics="anxiety, sleep!", price="ninety", default_take_rate="150", name=""),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {
        "key": ["Use 1–64 lower-case letters, digits and hyphens."],
        "name": ["Give the offer a name."],
        "price": ["Enter a price such as 97 or 19.99."],
        "topics": ['"sleep!": use lower-case letters, digits and hyphens (at most 40).'],
        "default_take_rate": ["Enter a percentage between 0 and 100."],
    }
    html = response.content.decode()
    assert "these 5 problems" in html
    for field in errors:
        assert f'<small class="field-error" id="id_{field}_error">' in html
        assert f'aria-describedby="id_{field}_helptext id_{field}_error" id="id_{field}"' in html
    assert html.count('aria-invalid="true"') == 5
    assert not Offer.objects.filter(name="").exists()


def test_a_key_already_taken_shows_beside_a_bad_price(owner, calm_offers):  # noqa: F811
    response = owner.post("/offers/new/", valid_post(key="three-calls", price="1.005"))
    assert response.context["form"].errors == {
        "key": ["Another offer in this practice already has this key; choose another."],
        "price": ["Has more than 2 decimal places."],
    }


def test_an_edit_reports_a_bad_topic_beside_a_bad_price(owner, calm_offers):  # noqa: F811
    response = owner.post("/offers/three-calls/edit/", valid_post(topics="sleep!", price="-5"))
    assert response.context["form"].errors == {
        "price": ["Must lie between 0 and 1,000,000."],
        "topics": ['"sleep!": use lower-case letters, digits and hyphens (at most 40).'],
    }
