"""The editor's step cards: what each placed offer shows, and the order the after-payment cards come in.

A card carries only what it shows: its offer, its take rate, and where each answer leads (a link to the
card it leads to, or the thank-you page). The choices of every possible target are not rendered into each
card (that made the page grow with the square of the funnel); they are fetched when the coach opens the
control (``funnels.presenters.editor_choices``).

The after-payment cards come in flow order: the start first, then breadth-first along the edges (accept before
decline), because that is the order the buyer can meet them in; the order the coach once dragged them into
meant nothing to the buyer. Steps no path reaches follow, marked so.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from core.money import format_money, format_percent, percent_input
from funnels.domain.checks.findings import Finding, Severity
from funnels.domain.plan import FunnelPlan, Placement, Slot, Stage, Step
from funnels.models import FunnelStep
from funnels.presenters.anchors import COLUMN_IDS, step_anchor
from offers.domain.kinds import OfferKind

EDGE_WORDS = {"on_accept": "accept", "on_decline": "decline"}
"""The two answers of a one-click step, as the model names them and as a sentence says them."""


@dataclass(frozen=True)
class Refusal:
    """An edit refused as asked: ``control`` names the place its message goes, ``entered`` what was typed."""

    control: str
    message: str
    entered: dict[str, str] | None = None

    def typed(self, name: str) -> str:
        return (self.entered or {}).get(name, "")


@dataclass(frozen=True)
class Answer:
    """Where one answer of a one-click step leads: another card (by its name and anchor) or the thank-you page."""

    edge: str  # "on_accept" | "on_decline"
    word: str  # "accept" | "decline"
    target_key: str  # "" for the thank-you page
    target_name: str
    target_anchor: str

    @property
    def ends(self) -> bool:
        """True where this answer goes to the thank-you page, so a next step can be added here."""
        return not self.target_key


@dataclass(frozen=True)
class Row:
    """One offer as placed, ready to show: a bump, a cross-sell, or a one-click step."""

    key: str
    anchor: str
    stage: Stage
    slot: Slot
    column: str
    name: str
    kind: str
    kind_label: str
    primer_words: str
    price: str
    take_rate_input: str
    default_rate: str  # the take rate in force when the input is blank, displayed like every take rate
    rate_in_force: str
    first: bool = False
    last: bool = False
    is_start: bool = False
    reached: bool = True
    answers: tuple[Answer, ...] = ()
    errors: int = 0
    warnings: int = 0
    take_rate_error: str = ""
    edges_error: str = ""
    actions_error: str = ""

    @property
    def marked(self) -> bool:
        return bool(self.errors or self.warnings)


def flow_order(start: str | None, steps: Sequence[FunnelStep]) -> tuple[list[FunnelStep], list[FunnelStep]]:
    """(steps in the order a buyer can meet them, steps no path reaches): breadth-first from the start,
    each step's accept answer before its decline. Linear in the number of steps."""
    by_pk = {s.pk: s for s in steps}
    first = next((s for s in steps if s.key == start), None)
    seen: set[int] = set()
    ordered: list[FunnelStep] = []
    queue: deque[FunnelStep] = deque([first] if first is not None else [])
    while queue:
        step = queue.popleft()
        if step.pk in seen:
            continue
        seen.add(step.pk)
        ordered.append(step)
        for target_id in (step.on_accept_id, step.on_decline_id):
            target = by_pk.get(target_id) if target_id is not None else None
            if target is not None and target.pk not in seen:
                queue.append(target)
    return ordered, [s for s in steps if s.pk not in seen]


def finding_counts(findings: Iterable[Finding]) -> dict[tuple[Stage, str], tuple[int, int]]:
    """Open errors and warnings per (stage, step key), so each card is marked as the diagram is."""
    counts: dict[tuple[Stage, str], tuple[int, int]] = {}
    for found in findings:
        if found.stage is None or not found.step or not found.is_open:
            continue
        errors, warnings = counts.get((found.stage, found.step), (0, 0))
        if found.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
        counts[(found.stage, found.step)] = (errors, warnings)
    return counts


def _message(refusal: Refusal | None, control: str) -> str:
    return refusal.message if refusal is not None and refusal.control == control else ""


def _default_rate(plan: FunnelPlan, placed: Placement | Step) -> str:
    return format_percent(plan.take_rate(replace(placed, take_rate=None)))


class RowBuilder:
    """Builds the cards of one funnel: the plan gives the rates in force, the rows give names and edges."""

    def __init__(
        self,
        plan: FunnelPlan,
        steps: Sequence[FunnelStep],
        findings: Sequence[Finding],
        refusal: Refusal | None = None,
    ) -> None:
        self.plan = plan
        self.steps = steps
        self.refusal = refusal
        self.counts = finding_counts(findings)
        self.placed: dict[tuple[Stage, str], Placement | Step] = {(p.stage, p.key): p for p in plan.placements}
        self.placed |= {(Stage.POST_PURCHASE, s.key): s for s in plan.steps}
        self.by_pk = {s.pk: s for s in steps}

    def _answer(self, edge: str, target_id: int | None) -> Answer:
        target = self.by_pk.get(target_id) if target_id is not None else None
        if target is None:
            return Answer(edge, EDGE_WORDS[edge], "", "the thank-you page", "thank-you")
        return Answer(
            edge, EDGE_WORDS[edge], target.key, target.offer.name, step_anchor(Stage.POST_PURCHASE, target.key)
        )

    def row(self, step: FunnelStep, *, first: bool = False, last: bool = False, reached: bool = True) -> Row:
        stage = Stage(step.stage)
        anchor = step_anchor(stage, step.key)
        offer = step.offer
        kind = OfferKind(offer.kind)
        placed = self.placed[(stage, step.key)]
        take_rate_error = _message(self.refusal, f"take-rate:{anchor}")
        typed = self.refusal.typed("take_rate") if self.refusal is not None and take_rate_error else None
        errors, warnings = self.counts.get((stage, step.key), (0, 0))
        one_click = stage is Stage.POST_PURCHASE
        return Row(
            key=step.key,
            anchor=anchor,
            stage=stage,
            slot=Slot(step.slot),
            column=COLUMN_IDS[stage],
            name=offer.name,
            kind=kind.value,
            kind_label=kind.label,
            primer_words=kind.primer_words,
            price=format_money(offer.price, self.plan.currency),
            take_rate_input=typed if typed is not None else percent_input(step.take_rate),
            default_rate=_default_rate(self.plan, placed),
            rate_in_force=format_percent(self.plan.take_rate(placed)),
            first=first,
            last=last,
            is_start=one_click and self.plan.start == step.key,
            reached=reached,
            answers=(
                (self._answer("on_accept", step.on_accept_id), self._answer("on_decline", step.on_decline_id))
                if one_click
                else ()
            ),
            errors=errors,
            warnings=warnings,
            take_rate_error=take_rate_error,
            edges_error=_message(self.refusal, f"edges:{anchor}"),
            actions_error=_message(self.refusal, f"actions:{anchor}"),
        )

    def placements(self, stage: Stage, slot: Slot) -> list[Row]:
        """Bumps and cross-sells in the order the buyer sees them (the order the coach chose)."""
        chosen = [s for s in self.steps if s.stage == stage and s.slot == slot]
        return [self.row(s, first=i == 0, last=i == len(chosen) - 1) for i, s in enumerate(chosen)]

    def one_click(self) -> tuple[list[Row], list[Row]]:
        """(the after-payment cards in flow order, the cards of steps no path reaches)."""
        steps = [s for s in self.steps if s.stage == Stage.POST_PURCHASE]
        ordered, stranded = flow_order(self.plan.start, steps)
        return [self.row(s) for s in ordered], [self.row(s, reached=False) for s in stranded]

    def find(self, stage: Stage, key: str) -> Row | None:
        """One card, for an edit that changed only that card."""
        step = next((s for s in self.steps if s.stage == stage and s.key == key), None)
        if step is None:
            return None
        if stage is Stage.POST_PURCHASE:
            reached, _ = flow_order(self.plan.start, [s for s in self.steps if s.stage == Stage.POST_PURCHASE])
            return self.row(step, reached=step in reached)
        chosen = [s for s in self.steps if s.stage == stage and s.slot == step.slot]
        return self.row(step, first=chosen[0] is step, last=chosen[-1] is step)
