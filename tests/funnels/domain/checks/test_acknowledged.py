"""Acknowledged findings: marked, still listed, not counted as open, and open again when the words change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from funnels.domain.checks.acknowledged import acknowledge
from funnels.domain.checks.findings import Tally
from funnels.domain.checks.rules import check_funnel
from offers.domain.copy import Acknowledgement
from tests.funnels.domain.plans import funnel, offer, step

AT = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)


def plan(body: str = "Enrolment closes on 28 February.", **copy: str):  # type: ignore[no-untyped-def]
    calls = offer("calls", name="Three Coaching Calls", body=body, **copy)
    return funnel(calls, start="up1", steps=(step("up1", "calls", rate="0.9"),))


def said(finding, reason: str = "This cohort really closes on 28 February") -> Acknowledgement:  # type: ignore[no-untyped-def]
    return Acknowledgement(finding.offer, finding.code, finding.fingerprint, reason, "maya", AT)


def test_an_acknowledged_finding_stays_listed_marked_and_is_not_counted() -> None:
    findings = check_funnel(plan())
    urgency = next(f for f in findings if f.code == "false-urgency")
    marked = acknowledge(findings, [said(urgency)])
    assert [f.code for f in marked] == [f.code for f in findings]
    [done] = [f for f in marked if f.code == "false-urgency"]
    assert done.acknowledgement is not None and done.acknowledgement.reason.startswith("This cohort")
    assert not done.is_open
    before, after = Tally.of(findings), Tally.of(marked)
    assert (after.warnings, after.acknowledged) == (before.warnings - 1, 1)


def test_the_finding_comes_back_when_the_words_change() -> None:
    old = next(f for f in check_funnel(plan()) if f.code == "false-urgency")
    changed = check_funnel(plan(body="Enrolment closes on 28 February, so join now."))
    assert all(f.is_open for f in acknowledge(changed, [said(old)]))


def test_an_acknowledgement_of_another_offer_or_code_marks_nothing() -> None:
    findings = check_funnel(plan(headline="Guaranteed results"))
    urgency = next(f for f in findings if f.code == "false-urgency")
    elsewhere = replace(said(urgency), offer="other")
    other_code = replace(said(urgency), code="guaranteed-outcome")
    assert all(f.is_open for f in acknowledge(findings, [elsewhere, other_code]))


def test_findings_about_the_funnels_shape_cannot_be_acknowledged() -> None:
    findings = check_funnel(plan())
    jump = next(f for f in findings if f.code == "optimistic-take-rate")
    assert not jump.can_be_acknowledged and jump.offer is None
    assert acknowledge(findings, [Acknowledgement("calls", jump.code, "", "no", "maya", AT)]) == findings
