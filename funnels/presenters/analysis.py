"""Work done once per version: a funnel's findings, figures and diagram, cached until anything they read changes.

The rules, the metrics and the layout depend only on the funnel's rows (its ``version`` moves with every edit, and
with every catalog change a funnel would see in its figures: ``offers.impact``), the practice's thresholds and
the offers' names and words (which do not move funnel versions; the practice's ``catalog_version`` counts every
catalog write instead). So the cache key is (funnel, version, last change, thresholds, catalog version), and a GET
of an unchanged funnel reads the answer instead of working it out; an edit changes the key, so the next page
works it out once. Old entries are never read again and age out.

Acknowledgements are not part of the key: the findings are cached as the rules give them and marked with the
page's acknowledgements (read with the funnel) each time, which is cheap. Only the diagram depends on them (a box
is flagged for open findings), so it is cached under the key and a digest of those acknowledgements.

Entries are plain picklable values (frozen dataclasses of strings, numbers and enums) in Django's default cache:
local memory by default, shared Redis where ``REDIS_URL`` is set. ``FORMAT`` is part of every key: change it when
what is cached changes shape or meaning, so a new release never reads an old release's entries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from accounts.models import Practice
from funnels.domain.checks.acknowledged import acknowledge
from funnels.domain.checks.findings import Finding
from funnels.domain.metrics import FunnelMetrics
from funnels.figures import analysis_key, cached, funnel_figures
from funnels.presenters.diagram import FlowDiagram, layout_flow
from funnels.selectors import LoadedFunnel


@dataclass(frozen=True)
class Analysis:
    """A funnel as the editor shows it: findings marked with the acknowledgements, figures and the diagram."""

    findings: tuple[Finding, ...]
    metrics: FunnelMetrics | None
    problem: str | None
    diagram: FlowDiagram


def funnel_analysis(*, practice: Practice, loaded: LoadedFunnel) -> Analysis:
    """The loaded funnel's findings (marked with its acknowledgements), figures and flow diagram."""
    figures = funnel_figures(practice=practice, loaded=loaded)
    findings = acknowledge(figures.findings, loaded.acknowledgements)
    digest = _acknowledged_digest(findings)
    key = analysis_key("diagram", practice, loaded.funnel, digest)
    diagram = cached(key, lambda: layout_flow(loaded.plan, [f for f in findings if f.is_open]))
    return Analysis(findings=findings, metrics=figures.metrics, problem=figures.problem, diagram=diagram)


def _acknowledged_digest(findings: Sequence[Finding]) -> str:
    """Which findings are acknowledged: all the diagram reads of the acknowledgements."""
    closed = sorted(f"{f.stage}:{f.step}:{f.code}" for f in findings if not f.is_open)
    return hashlib.sha256("\n".join(closed).encode()).hexdigest()[:16]


__all__ = ["Analysis", "funnel_analysis"]
