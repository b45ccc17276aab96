"""Changing a password, and resetting a forgotten one by email: Django's own views with the app's templates.

A reset request is limited per client address (``RATE_LIMITS["password-reset-ip"]``), so the form cannot be
used to flood someone's inbox, and it answers the same whether or not the address has an account. Setting a new
password through a reset link also lifts a sign-in lock on that account: whoever holds the mailbox is the owner.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from accounts.forms import GuardedPasswordChangeForm, GuardedPasswordResetForm, GuardedSetPasswordForm
from core.client_ip import client_ip
from core.rate_limit import rate_limit_refusal, wait_in_words

log = logging.getLogger("security")


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = GuardedPasswordChangeForm
    success_url = reverse_lazy("funnels:list")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password is changed. Your other sessions were signed out.")
        log.info("password changed", extra={"event": "password_changed", "ip": client_ip(self.request)})
        return response


class PasswordReset(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = GuardedPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-sent")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = rate_limit_refusal("password-reset-ip", client_ip(request))
        if wait is not None:
            form = self.get_form()
            form.is_valid()
            form.add_error(None, f"Too many reset requests from your address. Try again in {wait_in_words(wait)}.")
            response = render(request, self.template_name, self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        log.info("password reset requested", extra={"event": "password_reset_requested", "ip": client_ip(request)})
        return super().post(request, *args, **kwargs)


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = GuardedSetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        log.info("password reset", extra={"event": "password_reset", "ip": client_ip(self.request)})
        return response


class PasswordResetDone(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"
