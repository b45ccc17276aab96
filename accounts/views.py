"""Sign up (a user and their practice), sign in and out, and switching between practices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import SESSION_KEY, switch_practice
from accounts.forms import NewPracticeForm, SignUpForm
from accounts.services import practice_create, sign_up


def sign_up_page(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("funnels:list")
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
    return render(request, "accounts/new_practice.html", {"form": form})


@require_POST
@login_required
def switch(request: HttpRequest) -> HttpResponse:
    practice = switch_practice(request, request.POST.get("practice", ""))
    if practice is None:
        messages.error(request, "You are not a member of that practice.")
    else:
        messages.info(request, f"You are now working in {practice.name}.")
    return redirect("funnels:list")
