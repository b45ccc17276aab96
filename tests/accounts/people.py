"""People for the accounts tests: users with a real password, in a practice, and clients signed in as them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Membership, Practice, Role

PASSWORD = "a-long-calm-password-2026"


def person(practice: Practice | None, role: str = Role.OWNER, username: str = "maya", email: str = "") -> User:
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=email or f"{username}@example.com"
    )
    if practice is not None:
        Membership.objects.create(user=user, practice=practice, role=role)
    return user


def client_for(user: User, **options: object) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client
