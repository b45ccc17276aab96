"""Who may do what in which practice. Every page resolves one ``Workspace`` and reads and writes only in it.

The current practice is remembered in the session; a user who belongs to none is sent to make one.
Roles: a viewer reads only; a catalog admin edits the catalog; a coach edits funnels; an owner does all,
and only an owner manages the members, reads the audit trail and may delete the practice.
Asking for something you may not change is 403; asking for another practice's object is 404 (its
selectors only ever look inside the current practice, so it simply is not found).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.audit import Actor
from accounts.models import Membership, Practice, Role
from accounts.selectors import membership_get, membership_list
from core.client_ip import client_ip
from core.http import HtmxRequest
from core.slugs import KEY_PATTERN

SESSION_KEY = "current_practice_id"
CATALOG_EDITORS = frozenset({Role.OWNER, Role.CATALOG_ADMIN})
FUNNEL_EDITORS = frozenset({Role.OWNER, Role.COACH})


@dataclass(frozen=True)
class Workspace:
    """The practice a request works in, and what the user's role there allows."""

    practice: Practice
    role: str
    memberships: tuple[Membership, ...]

    @property
    def can_edit_catalog(self) -> bool:
        return self.role in CATALOG_EDITORS

    @property
    def can_edit_funnels(self) -> bool:
        return self.role in FUNNEL_EDITORS

    @property
    def can_manage_members(self) -> bool:
        return self.role == Role.OWNER

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def workspace_for(request: HttpRequest) -> Workspace | None:
    """The user's current practice (from the session, else their first), in one query."""
    if not isinstance(request.user, User):  # signed out: no practice to work in
        return None
    memberships = membership_list(user=request.user)
    if not memberships:
        return None
    wanted = request.session.get(SESSION_KEY)
    current = next((m for m in memberships if m.practice_id == wanted), memberships[0])
    if wanted != current.practice_id:  # write only on a change: a session save costs queries on every page
        request.session[SESSION_KEY] = current.practice_id
    return Workspace(practice=current.practice, role=current.role, memberships=memberships)


class WorkspaceRequest(HtmxRequest):
    """A request that passed ``workspace_required``: signed in, with the practice it works in."""

    workspace: Workspace


def actor_of(request: HttpRequest) -> Actor:
    """Who makes the request's changes, for the audit trail: the signed-in user and the client's address."""
    user = request.user if isinstance(request.user, User) else None
    return Actor(user=user, ip=client_ip(request), label="someone")


def switch_practice(request: HttpRequest, slug: str) -> Practice | None:
    if not isinstance(request.user, User) or not KEY_PATTERN.match(slug):  # never a query with a stray NUL
        return None
    membership = membership_get(user=request.user, practice_slug=slug)
    if membership is None:
        return None
    request.session[SESSION_KEY] = membership.practice_id
    return membership.practice


View = Callable[..., HttpResponse]


def workspace_required(*, edits: str | None = None) -> Callable[[View], View]:
    """Sign-in required; ``request.workspace`` set; ``edits="catalog"|"funnels"|"members"`` also demands that
    right (``"members"``: owners only)."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            workspace = workspace_for(request)
            if workspace is None:
                return redirect("accounts:new-practice")
            if edits == "catalog" and not workspace.can_edit_catalog:
                raise PermissionDenied("Only owners and catalog admins can change the catalog.")
            if edits == "funnels" and not workspace.can_edit_funnels:
                raise PermissionDenied("Only owners and coaches can change funnels.")
            if edits == "members" and not workspace.can_manage_members:
                raise PermissionDenied("Only the practice's owners can manage its members and read its audit trail.")
            request.workspace = workspace  # type: ignore[attr-defined]  # the request becomes a WorkspaceRequest here
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
