"""``manage.py demo --no-serve`` loads the primer's practice, its three funnels and a login, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import Membership, Practice, Role
from funnels.domain.checks.rules import check_funnel
from funnels.domain.metrics import compute_metrics
from funnels.models import Funnel
from funnels.selectors import funnel_plan
from funnels.services.demo import DEMO_PASSWORD, DEMO_PRACTICE_SLUG, DEMO_USERNAME
from offers.models import Offer

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def test_the_demo_loads_the_primer_practice_and_prints_the_login():
    out = run_demo()
    practice = Practice.objects.get(slug=DEMO_PRACTICE_SLUG)
    assert f"user: {DEMO_USERNAME}  password: {DEMO_PASSWORD}" in out
    assert get_user_model().objects.get(username=DEMO_USERNAME).check_password(DEMO_PASSWORD)
    assert Membership.objects.get(practice=practice, user__username=DEMO_USERNAME).role == Role.OWNER
    assert Offer.objects.get(practice=practice, key="calm-course").price == 97
    assert Offer.objects.get(practice=practice, key="three-calls").price == 300
    assert Funnel.objects.filter(practice=practice).count() == 3


def test_the_demo_funnels_have_the_figures_and_findings_the_readme_shows():
    run_demo()
    practice = Practice.objects.get(slug=DEMO_PRACTICE_SLUG)
    plans = {f.slug: funnel_plan(practice=practice, funnel=f) for f in Funnel.objects.filter(practice=practice)}
    assert str(compute_metrics(plans["calm-course-classic"]).aov) == "177.1"
    assert compute_metrics(plans["calm-course-community-upgrade"]).aov == 143
    assert check_funnel(plans["calm-course-classic"]) == ()
    draft_codes = {f.code for f in check_funnel(plans["calm-course-first-draft-has-mistakes"])}
    assert {"upsell-before-purchase", "downsell-without-decline", "price-jump", "guaranteed-outcome"} <= draft_codes


def test_running_the_demo_twice_changes_nothing_and_reset_reloads():
    run_demo()
    run_demo()
    assert Funnel.objects.filter(practice__slug=DEMO_PRACTICE_SLUG).count() == 3
    Funnel.objects.filter(practice__slug=DEMO_PRACTICE_SLUG).first().delete()
    run_demo("--reset")
    assert Funnel.objects.filter(practice__slug=DEMO_PRACTICE_SLUG).count() == 3
