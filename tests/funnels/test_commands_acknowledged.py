"""``funnel check FILE --practice SLUG`` marks the copy findings that practice acknowledged on the same words,
and does not count them; the JSON of ``funnel aov --json`` says the same."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.audit import Actor
from funnels.services.editing import funnel_create, funnel_step_add
from funnels.services.transfer import funnel_export
from offers.domain.copy import copy_fingerprint
from offers.services import copy_acknowledge, offer_copy_fields
from tests.factories import make_primer_catalog

pytestmark = pytest.mark.django_db

REASON = "This cohort really closes on 28 February"


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("funnel", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def exported(practice, tmp_path: Path) -> str:
    """The practice's funnel as a file, its upsell's body an enrolment date a coach has acknowledged."""
    offers = make_primer_catalog(practice, "course", "calls", calls={"body": "Enrolment closes on 28 February."})
    funnel = funnel_create(practice=practice, name="Calm", slug="calm", core_offer=offers["course"])
    funnel_step_add(
        funnel=funnel, expected_version=1, offer=offers["calls"], slot="one_click", key="up1", take_rate="0.2"
    )
    calls = offers["calls"]
    copy_acknowledge(
        practice=practice,
        offer=calls,
        code="false-urgency",
        reason=REASON,
        fingerprint=copy_fingerprint(offer_copy_fields(calls), price=calls.price, code="false-urgency"),
        actor=Actor(user=get_user_model().objects.create_user(username="maya")),
    )
    path = tmp_path / "calm.json"
    path.write_text(funnel_export(practice=practice, funnel=funnel), encoding="utf-8")
    return str(path)


def test_check_with_the_practice_marks_the_acknowledged_finding_and_does_not_count_it(practice, exported) -> None:
    code, out, err = run("check", exported, "--practice", practice.slug)
    assert code == 0
    [line] = out.splitlines()
    assert line.startswith("warning false-urgency up1: ") and line.endswith(f"(acknowledged: {REASON})")
    assert err.strip() == "Calm: 0 errors, 0 warnings, 1 acknowledged"


def test_without_the_practice_nothing_is_acknowledged(exported) -> None:
    code, out, err = run("check", exported)
    assert "(acknowledged" not in out and err.strip() == "Calm: 0 errors, 1 warnings"


def test_a_file_whose_words_differ_from_the_catalogs_is_not_acknowledged(practice, exported) -> None:
    document = json.loads(Path(exported).read_text(encoding="utf-8"))
    for offer in document["offers"]:
        if offer["key"] == "three-calls":
            offer["body"] = "Enrolment closes on 28 February. Act now."
    Path(exported).write_text(json.dumps(document), encoding="utf-8")
    _, out, err = run("check", exported, "--practice", practice.slug)
    assert "(acknowledged" not in out and err.strip() == "Calm: 0 errors, 1 warnings"


def test_the_json_says_who_acknowledged_it_and_why(practice, exported) -> None:
    _, out, _ = run("aov", exported, "--json", "--practice", practice.slug)
    [finding] = json.loads(out)["findings"]
    assert (finding["code"], finding["offer"]) == ("false-urgency", "three-calls")
    assert (finding["acknowledged"]["reason"], finding["acknowledged"]["by"]) == (REASON, "maya")
