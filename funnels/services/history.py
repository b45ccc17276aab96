"""Keeping every accepted edit: ``record_version`` writes the funnel as it stands after an edit.

Every service that changes a funnel calls it inside its own transaction, after its write, so the version and the
change are saved together or not at all. The snapshot is the funnel in the interchange format (compressed, see
``funnels.interchange.snapshots``), and the AOV, revenue per buyer and open error and warning counts are worked out
here once, so the history page, its chart and the command line never rebuild an old funnel to list it.

Storage stays small by folding: an edit of the same field (``fold_key``) by the same person within
``FUNNEL_VERSION_FOLD_SECONDS`` of the newest version, with nothing in between, updates that version instead of
adding one. Its summary then runs from the first edit's "before" to the last one's "after"
("take rate of Three calls 20% → 30%"), so no step of a coach's typing is counted as a version of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from accounts.audit import Actor
from accounts.models import Practice
from core.money import format_percent, quantize_money
from funnels.domain.checks.acknowledged import acknowledge
from funnels.domain.checks.findings import Tally
from funnels.figures import funnel_figures
from funnels.interchange.problems import FunnelFileError
from funnels.interchange.snapshots import pack_plan
from funnels.models import Funnel, FunnelVersion, VersionKind
from funnels.selectors import LoadedFunnel, funnel_load, version_latest

ARROW = " → "
TRASHED = "moved the funnel to the trash"
UNTRASHED = "took the funnel back out of the trash"
TRASH_SUMMARIES = frozenset({TRASHED, UNTRASHED})
"""Versions undo never takes back: the trash has its own page, and undoing a move out of it would not put it back."""
SUMMARY_MAX = FunnelVersion._meta.get_field("summary").max_length or 500


@dataclass(frozen=True)
class VersionFigures:
    """What a version shows in the history without being rebuilt."""

    aov: Decimal | None
    revenue_per_buyer: Decimal | None
    errors: int
    warnings: int


def version_figures(*, practice: Practice, loaded: LoadedFunnel) -> VersionFigures:
    """AOV and revenue per buyer (to the cent; None when the flow cannot be worked out) and the open counts, from
    the per-version cache (``funnels.figures``), so the editor's answer to the same edit works nothing out again."""
    figures = funnel_figures(practice=practice, loaded=loaded)
    metrics = figures.metrics
    aov = quantize_money(metrics.aov) if metrics is not None else None
    revenue = quantize_money(metrics.revenue_per_buyer) if metrics is not None else None
    tally = Tally.of(acknowledge(figures.findings, loaded.acknowledgements))
    return VersionFigures(aov=aov, revenue_per_buyer=revenue, errors=tally.errors, warnings=tally.warnings)


RECORDED = "_loaded_as_recorded"


def loaded_as_recorded(funnel: Funnel) -> LoadedFunnel | None:
    """The funnel as its newest version was kept (read after the edit's write, in its transaction), when this very
    object was just recorded at the version it carries: what the editor's answer shows, without reading it again."""
    version, loaded = getattr(funnel, RECORDED, (None, None))
    return loaded if version == funnel.version else None


def record_version(*, funnel: Funnel, actor: Actor, summary: str, fold_key: str | None = None) -> FunnelVersion:
    """Keep the funnel as it stands now as version ``funnel.version`` (call it after the write, in its transaction).

    ``summary`` is one line in the product's words, naming offers by their names ("take rate of Three 1-on-1
    coaching calls 20% → 25%"); ``fold_key`` names the field the edit changed ("take-rate:post_purchase:up1"), so
    consecutive edits of it by the same person fold into one version. An edit without one is never folded.
    """
    return write_version(funnel=funnel, actor=actor, summary=summary, fold_key=fold_key)


def write_version(
    *,
    funnel: Funnel,
    actor: Actor,
    summary: str,
    fold_key: str | None = None,
    kind: VersionKind = VersionKind.EDIT,
    state_of: int | None = None,
    undid: int | None = None,
) -> FunnelVersion:
    """``record_version`` with what undo, redo and restore also say about themselves (see ``FunnelVersion``)."""
    practice = funnel.practice
    loaded = funnel_load(practice=practice, funnel=funnel, with_acknowledgements=True)
    setattr(funnel, RECORDED, (funnel.version, loaded))
    figures = version_figures(practice=practice, loaded=loaded)
    try:
        snapshot = pack_plan(loaded.plan)
    except FunnelFileError:
        snapshot = b""  # a funnel no file can hold (over the format's limits): kept with its figures, not restorable
    now = timezone.now()
    summary = _one_line(summary)
    values = {
        "snapshot": snapshot,
        "created_at": now,
        "aov": figures.aov,
        "revenue_per_buyer": figures.revenue_per_buyer,
        "error_count": figures.errors,
        "warning_count": figures.warnings,
    }
    latest = version_latest(practice=practice, funnel=funnel) if fold_key else None
    if latest is not None and fold_key and _folds(latest, funnel=funnel, actor=actor, fold_key=fold_key, now=now):
        latest.number = funnel.version
        latest.summary = folded_summary(latest.summary, summary)
        for name, value in values.items():
            setattr(latest, name, value)
        latest.save(update_fields=["number", "summary", *values])
        return latest
    return FunnelVersion.objects.create(
        funnel=funnel,
        number=funnel.version,
        kind=kind,
        actor=actor.user,
        actor_label=actor.name[:150],
        summary=summary,
        fold_key=(fold_key or "")[:200],
        state_of=state_of,
        undid=undid,
        **values,
    )


def _folds(latest: FunnelVersion, *, funnel: Funnel, actor: Actor, fold_key: str, now: datetime) -> bool:
    window = timedelta(seconds=int(settings.FUNNEL_VERSION_FOLD_SECONDS))
    same_person = (
        latest.actor_id == actor.user.pk
        if actor.user is not None
        else latest.actor_id is None and latest.actor_label == actor.name[:150]
    )
    return (
        latest.kind == VersionKind.EDIT
        and latest.fold_key == fold_key[:200]
        and latest.number == funnel.version - 1  # nothing unrecorded in between
        and same_person
        and now - latest.created_at <= window
    )


def folded_summary(earlier: str, later: str) -> str:
    """``take rate of X 20% → 25%`` then ``take rate of X 25% → 30%`` fold to ``take rate of X 20% → 30%``; a
    summary that is not one "before → after" is simply replaced by the later one."""
    if earlier.count(ARROW) == 1 and later.count(ARROW) == 1:
        return _one_line(earlier.split(ARROW)[0] + ARROW + later.split(ARROW)[1])
    return later


def _one_line(text: str) -> str:
    line = " ".join(text.split()) or "changed the funnel"
    return line if len(line) <= SUMMARY_MAX else line[: SUMMARY_MAX - 1] + "…"


# -- the words of summaries -----------------------------------------------------------------------------------


def rate_words(rate: Decimal | None) -> str:
    """A take rate as a summary says it: ``20%``, or ``the default`` for a rate left to the offer or its kind."""
    return format_percent(rate) if rate is not None else "the default"


def change_words(subject: str, before: str, after: str) -> str:
    """``take rate of Three calls 20% → 25%``: the one form of summary that folds."""
    return f"{subject} {before}{ARROW}{after}"
