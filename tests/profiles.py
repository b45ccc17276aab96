"""Hypothesis profiles: ``dev`` for the everyday loop, ``ci`` for the depth CI runs.

``HYPOTHESIS_PROFILE`` chooses one; without it, ``ci`` when CI=true and ``dev`` otherwise. Under ``ci`` every
property runs as many examples as it always has: Hypothesis's default of 100, or the number the test asks for
through ``examples(n)``. Under ``dev`` no property runs more than ``DEV_EXAMPLES``.
"""

from __future__ import annotations

import os

from hypothesis import settings

DEV_EXAMPLES = 20
CI_EXAMPLES = 100  # Hypothesis's own default: what a property without its own number has always run


def chosen_profile() -> str:
    named = os.environ.get("HYPOTHESIS_PROFILE", "").strip()
    if named:
        return named
    return "ci" if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"} else "dev"


PROFILE = chosen_profile()


def register_profiles() -> None:
    settings.register_profile("ci", max_examples=CI_EXAMPLES)
    settings.register_profile("dev", max_examples=DEV_EXAMPLES)
    settings.load_profile(PROFILE)


def examples(ci: int) -> int:
    """``max_examples`` for a property that asks for ``ci`` examples: all of them under the ``ci`` profile, at most
    the loaded profile's own number under any other (``dev``: 20), so that an explicit number stays CI's."""
    return ci if PROFILE == "ci" else min(ci, settings.default.max_examples)
