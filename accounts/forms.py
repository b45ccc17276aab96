"""What a person types on the accounts screens: signing up and in, a new practice, the members page, joining
through an invitation, passwords. Every form refuses control characters (``core.forms``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import User
from django.utils.text import slugify

from accounts.models import Role
from core.forms import ControlCharacterGuard
from core.money import CURRENCY_PATTERN


def _currency(value: object) -> str:
    code = str(value).strip().upper()
    if not CURRENCY_PATTERN.match(code):
        raise forms.ValidationError("Use a three-letter code such as USD, EUR or GBP.")
    return code


class SignUpForm(ControlCharacterGuard, auth_forms.UserCreationForm[User]):
    """A new user and the practice they will own, in one step."""

    practice_name = forms.CharField(
        max_length=200, label="Your practice's name", help_text="For example: Calm Coaching."
    )
    currency = forms.CharField(
        max_length=3, initial="USD", help_text="The three-letter code of the currency you sell in, such as USD or EUR."
    )

    class Meta(auth_forms.UserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = "Where a link to reset a forgotten password is sent."

    def clean_currency(self) -> str:
        return _currency(self.cleaned_data["currency"])

    def clean_practice_name(self) -> str:
        name = str(self.cleaned_data["practice_name"]).strip()
        if not slugify(name):
            raise forms.ValidationError("Use at least one letter or digit.")
        return name


class SignInForm(ControlCharacterGuard, auth_forms.AuthenticationForm):
    """Django's sign-in form, guarded."""


class NewPracticeForm(ControlCharacterGuard, forms.Form):
    name = forms.CharField(max_length=200, label="Practice name")
    currency = forms.CharField(max_length=3, initial="USD")

    def clean_currency(self) -> str:
        return _currency(self.cleaned_data["currency"])


# -- the members page ------------------------------------------------------------------------------------------


ROLE_HELP = {
    Role.OWNER: "does everything, including inviting and removing members",
    Role.COACH: "builds and edits funnels",
    Role.CATALOG_ADMIN: "keeps the catalog of offers",
    Role.VIEWER: "reads everything, changes nothing",
}


class InviteForm(ControlCharacterGuard, forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.COACH)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "invite-%s")
        super().__init__(*args, **kwargs)

    def clean_role(self) -> Role:
        return Role(self.cleaned_data["role"])


class MemberRoleForm(ControlCharacterGuard, forms.Form):
    role = forms.ChoiceField(choices=Role.choices, error_messages={"invalid_choice": "Choose one of the roles."})

    def clean_role(self) -> Role:
        return Role(self.cleaned_data["role"])


# -- joining through an invitation -----------------------------------------------------------------------------


class JoinForm(ControlCharacterGuard, auth_forms.UserCreationForm[User]):
    """A new account for the invited address (the email is the invitation's, not typed again)."""

    class Meta(auth_forms.UserCreationForm.Meta):
        fields = ("username",)

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "join-%s")
        super().__init__(*args, **kwargs)
        self.instance.email = email  # before validation: the password must not resemble it either


# -- passwords -------------------------------------------------------------------------------------------------


class PasswordConfirmForm(ControlCharacterGuard, forms.Form):
    """The password again, before something that cannot be undone."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you, type your password again.",
    )


class DeletePracticeForm(ControlCharacterGuard, forms.Form):
    name = forms.CharField(max_length=200, label="The practice's name", help_text="Type it exactly as shown above.")

    def __init__(self, *args: Any, practice_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.practice_name = practice_name

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if name != self.practice_name:
            raise forms.ValidationError("That is not the practice's name; nothing was deleted.")
        return name


class GuardedPasswordChangeForm(ControlCharacterGuard, auth_forms.PasswordChangeForm):
    """Django's, guarded."""


class GuardedPasswordResetForm(ControlCharacterGuard, auth_forms.PasswordResetForm):
    """Django's, guarded."""


class GuardedSetPasswordForm(ControlCharacterGuard, auth_forms.SetPasswordForm[User]):
    """Django's, guarded."""
