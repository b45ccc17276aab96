"""Work done once per version: a funnel's findings and figures, cached until anything they read changes.

Below the services, so that the version kept after an edit (``funnels.services.history``) and the editor's
answer to it share one computation; the diagram, which is presentation, is cached in ``funnels.presenters.analysis``.

The rules, the metrics and the layout depend only on the funnel's rows (its ``version`` moves with every edit, and
with every catalog change a funnel would see in its figures: ``offers.impact``), the practice's thresholds and
the offers' names and words (which do not move funnel versions; the practice's ``catalog_version`` counts every
catalog write instead). So the cache key is (funnel, version, last change, thresholds, catalog version), and a GET
of an unchanged funnel reads the answer instead of working it out; an edit changes the key, so the next page
works it out once. Old entries are never read again and age out.

Acknowledgements are not part of the key: the findings are cached as the rules give them and marked with the
page's acknowledgements (read with the funnel) each time, which is cheap. Only the diagram depends on them
(``funnels.presenters.analysis``).

Entries are plain picklable values (frozen dataclasses of strings, numbers and enums) in Django's default cache:
local memory by default, shared Redis where ``REDIS_URL`` is set. ``FORMAT`` is part of every key: change it when
what is cached changes shape or meaning, so a new release never reads an old release's entries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.cache import cache

from accounts.models import Practice
from funnels.domain.checks.findings import Finding
from funnels.domain.checks.rules import check_funnel
from funnels.domain.metrics import FunnelMetrics, UncomputableFunnel, compute_metrics
from funnels.domain.plan import FunnelPlan
from funnels.models import Funnel
from funnels.selectors import LoadedFunnel, practice_thresholds

FORMAT = 1
TIMEOUT = 7 * 24 * 3600
"""A week: an entry is only ever read while its funnel stays at its version, and then it is read often."""


@dataclass(frozen=True)
class EngineFigures:
    """What the rules and the metrics say of one version: the findings before acknowledgements, and the metrics
    without the list of order totals (``problem`` says why there are none when the flow cannot be computed)."""

    findings: tuple[Finding, ...]
    metrics: FunnelMetrics | None
    problem: str | None


def practice_stamp(practice: Practice) -> tuple[object, ...]:
    """What every funnel's figures read of the practice: its thresholds and its catalog's version."""
    thresholds = practice_thresholds(practice)
    return (
        practice.pk,
        str(thresholds.price_jump_ratio),
        str(thresholds.bump_max_share),
        thresholds.max_one_click_offers,
        practice.catalog_version,
    )


def analysis_key(kind: str, practice: Practice, funnel: Funnel, *extra: object) -> str:
    """The cache key of what ``kind`` works out from this version of the funnel (``extra``: anything else it
    reads). The readable head names the funnel and version; the digest covers everything."""
    parts = (
        FORMAT,
        kind,
        funnel.pk,
        funnel.version,
        funnel.updated_at.isoformat() if funnel.updated_at else "",
        *practice_stamp(practice),
        *extra,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"funnel-{kind}:{funnel.pk}:{funnel.version}:{digest}"


def cached[T](key: str, compute: Callable[[], T]) -> T:
    """The cached value under ``key``, else ``compute()`` stored there."""
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, TIMEOUT)
    return found  # type: ignore[no-any-return]


def figures_of(plan: FunnelPlan) -> EngineFigures:
    """The rules and the metrics of one plan (pure): what ``funnel_figures`` caches."""
    try:
        metrics: FunnelMetrics | None = compute_metrics(plan, with_distribution=False)
        problem = None
    except UncomputableFunnel as uncomputable:
        metrics, problem = None, uncomputable.reason
    return EngineFigures(findings=check_funnel(plan), metrics=metrics, problem=problem)


def funnel_figures(*, practice: Practice, loaded: LoadedFunnel) -> EngineFigures:
    """The findings (not yet acknowledged) and metrics of the loaded funnel, worked out once per version."""
    return cached(analysis_key("figures", practice, loaded.funnel), lambda: figures_of(loaded.plan))


def funnels_figures(*, practice: Practice, loaded: Sequence[LoadedFunnel]) -> list[EngineFigures]:
    """``funnel_figures`` of many funnels in one cache round trip (and one more to store the missing ones)."""
    keys = [analysis_key("figures", practice, item.funnel) for item in loaded]
    found = cache.get_many(keys)
    missing = {key: figures_of(item.plan) for key, item in zip(keys, loaded, strict=True) if key not in found}
    if missing:
        cache.set_many(missing, TIMEOUT)
    return [found.get(key) or missing[key] for key in keys]
