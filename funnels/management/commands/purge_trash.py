"""``manage.py purge_trash`` — remove for good the funnels that have been in the trash longer than
``FUNNEL_TRASH_DAYS`` (run it daily, from cron or the scheduler of your choice). Each removal is on its practice's
audit trail, by "system"; ``--dry-run`` only says what would go."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from funnels.selectors import funnel_trash_expired
from funnels.services.trash import trash_expires_at, trash_purge_expired


class Command(BaseCommand):
    help = f"Remove for good the funnels deleted more than FUNNEL_TRASH_DAYS ({settings.FUNNEL_TRASH_DAYS}) days ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list what would be removed, remove nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["dry_run"]:
            expired = funnel_trash_expired(before=now - timedelta(days=int(settings.FUNNEL_TRASH_DAYS)))
            for funnel in expired:
                self.stdout.write(
                    f"{funnel.practice.slug}/{funnel.slug}: in the trash since {funnel.deleted_at:%Y-%m-%d}, "
                    f"due {trash_expires_at(funnel):%Y-%m-%d}"
                )
            self.stdout.write(f"{len(expired)} funnel{'s' if len(expired) != 1 else ''} would be removed.")
            return
        purged = trash_purge_expired(now=now)
        self.stdout.write(f"Removed {purged} funnel{'s' if purged != 1 else ''} from the trash for good.")
