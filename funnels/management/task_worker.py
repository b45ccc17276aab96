"""The background worker the demo starts beside its server: the database backend's ``db_worker``, or RQ's
``rqworker`` where ``REDIS_URL`` is set (the same commands the README gives for a deployment)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings


def worker_command() -> list[str]:
    backend = settings.TASKS["default"]["BACKEND"]
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    if "RQBackend" in backend:
        return [*manage, "rqworker", "--job-class", "django_tasks_rq.Job", "default"]
    return [*manage, "db_worker", "--no-reload"]


def start_task_worker() -> subprocess.Popen[bytes]:
    """Start the worker as a child process with this process's environment (the demo's DEBUG included)."""
    return subprocess.Popen(worker_command(), env=os.environ.copy())
