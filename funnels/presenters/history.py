"""What the history screens show: the versions with their figures, the AOV chart, a diff and a restore, in words.

Everything here works on rows already read (the versions carry their AOV and counts, so listing them rebuilds no
funnel) and on the pure diff (``funnels.domain.diff``). The chart is an SVG drawn from coordinates worked out here:
the page's CSP allows no inline style, so every point is an attribute and every colour a CSS class.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from accounts.models import Practice
from core.money import format_money, money_string
from funnels.domain.checks.findings import Finding
from funnels.domain.diff import ChangeKind, FunnelDiff, StepRevenue, where
from funnels.models import Funnel, FunnelVersion, VersionKind
from funnels.presenters.cli import finding_line
from funnels.services.restore import OfferDrift
from funnels.services.undo import undo_choices

CHART_WIDTH, CHART_HEIGHT = 640, 180
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 72, 624, 16, 150
CHART_VERSIONS = 200
"""The chart shows at most the newest 200 versions: enough to see a trend, one small query however long the past."""

SECTIONS = (
    ("Steps added", (ChangeKind.ADDED,)),
    ("Steps removed", (ChangeKind.REMOVED,)),
    ("Re-pointed", (ChangeKind.REPOINTED, ChangeKind.START)),
    ("Take rates", (ChangeKind.TAKE_RATE,)),
    ("Prices and kinds", (ChangeKind.PRICE, ChangeKind.KIND, ChangeKind.UPGRADE)),
    ("Offers and names", (ChangeKind.OFFER, ChangeKind.OFFER_NAME, ChangeKind.NAME, ChangeKind.CORE)),
    ("Order", (ChangeKind.ORDER,)),
)


def sentence(text: str) -> str:
    """A summary as a screen shows it: capitalised; the stored words stay lower-case to read inside a sentence."""
    return text[:1].upper() + text[1:]


def money(amount: Decimal | None, currency: str) -> str:
    return format_money(amount, currency) if amount is not None else "—"


def signed_money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return "—"
    if amount == 0:
        return format_money(Decimal(0), currency)
    text = format_money(abs(amount), currency)
    return f"+{text}" if amount > 0 else f"−{text}"


@dataclass(frozen=True)
class VersionRow:
    version: FunnelVersion
    summary: str
    who: str
    aov: str
    revenue_per_buyer: str
    kind: str


KIND_WORDS = {VersionKind.UNDO: "undo", VersionKind.REDO: "redo", VersionKind.RESTORE: "restore"}


def version_rows(versions: list[FunnelVersion], currency: str) -> list[VersionRow]:
    return [
        VersionRow(
            version=v,
            summary=sentence(v.summary),
            who=v.actor.get_username() if v.actor is not None else v.actor_label,
            aov=money(v.aov, currency),
            revenue_per_buyer=money(v.revenue_per_buyer, currency),
            kind=KIND_WORDS.get(VersionKind(v.kind), ""),
        )
        for v in versions
    ]


@dataclass(frozen=True)
class ChartPoint:
    x: str
    y: str
    number: int
    label: str


@dataclass(frozen=True)
class AovChart:
    width: int
    height: int
    points: tuple[ChartPoint, ...]
    polyline: str
    ticks: tuple[tuple[str, str], ...]  # (y, label)
    first: int
    last: int
    missing: int  # versions whose AOV could not be worked out (not drawn)
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    plot_top: int = PLOT_TOP
    plot_bottom: int = PLOT_BOTTOM


def aov_chart(series: list[tuple[int, Decimal | None]], currency: str) -> AovChart | None:
    """AOV over versions, oldest left; None with fewer than two versions whose AOV is known."""
    known = [(n, aov) for n, aov in series if aov is not None]
    if len(known) < 2:
        return None
    low, high = min(a for _, a in known), max(a for _, a in known)
    if low == high:
        low, high = low - 1 if low >= 1 else Decimal(0), high + 1
    span_x = len(series) - 1 or 1
    index = {n: i for i, (n, _) in enumerate(series)}

    def x_of(number: int) -> Decimal:
        return PLOT_LEFT + Decimal(PLOT_RIGHT - PLOT_LEFT) * index[number] / span_x

    def y_of(aov: Decimal) -> Decimal:
        return PLOT_BOTTOM - Decimal(PLOT_BOTTOM - PLOT_TOP) * (aov - low) / (high - low)

    points = tuple(
        ChartPoint(x=f"{x_of(n):.1f}", y=f"{y_of(a):.1f}", number=n, label=f"Version {n}: {money(a, currency)}")
        for n, a in known
    )
    ticks = tuple((f"{y_of(v):.1f}", money(v, currency)) for v in (low, (low + high) / 2, high))
    return AovChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        ticks=ticks,
        first=series[0][0],
        last=series[-1][0],
        missing=len(series) - len(known),
    )


@dataclass(frozen=True)
class DiffSection:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class StepLine:
    offer: str
    where: str
    before: str
    after: str
    difference: str
    changed: bool


@dataclass(frozen=True)
class DiffView:
    diff: FunnelDiff
    sections: tuple[DiffSection, ...]
    gained: tuple[Finding, ...]
    lost: tuple[Finding, ...]
    aov_before: str
    aov_after: str
    aov_difference: str
    revenue_before: str
    revenue_after: str
    revenue_difference: str
    steps: tuple[StepLine, ...]

    @property
    def nothing_changed(self) -> bool:
        return not self.sections and not self.gained and not self.lost


def diff_view(diff: FunnelDiff, currency: str) -> DiffView:
    sections = []
    for title, kinds in SECTIONS:
        lines = tuple(sentence(c.text) for c in diff.changes if c.kind in kinds)
        if lines:
            sections.append(DiffSection(title, lines))
    revenue_difference = (
        diff.revenue_per_buyer_after - diff.revenue_per_buyer_before
        if diff.revenue_per_buyer_after is not None and diff.revenue_per_buyer_before is not None
        else None
    )
    return DiffView(
        diff=diff,
        sections=tuple(sections),
        gained=diff.findings_gained,
        lost=diff.findings_lost,
        aov_before=money(diff.aov_before, currency),
        aov_after=money(diff.aov_after, currency),
        aov_difference=signed_money(diff.aov_difference, currency),
        revenue_before=money(diff.revenue_per_buyer_before, currency),
        revenue_after=money(diff.revenue_per_buyer_after, currency),
        revenue_difference=signed_money(revenue_difference, currency),
        steps=tuple(_step_line(s, currency) for s in diff.steps),
    )


def _step_line(step: StepRevenue, currency: str) -> StepLine:
    return StepLine(
        offer=step.offer_name,
        where=where(step.stage, step.slot),
        before=money(step.before, currency),
        after=money(step.after, currency),
        difference=signed_money(step.difference.quantize(Decimal("0.01")), currency),
        changed=step.difference.quantize(Decimal("0.01")) != 0,
    )


def version_data(v: FunnelVersion) -> dict[str, Any]:
    """One version as ``funnel history --json`` and the API's change log both give it."""
    return {
        "number": v.number,
        "kind": v.kind,
        "at": v.created_at.isoformat(),
        "by": v.actor.get_username() if v.actor is not None else v.actor_label,
        "summary": v.summary,
        "aov": _cents(v.aov),
        "revenue_per_buyer": _cents(v.revenue_per_buyer),
        "errors": v.error_count,
        "warnings": v.warning_count,
    }


def diff_data(diff: FunnelDiff, *, funnel: str, a: int, b: int) -> dict[str, Any]:
    """The diff as ``funnel diff --json`` and the API's ``/diff`` both give it: one object, so the two never
    disagree on a field."""
    return {
        "funnel": funnel,
        "a": a,
        "b": b,
        "aov": [_cents(diff.aov_before), _cents(diff.aov_after)],
        "revenue_per_buyer": [_cents(diff.revenue_per_buyer_before), _cents(diff.revenue_per_buyer_after)],
        "changes": [{"kind": str(c.kind), "text": c.text} for c in diff.changes],
        "findings_gained": [finding_line(f) for f in diff.findings_gained],
        "findings_lost": [finding_line(f) for f in diff.findings_lost],
        "steps": [
            {"stage": str(s.stage), "key": s.key, "offer": s.offer_name}
            | {"before": money_string(s.before), "after": money_string(s.after)}
            for s in diff.steps
        ],
    }


def _cents(amount: Decimal | None) -> str | None:
    return money_string(amount) if amount is not None else None


@dataclass(frozen=True)
class DriftLine:
    drift: OfferDrift
    field_name: str
    problems: str

    @property
    def can_keep(self) -> bool:
        return not self.drift.gone


def drift_lines(drifts: tuple[OfferDrift, ...]) -> list[DriftLine]:
    return [DriftLine(d, f"offer-{d.key}", "; ".join(d.differences)) for d in drifts]


@dataclass(frozen=True)
class UndoControls:
    """What the undo and redo buttons say (``funnels/_undo_controls.html``): None where there is nothing to do.
    ``back`` is where a plain (no-JavaScript) post returns: "editor" or "history"."""

    slug: str
    version: int
    undo: str | None
    redo: str | None
    back: str = "editor"


def undo_controls(*, practice: Practice, funnel: Funnel, user: object, back: str = "editor") -> UndoControls:
    """The buttons' state for this person (two queries at most); include it as ``undo_controls`` in a page."""
    choices = undo_choices(practice=practice, funnel=funnel, user=user if isinstance(user, User) else None)
    return UndoControls(
        slug=funnel.slug,
        version=funnel.version,
        undo=sentence(choices.undo.summary) if choices.undo else None,
        redo=sentence(choices.redo.summary) if choices.redo else None,
        back=back,
    )
