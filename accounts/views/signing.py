"""Sign up (a user and their practice), sign in and out, the lockout page, a new practice, switching practices.

Signing up is limited per client address (``RATE_LIMITS["sign-up-ip"]``). Signing in is guarded by django-axes
(per account and per address; see ``config.settings``); a failed attempt is put on the trail of every practice
the account belongs to, and a locked client is told how long the lock has left.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import SESSION_KEY, switch_practice
from accounts.audit import audit_sign_in_failure
from accounts.forms import NewPracticeForm, SignInForm, SignUpForm
from accounts.selectors import lockout_ends, membership_list
from accounts.services import practice_create, sign_up
from core.client_ip import client_ip
from core.rate_limit import rate_limit_refusal, wait_in_words


def sign_up_page(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("funnels:list")
    if request.method == "POST":
        wait = rate_limit_refusal("sign-up-ip", client_ip(request))
        if wait is not None:
            form = SignUpForm(request.POST)
            form.add_error(None, f"Too many sign-ups from your address. Please try again in {wait_in_words(wait)}.")
            response = render(request, "accounts/sign_up.html", {"form": form}, status=429)
            response["Retry-After"] = str(wait)
            return response
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, practice = sign_up(
            save_user=form.save,
            practice_name=form.cleaned_data["practice_name"],
            currency=form.cleaned_data["currency"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[SESSION_KEY] = practice.pk
        messages.success(request, f"Welcome! {practice.name} is ready: start by adding your core offer to the catalog.")
        return redirect("offers:list")
    return render(request, "accounts/sign_up.html", {"form": form})


class SignInView(auth_views.LoginView):
    """Django's sign-in, whose failures go on the trail of the account's practices."""

    template_name = "accounts/sign_in.html"
    form_class = SignInForm

    def form_invalid(self, form: Any) -> HttpResponse:
        username = form.cleaned_data.get("username") if hasattr(form, "cleaned_data") else None
        if isinstance(username, str) and username:
            locked = bool(getattr(self.request, "axes_locked_out", False))
            audit_sign_in_failure(username=username, ip=client_ip(self.request), locked=locked)
        return super().form_invalid(form)


def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None) -> HttpResponse:
    """django-axes' lockout answer (``AXES_LOCKOUT_CALLABLE``): 429, the time the lock has left, what to do."""
    username = (credentials or {}).get("username") if isinstance(credentials, dict) else None
    ends = lockout_ends(
        username=username if isinstance(username, str) else None,
        ip_address=getattr(request, "axes_ip_address", None) or client_ip(request),
        cool_off=settings.AXES_COOLOFF_TIME,
        failure_limit=settings.AXES_FAILURE_LIMIT,
    )
    seconds = max(60, math.ceil((ends - timezone.now()).total_seconds())) if ends else None
    context = {"wait": wait_in_words(seconds) if seconds else "a while", "ends": ends}
    page = render(request, "accounts/locked_out.html", context, status=429)
    if seconds:
        page["Retry-After"] = str(seconds)
    return page


@login_required
def new_practice(request: HttpRequest) -> HttpResponse:
    form = NewPracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and isinstance(request.user, User):
        practice = practice_create(
            name=form.cleaned_data["name"].strip(), currency=form.cleaned_data["currency"], owner=request.user
        )
        request.session[SESSION_KEY] = practice.pk
        messages.success(request, f"{practice.name} is ready.")
        return redirect("offers:list")
    has_practices = isinstance(request.user, User) and bool(membership_list(user=request.user))
    return render(request, "accounts/new_practice.html", {"form": form, "has_practices": has_practices})


@require_POST
@login_required
def switch(request: HttpRequest) -> HttpResponse:
    practice = switch_practice(request, request.POST.get("practice", ""))
    if practice is None:
        messages.error(request, "You are not a member of that practice.")
    else:
        messages.info(request, f"You are now working in {practice.name}.")
    return redirect("funnels:list")
