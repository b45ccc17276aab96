"""The demo practice, built on the primer: the $97 course, its $300 three-call upsell and the rest.

Its funnels ship as interchange files in ``funnels/demo/`` and are loaded through the same import service a
coach uses, so the demo is also a test of the import path; one funnel carries deliberate mistakes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from accounts.models import Practice, Role
from accounts.selectors import PracticeNotFound, practice_get
from accounts.services import membership_set, practice_create
from funnels.selectors import funnel_list
from funnels.services.transfer import funnel_import

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
DEMO_FILES = ("calm-classic.json", "calm-upgrade.json", "calm-first-draft.json")
DEMO_PRACTICE_SLUG = "calm-practice"
DEMO_PRACTICE_NAME = "Calm Practice (demo)"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "calm-demo-2026"


@dataclass(frozen=True)
class DemoLoad:
    practice: Practice
    funnels_created: tuple[str, ...]
    username: str
    password: str


@transaction.atomic
def load_demo(*, reset: bool = False) -> DemoLoad:
    """Create the demo practice, its funnels and the demo login; running it again changes nothing."""
    if reset:
        Practice.objects.filter(slug=DEMO_PRACTICE_SLUG).delete()
    try:
        practice = practice_get(slug=DEMO_PRACTICE_SLUG)
    except PracticeNotFound:
        practice = practice_create(name=DEMO_PRACTICE_NAME, slug=DEMO_PRACTICE_SLUG, currency="USD")
    user = _demo_user()
    membership_set(practice=practice, user=user, role=Role.OWNER)
    created: list[str] = []
    if not funnel_list(practice=practice).exists():
        for name in DEMO_FILES:
            result = funnel_import(practice=practice, raw=(DEMO_DIR / name).read_bytes())
            created.append(result.funnel.slug)
    return DemoLoad(practice=practice, funnels_created=tuple(created), username=DEMO_USERNAME, password=DEMO_PASSWORD)


def _demo_user() -> User:
    user = User.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        user = User.objects.create_user(username=DEMO_USERNAME, password=DEMO_PASSWORD, email="demo@example.com")
    user.is_staff = True  # the demo user may also look behind the scenes in /admin/
    user.is_superuser = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user
