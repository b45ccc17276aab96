"""What keeping every version costs: rows and bytes per edit on a 100-step funnel edited 1,000 times.

Run with ``uv run python bench/history_storage.py`` (its own throw-away SQLite database). Two coaches are timed:
one whose every edit changes another step's take rate (nothing folds: one version per edit, the worst case), and
one who types each take rate in bursts of five (``FUNNEL_VERSION_FOLD_SECONDS`` folds each burst into one version).
Bytes are the snapshots' own and the database file's growth (SQLite pages), so the row overhead is counted too.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "x" * 50)

import django  # noqa: E402

django.setup()

from decimal import Decimal  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.db.models.functions import Length  # noqa: E402

from accounts.audit import Actor  # noqa: E402
from accounts.services import practice_create  # noqa: E402
from bench.chains import chain_funnel  # noqa: E402
from funnels.interchange.snapshots import unpack_text  # noqa: E402
from funnels.models import Funnel, FunnelStep, FunnelVersion  # noqa: E402
from funnels.services.editing import funnel_step_set_take_rate  # noqa: E402
from offers.services import offer_create  # noqa: E402

STEPS, EDITS, BURST = 100, 1000, 5
BODY = (
    "Three private calls in which we go through what you practised, what got in the way and what to try next. "
    "Each call is 45 minutes, booked when it suits you within eight weeks; a money-back guarantee if the first one "
    "is not for you."
)


def database_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return int(pages * cursor.fetchone()[0])


def build(practice_slug: str) -> Funnel:
    practice = practice_create(name=practice_slug.title(), slug=practice_slug, currency="USD")
    core = offer_create(practice=practice, key="calm-course", name="Calm Your Nervous System", kind="core", price="97")
    return chain_funnel(
        practice=practice,
        core=core,
        size=STEPS,
        name="A hundred steps",
        describe=lambda n: {
            "key": f"offer-{n}",
            "name": f"Coaching package {n}",
            "topics": ["anxiety", "sleep"],
            "headline": f"Go deeper with package {n}",
            "body": BODY,
        },
    )


def run(name: str, practice_slug: str, field_of_edit: object) -> None:
    actor = Actor(user=get_user_model().objects.create_user(username=practice_slug))
    funnel = build(practice_slug)
    steps = list(FunnelStep.objects.filter(funnel=funnel).select_related("offer").order_by("position"))
    rows_before = FunnelVersion.objects.count()
    bytes_before = database_bytes()
    started = time.perf_counter()
    for n in range(EDITS):
        step = steps[field_of_edit(n)]  # type: ignore[operator]
        rate = Decimal("0.05") + Decimal(n % 20) / 100
        funnel_step_set_take_rate(
            funnel=funnel, expected_version=funnel.version, step=step, take_rate=rate, actor=actor
        )
    elapsed = time.perf_counter() - started
    rows = FunnelVersion.objects.count() - rows_before
    grown = database_bytes() - bytes_before
    mine = FunnelVersion.objects.filter(funnel=funnel)
    snapshots = mine.aggregate(total=Sum(Length("snapshot")))["total"] or 0
    newest = mine.order_by("-number").first()
    assert newest is not None
    text = len(unpack_text(newest.snapshot).encode())
    print(f"{name}:")
    print(f"  {EDITS} edits -> {rows} version rows ({rows / EDITS:.2f} per edit)")
    print(
        f"  one snapshot: {text:,} bytes of interchange JSON, {len(newest.snapshot):,} stored "
        f"({text / len(newest.snapshot):.1f}x smaller)"
    )
    print(f"  snapshots: {snapshots:,} bytes in all, {snapshots / EDITS:,.0f} per edit")
    print(f"  database file grew {grown:,} bytes, {grown / EDITS:,.0f} per edit (rows, index, pages)")
    print(f"  {1000 * elapsed / EDITS:.1f} ms per edit, record_version included")


def main() -> None:
    call_command("migrate", verbosity=0)
    run("every edit another step's take rate (nothing folds)", "spread", lambda n: n % STEPS)
    run(f"each take rate typed in bursts of {BURST} (folded)", "bursts", lambda n: (n // BURST) % STEPS)


if __name__ == "__main__":
    main()
