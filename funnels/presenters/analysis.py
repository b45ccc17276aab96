"""A funnel's findings, figures and flow diagram for the screens, worked out once per version.

The findings and figures come from ``funnels.figures`` (whose docstring says what the cache key holds and why);
the diagram, which is presentation, is cached here under the same key and a digest of which findings are
acknowledged, since it flags the boxes with open findings. (Acknowledging also counts as a catalog change, which
moves the key of the pages kept whole, ``accounts.page_cache``.)
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
