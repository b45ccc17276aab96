"""``manage.py demo`` — one command from a fresh clone to a running app with the demo practice loaded.

The demo runs with ``DEBUG`` on (``manage.py`` sets it for this command before the settings load): plain HTTP at
127.0.0.1:8000 with the development key, where every other start has ``DEBUG`` off and insists on HTTPS.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from funnels.management.task_worker import start_task_worker
from funnels.services.demo import load_demo
from funnels.services.orders_uploads import demo_orders_load


class Command(BaseCommand):
    help = "Migrate, load the demo practice and its funnels, print the login, and serve on 127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load the demo and stop")
        parser.add_argument("--reset", action="store_true", help="delete the demo practice and load it afresh")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="where to serve (default 127.0.0.1:8000)")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        loaded = load_demo(reset=options["reset"])
        funnels = ", ".join(loaded.funnels_created) or "already loaded"
        url = f"http://{options['addrport']}/"
        self.stdout.write(
            f"Demo practice: {loaded.practice.name} ({loaded.practice.slug}); funnels: {funnels}\n"
            f"Sign in at {url} as  user: {loaded.username}  password: {loaded.password}\n"
            f"Try the engine: uv run python manage.py funnel aov funnels/demo/calm-classic.json"
        )
        demo_orders_load(practice=loaded.practice)
        if not options["no_serve"]:
            worker = start_task_worker()  # reads uploaded orders files in the background
            try:
                call_command("runserver", options["addrport"], use_reloader=False)
            finally:
                worker.terminate()
