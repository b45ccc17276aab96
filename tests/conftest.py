"""Shared test setup: the Hypothesis profile, and factories over fixture files, so each test says what it builds."""

from __future__ import annotations

import pytest

from tests.factories import PrimerCatalog, make_practice, make_primer_catalog
from tests.profiles import register_profiles

register_profiles()  # before any test module builds its @settings


@pytest.fixture
def practice(db):  # type: ignore[no-untyped-def]
    return make_practice()


@pytest.fixture
def primer_catalog(practice) -> PrimerCatalog:  # type: ignore[no-untyped-def]
    """The primer's catalog in ``practice``: the $97 course, the $300 three-call upsell, the $120 one-call
    downsell, the $19 breathing-cards bump and the $29 sleep-audio cross-sell, by handle ("course", "calls",
    "call", "cards", "audio"), named as in funnels/demo/*.json; ``primer_catalog.practice`` is ``practice``."""
    return make_primer_catalog(practice)


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    """Rate limits and the audit trail's lockout marks live in the cache, which outlives a test: each test
    starts with none (the live server of the browser tests shares this process's cache)."""
    from django.core.cache import caches

    for alias in ("default", "pages"):  # the pages kept whole (accounts.page_cache) too
        caches[alias].clear()
    yield


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """The copy corpus's scores (tests/offers/domain/copy/test_corpus.py) at the end of the run, also under xdist."""
    lines = [
        value
        for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
        if report.when == "call"
        for name, value in report.user_properties
        if name == "copy_corpus"
    ]
    if lines:
        terminalreporter.section("copy corpus: recall per code and false positives")
        for line in sorted(lines, key=lambda line: not line.startswith("train")):  # stable: each split in order
            terminalreporter.write_line(line)
