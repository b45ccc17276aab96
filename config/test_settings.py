"""Settings for the test run only: ``config.settings`` as deployed (``DEBUG`` off), over plain HTTP, with a test
key and a fast password hasher.

The test client and the browser tests' live server speak plain HTTP, so the HTTPS switches are turned off the
way any deployment behind plain HTTP would turn them off (the environment variables of the same names); the
rest is exactly as configured. Hashing a password with PBKDF2 takes a noticeable part of a second by design;
the tests sign users up and in many times, so they use MD5. Never point a deployment at this module.
"""

from __future__ import annotations

import os

for _name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(_name, "0")
os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 50)

from config.settings import *  # noqa: E402, F403  (everything else exactly as configured)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
