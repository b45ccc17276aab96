"""Requests per second of the main pages, as a ratio to a hello-world view (``/healthz``) in the same process.

Ratios, not absolute times: the machines are noisy, but both sides of a ratio share the noise. Run with
``uv run python bench/pages.py`` (it builds its own throw-away SQLite database). The figure to watch is how
the editor's ratio holds up from a 5-step to a 40-step funnel: the page's queries are fixed, so only the
pure engine's work grows.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# production settings over plain HTTP (the test client speaks HTTP), with a throw-away key
for _name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(_name, "0")
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "x" * 50)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))


def build() -> tuple[Client, list[tuple[str, str]]]:
    from django.contrib.auth import get_user_model

    from bench.chains import chain_funnel
    from funnels.services.demo import load_demo

    call_command("migrate", verbosity=0)
    practice = load_demo().practice
    core = practice.offers.get(key="calm-course")
    pages = [("hello world (/healthz)", "/healthz")]
    for size in (5, 40):
        funnel = chain_funnel(practice=practice, core=core, size=size)
        pages.append((f"editor, {size} steps", f"/funnels/{funnel.slug}/"))
    pages += [("funnel list (5 funnels)", "/funnels/"), ("catalog", "/offers/")]
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo"))
    return client, pages


def rate(client: Client, url: str) -> tuple[float, int]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries: list[str] = []

    def counted(execute: Any, sql: str, *rest: Any) -> Any:
        queries.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(counted):
        client.get(url)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < SECONDS:
        client.get(url)
        count += 1
    return count / (time.perf_counter() - started), len(queries)


def profile(client: Client, url: str) -> None:
    """``BENCH_PROFILE=/funnels/slug/``: where one page's time goes (cProfile, top 25 by cumulative time)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(lambda: [client.get(url) for _ in range(20)])
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(os.environ.get("BENCH_FILTER", ""), 25)


def main() -> None:
    client, pages = build()
    if os.environ.get("BENCH_PROFILE"):
        profile(client, os.environ["BENCH_PROFILE"])
        return
    results = [(name, *rate(client, url)) for name, url in pages]
    baseline = results[0][1]
    print(f"{'page':<28}{'share of hello-world req/s':>28}{'queries':>10}")
    for name, per_second, queries in results:
        print(f"{name:<28}{per_second / baseline:>28.3f}{queries:>10}")


if __name__ == "__main__":
    main()
