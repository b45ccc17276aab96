"""Undo and redo in the editor: each one a normal versioned edit, worked out from the history alone.

No stack is kept in the session or anywhere else: the versions say it all. An undo row reproduces the state of an
earlier version (``state_of``) and names the edit it took back (``undid``); a redo row brings that edit's state back.
So undo goes back over a person's own consecutive edits (up to ``FUNNEL_UNDO_DEPTH``), stopping at an edit someone
else made, at the funnel's first version, and at a move to or from the trash; redo follows the undos made since the
last ordinary edit, newest first, and a new edit ends it, as in any editor. Two tabs of one person share it; an undo
carries the version it was made against like every edit, so an undo from a tab that fell behind is refused (409)
rather than taking back something its coach never saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from accounts.audit import Actor
from accounts.models import Practice
from funnels.models import Funnel, FunnelVersion, VersionKind
from funnels.selectors import version_recent, versions_by_number
from funnels.services.editing import FunnelEditError, claim_version
from funnels.services.history import TRASH_SUMMARIES, write_version
from funnels.services.restore import catalog_for, rebuild, version_plan


class NothingToUndo(FunnelEditError):
    """There is no edit of yours to undo (or to redo) at this version."""


@dataclass(frozen=True)
class UndoStep:
    """What one undo or redo would do: go to the state of ``target`` and take back (or bring back) ``edit``."""

    target: int
    edit: FunnelVersion

    @property
    def summary(self) -> str:
        return self.edit.summary


@dataclass(frozen=True)
class UndoChoices:
    undo: UndoStep | None
    redo: UndoStep | None


def undo_choices(*, practice: Practice, funnel: Funnel, user: User | None) -> UndoChoices:
    """What undo and redo would do for ``user`` on the funnel as it stands (two queries at most)."""
    if user is None:
        return UndoChoices(None, None)
    depth = int(settings.FUNNEL_UNDO_DEPTH)
    rows = version_recent(practice=practice, funnel=funnel, limit=2 * depth + 2)
    if not rows or rows[0].number != funnel.version:  # an edit nobody recorded came last: nothing is known of it
        return UndoChoices(None, None)
    by_number = {row.number: row for row in rows}
    wanted = {n for row in rows for n in (row.state_of, row.undid) if n is not None and n not in by_number}
    if wanted:
        by_number |= versions_by_number(practice=practice, funnel=funnel, numbers=wanted)
    return UndoChoices(_undo(rows, by_number, user), _redo(rows, by_number, user))


def _effective(row: FunnelVersion, by_number: dict[int, FunnelVersion]) -> FunnelVersion | None:
    """The ordinary edit whose state ``row`` is in (an undo or redo row stands for the version it reproduces)."""
    return by_number.get(row.state_of) if row.state_of is not None else row


def _undo(rows: list[FunnelVersion], by_number: dict[int, FunnelVersion], user: User) -> UndoStep | None:
    edit = _effective(rows[0], by_number)
    if edit is None or edit.actor_id != user.pk or edit.summary in TRASH_SUMMARIES:
        return None
    earlier = [row for row in rows if row.number < edit.number]
    if not earlier:
        return None  # the funnel's first version (or beyond the depth undo reaches)
    before = _effective(earlier[0], by_number)
    return UndoStep(target=before.number, edit=edit) if before is not None else None


def _redo(rows: list[FunnelVersion], by_number: dict[int, FunnelVersion], user: User) -> UndoStep | None:
    redone = 0
    for row in rows:
        if row.kind == VersionKind.REDO:
            redone += 1
        elif row.kind == VersionKind.UNDO:
            if redone == 0:
                edit = by_number.get(row.undid) if row.undid is not None else None
                if edit is None or row.actor_id != user.pk:
                    return None
                return UndoStep(target=edit.number, edit=edit)
            redone -= 1
        else:
            return None
    return None


def funnel_undo(*, funnel: Funnel, expected_version: int, actor: Actor) -> FunnelVersion:
    """Take back the actor's last edit, as the funnel's next version (``StaleFunnel`` if it moved on meanwhile)."""
    return _step(funnel=funnel, expected_version=expected_version, actor=actor, kind=VersionKind.UNDO)


def funnel_redo(*, funnel: Funnel, expected_version: int, actor: Actor) -> FunnelVersion:
    """Bring back the edit the actor's last undo took back, as the funnel's next version."""
    return _step(funnel=funnel, expected_version=expected_version, actor=actor, kind=VersionKind.REDO)


def _step(*, funnel: Funnel, expected_version: int, actor: Actor, kind: VersionKind) -> FunnelVersion:
    try:
        return _stepped(funnel=funnel, expected_version=expected_version, actor=actor, kind=kind)
    except FunnelEditError:
        funnel.version = expected_version  # nothing was written: the copy in hand is what it was
        raise


def _stepped(*, funnel: Funnel, expected_version: int, actor: Actor, kind: VersionKind) -> FunnelVersion:
    practice = funnel.practice
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        funnel.version = expected_version  # the choices are those of the version the coach saw
        choices = undo_choices(practice=practice, funnel=funnel, user=actor.user)
        funnel.version = expected_version + 1
        step = choices.undo if kind is VersionKind.UNDO else choices.redo
        if step is None:
            raise NothingToUndo(f"there is nothing of yours to {kind.value} in this funnel")
        target = _version(practice, funnel, step.target)
        plan = version_plan(practice=practice, version=target)
        rebuild(funnel=funnel, plan=plan, offers=catalog_for(practice=practice, plan=plan))
        verb = "undid" if kind is VersionKind.UNDO else "redid"
        return write_version(
            funnel=funnel,
            actor=actor,
            summary=f"{verb}: {step.summary}",
            kind=kind,
            state_of=step.target,
            undid=step.edit.number,
        )


def _version(practice: Practice, funnel: Funnel, number: int) -> FunnelVersion:
    found = versions_by_number(practice=practice, funnel=funnel, numbers=[number]).get(number)
    if found is None:
        raise NothingToUndo(f"version {number} is no longer kept")
    return found
