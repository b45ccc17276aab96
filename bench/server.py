"""The pages as a real server serves them: gunicorn with production settings, requests per second as ratios.

``uv run python bench/server.py`` builds a throw-away SQLite database (or uses ``DATABASE_URL`` where it is set:
it then writes benchmark rows into that database), starts gunicorn on a free port of 127.0.0.1 with
``DEBUG=false`` over plain HTTP, and loads each page with keep-alive connections: wrk where it is installed,
else a small Python client. Every figure is a ratio to ``/healthz`` (a hello-world view) and to the Django admin's
login page, measured in the same run, the median of ``BENCH_ROUNDS`` rounds: the machines are noisy and shared,
and both sides of a ratio share the noise. Beside each page: its HTML size, bytes per step and query count.

The take-rate edit is a POST that must carry the funnel's current version (a stale one gets 409), so it is
driven by one connection that reads the new version from each answer; it is compared with ``/healthz`` and the
admin login on one connection of the same client. Last, the peak resident memory (``VmHWM``) of each gunicorn
worker after the whole run. ``REDIS_URL`` set makes the server cache in Redis (``config.settings``), as in
production; else each worker has its own local-memory cache, warmed by the first requests of each page.
"""

from __future__ import annotations

import http.client
import itertools
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SIZES = (5, 20, 40, 100)
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    # production settings over plain HTTP, as on a private network behind nothing
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
}
if "DATABASE_URL" not in os.environ:
    SERVER_ENV["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
os.environ.update(SERVER_ENV)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

VERSION_INPUT = re.compile(r'id="funnel-version" name="version" value="(\d+)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def build() -> tuple[list[tuple[str, str, int]], str, str]:
    """The demo practice, chains of SIZES upsells, and copies up to 20 funnels: (name, path, steps) per page."""
    from accounts.selectors import practice_get
    from bench.chains import chain_funnel
    from funnels.selectors import funnel_list
    from funnels.services.demo import DEMO_PRACTICE_SLUG, load_demo
    from funnels.services.transfer import funnel_duplicate

    call_command("migrate", verbosity=0)
    load_demo()
    practice = practice_get(slug=DEMO_PRACTICE_SLUG)
    core = practice.offers.get(key="calm-course")
    pages: list[tuple[str, str, int]] = []
    for size in SIZES:
        funnel = chain_funnel(practice=practice, core=core, size=size)
        pages.append((f"editor, {size} steps", f"/funnels/{funnel.slug}/", size))
        pages.append((f"forecast, {size} steps", f"/funnels/{funnel.slug}/forecast/", size))
        pages.append((f"preview, {size} steps", f"/funnels/{funnel.slug}/preview/", size))
    classic = funnel_list(practice=practice).get(slug="calm-course-classic")
    while funnel_list(practice=practice).count() < 20:
        funnel_duplicate(practice=practice, funnel=classic)
    pages += [("funnel list, 20 funnels", "/funnels/", 0), ("catalog", "/offers/", 0)]
    client = Client()
    client.force_login(User.objects.get(username="demo"))
    session = client.cookies["sessionid"].value
    edit_slug = next(path for name, path, _ in pages if name == "editor, 20 steps").split("/")[2]
    return pages, session, edit_slug


def measured(path: str, session: str) -> tuple[int, int]:
    """The page's HTML size and its queries, in process (the same code path the server runs)."""
    client = Client()
    client.cookies["sessionid"] = session
    client.get(path)
    queries: list[str] = []

    def counted(execute: Any, sql: str, *rest: Any) -> Any:
        queries.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(counted):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(response.content), len(queries)


def measured_edit(slug: str, session: str) -> tuple[int, int]:
    """The take-rate edit's answer size and queries, in process: one htmx POST carrying the current version."""
    from funnels.models import Funnel

    client = Client(enforce_csrf_checks=False)
    client.cookies["sessionid"] = session
    step = slug_of_first_step(slug)
    path = f"/funnels/{slug}/steps/post_purchase/{step}/take-rate/"
    sizes = []
    for rate in ("11", "10"):
        version = Funnel.objects.get(slug=slug).version
        queries: list[str] = []
        with connection.execute_wrapper(_counting(queries)):
            response = client.post(path, {"version": version, "take_rate": rate}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, (path, response.status_code)
        sizes.append((len(response.content), len(queries)))
    return sizes[-1]


def first_views(pages: list[tuple[str, str, int]], session: str) -> dict[str, float]:
    """In process: each page's first GET of a state (its kept page not found, as after an edit; the figures the
    edit worked out are still cached), as requests per second over the admin login's in the same process. Each
    GET gets a page-cache key no GET had before (``accounts.page_cache.FORMAT`` moved on): clearing the cache
    would, on Redis, also clear the sessions."""
    from accounts import page_cache

    client, anonymous = Client(), Client()
    client.cookies["sessionid"] = session
    fresh = itertools.count(1_000_000)

    def per_second(get: Callable[[], object], unkept: bool) -> float:
        rates = []
        for _ in range(max(3, ROUNDS)):
            count, spent = 0, 0.0
            while spent < SECONDS / 4:
                if unkept:
                    page_cache.FORMAT = next(fresh)
                started = time.perf_counter()
                get()
                spent += time.perf_counter() - started
                count += 1
            rates.append(count / spent)
        return statistics.median(rates)

    kept_format = page_cache.FORMAT
    try:
        admin = per_second(lambda: anonymous.get("/admin/login/"), unkept=False)
        return {name: per_second(partial(client.get, path), unkept=True) / admin for name, path, _ in pages}
    finally:
        page_cache.FORMAT = kept_format


def _counting(queries: list[str]) -> Callable[..., Any]:
    def counted(execute: Any, sql: str, *rest: Any) -> Any:
        queries.append(sql)
        return execute(sql, *rest)

    return counted


def worker_peaks(master: int) -> list[int]:
    """The peak resident set (kB) of each child process of the gunicorn master, from ``/proc``."""
    peaks = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master) and "VmHWM" in fields:
            peaks.append(int(fields["VmHWM"].split()[0]))
    return sorted(peaks)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", WORKERS]
    log = open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "wb")  # noqa: SIM115  (open while the server runs)
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
        stderr=log,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start within 30 s")


def settle(port: int) -> None:
    """Wait until the workers are idle: wrk stops with requests still queued at gunicorn (slow pages queue many),
    and they would eat the next page's seconds. Idle: several hello-world requests in a row answer at once."""
    deadline = time.monotonic() + 120
    quick = 0
    while quick < 4 * int(WORKERS) and time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        getter("/healthz", "")(conn)
        conn.close()
        quick = quick + 1 if time.perf_counter() - started < 0.05 else 0


def wrk_rate(port: int, path: str, session: str) -> float:
    settle(port)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{max(1, round(SECONDS))}s", "--timeout", "30s"]
        + (["-H", f"Cookie: sessionid={session}"] if session else [])
        + [f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if found is None or non_2xx is not None:
        raise SystemExit(f"wrk could not load {path}:\n{out}")
    return float(found.group(1))


def python_rate(port: int, request: Callable[[http.client.HTTPConnection], None]) -> float:
    """Requests per second on one keep-alive connection, for ``SECONDS``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < SECONDS:
        request(conn)
        count += 1
    conn.close()
    return count / (time.perf_counter() - started)


def getter(path: str, session: str) -> Callable[[http.client.HTTPConnection], None]:
    def get(conn: http.client.HTTPConnection) -> None:
        conn.request("GET", path, headers={"Cookie": f"sessionid={session}"} if session else {})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, (path, response.status)

    return get


def warm_up(port: int, anonymous: list[str], signed_in: list[str], session: str) -> None:
    """Each worker loads Django on its first request (seconds on a busy machine), and each has its own cache
    unless Redis is set: some requests of every page on several connections first, not measured."""
    use_wrk = shutil.which("wrk") is not None
    for path in [*anonymous, *signed_in]:
        cookie = "" if path in anonymous else session
        for _ in range(2):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            getter(path, cookie)(conn)
            conn.close()
        if use_wrk:  # many connections at once, so that every worker serves the page at least once
            subprocess.run(
                ["wrk", "-t2", f"-c{CONNECTIONS}", "-d2s", "--timeout", "60s"]
                + (["-H", f"Cookie: sessionid={cookie}"] if cookie else [])
                + [f"http://127.0.0.1:{port}{path}"],
                capture_output=True,
                check=False,
            )


def take_rate_editor(port: int, slug: str, session: str) -> Callable[[http.client.HTTPConnection], None]:
    """An htmx take-rate edit of the chain's first step, each carrying the version the last answer gave."""
    page = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    page.request("GET", f"/funnels/{slug}/", headers={"Cookie": f"sessionid={session}"})
    answer = page.getresponse()
    html = answer.read().decode()
    csrf_cookie = next(v for k, v in answer.getheaders() if k.lower() == "set-cookie" and v.startswith("csrftoken"))
    cookies = f"sessionid={session}; {csrf_cookie.split(';')[0]}"
    token = CSRF_INPUT.search(html)
    version_found = VERSION_INPUT.search(html)
    assert token is not None and version_found is not None, "the editor shows no version or CSRF token"
    state = {"version": int(version_found.group(1)), "rate": 10}
    path = f"/funnels/{slug}/steps/post_purchase/{slug_of_first_step(slug)}/take-rate/"

    def edit(conn: http.client.HTTPConnection) -> None:
        state["rate"] = 11 if state["rate"] == 10 else 10
        body = f"version={state['version']}&take_rate={state['rate']}&csrfmiddlewaretoken={token.group(1)}"
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Cookie": cookies,
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
                "Referer": f"http://127.0.0.1:{port}/funnels/{slug}/",
            },
        )
        response = conn.getresponse()
        text = response.read().decode()
        assert response.status == 200, (path, response.status, text[:300])
        found = VERSION_INPUT.search(text)
        state["version"] = int(found.group(1)) if found else state["version"] + 1

    return edit


def slug_of_first_step(funnel_slug: str) -> str:
    from funnels.models import Funnel

    start = Funnel.objects.select_related("start_step").get(slug=funnel_slug).start_step
    assert start is not None
    return start.key


def main() -> None:
    pages, session, edit_slug = build()
    sizes = {path: measured(path, session) for _, path, _ in pages}
    firsts = first_views(pages, session)
    edit_size = measured_edit(edit_slug, session)
    port = free_port()
    server = start_server(port)
    use_wrk = shutil.which("wrk") is not None
    try:
        baselines = [("hello world (/healthz)", "/healthz"), ("admin login", "/admin/login/")]
        warm_up(port, [path for _, path in baselines], [path for _, path, _ in pages], session)
        rounds: dict[str, list[float]] = {}
        for _ in range(ROUNDS):
            for name, path in [*baselines, *((n, p) for n, p, _ in pages)]:
                cookie = "" if path in {"/healthz", "/admin/login/"} else session  # signed in, the login page redirects
                rate = wrk_rate(port, path, cookie) if use_wrk else python_rate(port, getter(path, cookie))
                rounds.setdefault(name, []).append(rate)
            one_hello = python_rate(port, getter("/healthz", ""))
            one_admin = python_rate(port, getter("/admin/login/", ""))
            one_edit = python_rate(port, take_rate_editor(port, edit_slug, session))
            rounds.setdefault("1 conn: hello", []).append(one_hello)
            rounds.setdefault("1 conn: admin", []).append(one_admin)
            rounds.setdefault("1 conn: edit", []).append(one_edit)
        peaks = worker_peaks(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    median = {name: statistics.median(values) for name, values in rounds.items()}
    hello, admin = median["hello world (/healthz)"], median["admin login"]
    client = "wrk" if use_wrk else "Python client"
    print(f"gunicorn, {WORKERS} workers, DEBUG=false, {connection.vendor}; {client}, {CONNECTIONS} connections,")
    print(f"{SECONDS:g} s a page, median of {ROUNDS} rounds; ratios of requests per second in this run")
    print(f"{'page':<26}{'× hello':>9}{'× admin':>9}{'KB':>9}{'B/step':>9}{'queries':>9}")
    print(f"{'admin login':<26}{admin / hello:>9.3f}{1:>9.3f}")
    for name, path, steps in pages:
        size, queries = sizes[path]
        per_step = f"{size // steps:,}" if steps else ""
        rate = median[name]
        print(f"{name:<26}{rate / hello:>9.3f}{rate / admin:>9.3f}{size / 1024:>9.1f}{per_step:>9}{queries:>9}")
    edit = median["1 conn: edit"]
    print(
        f"{'take-rate edit, 20 steps':<26}{edit / median['1 conn: hello']:>9.3f}{edit / median['1 conn: admin']:>9.3f}"
        f"{edit_size[0] / 1024:>9.1f}{edit_size[0] // 20:>9,}{edit_size[1]:>9}"
        "   (POST, htmx; one connection, against /healthz and the admin login on one connection)"
    )
    print("in process, each page's first GET of a state (its kept page gone, as after an edit), × admin login:")
    print("  " + ", ".join(f"{name} {ratio:.3f}" for name, ratio in firsts.items()))
    shown = ", ".join(f"{peak / 1024:.0f} MB" for peak in peaks) or "not readable"
    print(f"peak resident memory per worker after the run: {shown}")


if __name__ == "__main__":
    main()
