"""Safe to deploy: DEBUG is off unless set; with DEBUG off, a SECRET_KEY and ALLOWED_HOSTS, ``check --deploy`` finds
nothing; the app will not serve without a real key; each security setting has its environment switch; and the
demo still runs over plain HTTP on its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[1]
KEY = "p7Vq-2kLm9xR4tYw8zB1nC6dF3gH5jK0sA-eU7iO2pQ9rT4uW1yZ8bN3"
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": KEY, "ALLOWED_HOSTS": "offers.example.com"}


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A fresh process with only the given environment (the way a deployment starts)."""
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), **env}
    clean.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, env=clean, timeout=120)


def settings_in(**env: str) -> dict[str, object]:
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({n: getattr(s, n, None) for n in ('DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER', 'CSRF_TRUSTED_ORIGINS', "
        "'SECURE_REDIRECT_EXEMPT', 'TRUSTED_PROXIES', 'SESSION_COOKIE_AGE')}))"
    )
    done = run("-c", script, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_check_deploy_with_production_settings_reports_no_issues():
    done = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_debug_is_off_unless_set_and_then_everything_is_https():
    values = settings_in()
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True and values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_REDIRECT_EXEMPT"] == ["^healthz$"]
    assert values["SESSION_COOKIE_AGE"] == 7200


def test_each_security_setting_has_a_switch_of_its_own_name():
    values = settings_in(
        **PRODUCTION,
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="no",
        CSRF_COOKIE_SECURE="0",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        CSRF_TRUSTED_ORIGINS="https://offers.example.com,https://www.example.com",
        SECURE_REDIRECT_EXEMPT="^healthz$,^status/",
        TRUSTED_PROXIES="10.0.0.0/8",
        SESSION_IDLE_TIMEOUT="900",
    )
    assert (values["SECURE_SSL_REDIRECT"], values["SECURE_HSTS_SECONDS"]) == (False, 0)
    assert (values["SESSION_COOKIE_SECURE"], values["CSRF_COOKIE_SECURE"]) == (False, False)
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://offers.example.com", "https://www.example.com"]
    assert values["SECURE_REDIRECT_EXEMPT"] == ["^healthz$", "^status/"]
    assert values["TRUSTED_PROXIES"] == ["10.0.0.0/8"] and values["SESSION_COOKIE_AGE"] == 900


@pytest.mark.parametrize(
    ("key", "says"),
    [(None, "SECRET_KEY is not set and DEBUG is off"), ("too-short-a-key", "SECRET_KEY has 15 characters")],
)
def test_without_a_real_key_the_app_refuses_to_start_in_one_line(key, says):
    env = {"DEBUG": "false", **({"SECRET_KEY": key} if key else {})}
    done = run("-c", "import config.wsgi", **env)
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]  # one line, no traceback
    assert done.stderr.startswith("Offer Architect will not start: ") and says in done.stderr
    served = run("-c", "import config.wsgi; print('serving')", **PRODUCTION)
    assert served.returncode == 0 and served.stdout.strip() == "serving"


def test_a_malformed_switch_is_named_in_one_line():
    done = run("-c", "import django; django.setup()", **PRODUCTION, SECURE_HSTS_SECONDS="a year")
    assert done.returncode == 1
    assert "SECURE_HSTS_SECONDS must be a whole number of seconds" in done.stderr and "Traceback" not in done.stderr


def test_the_demo_sets_debug_and_its_key_for_itself(tmp_path):
    done = run("manage.py", "demo", "--no-serve", SQLITE_PATH=str(tmp_path / "demo.sqlite3"))
    assert done.returncode == 0, done.stderr
    assert "user: demo  password: calm-demo-2026" in done.stdout
    debug = run("-c", "import sys; sys.argv = ['manage.py', 'demo']; import manage; print('ok')")
    assert debug.returncode == 0


def test_no_setting_holds_the_database_url_or_its_password():
    assert not hasattr(settings, "DATABASE_URL") and not hasattr(settings, "REDIS_URL")


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$"])
def test_plain_http_is_sent_to_https_except_the_health_probe():
    client = Client()
    response = client.get("/accounts/sign-in/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/accounts/sign-in/"
    assert client.get("/healthz").status_code == 200


@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_HSTS_SECONDS=3600
)
@pytest.mark.django_db
def test_behind_a_proxy_that_says_https_the_page_is_served_with_hsts():
    response = Client().get("/accounts/sign-in/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=3600")
