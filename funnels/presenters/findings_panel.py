"""The editor's findings panel: each finding with a link to the place it concerns, and for a finding on an
offer's words, what its acknowledge form needs (the offer, the code, the fingerprint of the words it was made
on), or who acknowledged it, when and why. Pure presentation: no queries, no HTTP."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from funnels.domain.checks.findings import Finding, Severity
from funnels.presenters.anchors import COLUMN_IDS, step_anchor

Refused = tuple[str, str, str]
"""A refused acknowledgement: (the form's control, the reason it was refused, what the coach had typed)."""


@dataclass(frozen=True)
class FindingItem:
    """One finding as the panel lists it."""

    severity: str
    label: str
    code: str
    message: str
    hint: str
    href: str
    where: str
    offer: str = ""
    fingerprint: str = ""
    control: str = ""  # the acknowledge form's name for a refusal: ``ack:<offer>:<code>``
    reason: str = ""  # the acknowledgement's reason, once acknowledged
    acknowledged: str = ""  # who acknowledged it and when, in words
    error: str = ""
    entered: str = ""

    @property
    def can_acknowledge(self) -> bool:
        return bool(self.fingerprint) and not self.acknowledged


def acknowledge_control(offer: str, code: str) -> str:
    """Where a refused acknowledgement's message goes: beside the form of that offer's finding."""
    return f"ack:{offer}:{code}"


def finding_items(
    findings: Sequence[Finding], *, refused: Refused | None = None, names: Mapping[str, str] | None = None
) -> list[FindingItem]:
    """The panel's rows, in the findings' order; an acknowledged finding stays, marked with its reason.
    ``names`` turns a step's key into its offer's name for the "where" line: keys stay off the screen."""
    names = names or {}
    items = []
    for found in findings:
        if found.stage is not None and found.step:
            href = "#" + step_anchor(found.stage, found.step)
        elif found.stage is not None:
            href = "#" + COLUMN_IDS[found.stage]
        else:
            href = ""
        step_name = names.get(found.step, found.step) if found.step else ""
        where = " · ".join(part for part in (found.stage.label if found.stage else "Whole funnel", step_name) if part)
        said = found.acknowledgement
        control = acknowledge_control(found.offer, found.code) if found.offer and found.can_be_acknowledged else ""
        error = refused[1] if refused is not None and control and refused[0] == control else ""
        items.append(
            FindingItem(
                severity=found.severity.value,
                label="Error" if found.severity is Severity.ERROR else "Warning",
                code=found.code,
                message=found.message,
                hint=found.hint,
                href=href,
                where=where,
                offer=found.offer or "",
                fingerprint=found.fingerprint,
                control=control,
                reason=said.reason if said is not None else "",
                acknowledged=f"{said.by}, {said.at:%-d %B %Y}" if said is not None else "",
                error=error,
                entered=refused[2] if refused is not None and error else "",
            )
        )
    return items
