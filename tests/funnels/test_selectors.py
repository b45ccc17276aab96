"""The selectors the page cache's keys are read with: the same values from plain rows as from the models."""

from __future__ import annotations

import pytest

from funnels.models import Funnel, FunnelStatus
from funnels.selectors import funnel_list, funnel_stamps, funnels_stamp
from funnels.services.editing import funnel_create, funnel_delete
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


def test_the_stamps_read_as_values_equal_the_stamps_of_the_rows(primer_catalog) -> None:
    practice = primer_catalog.practice
    for name in ("Beta", "Alpha", "Gamma"):
        funnel_create(practice=practice, name=name, core_offer=primer_catalog["course"])
    Funnel.objects.filter(practice=practice, name="Gamma").update(status=FunnelStatus.LIVE)
    trashed = Funnel.objects.get(practice=practice, name="Beta")
    funnel_delete(funnel=trashed, expected_version=trashed.version)
    elsewhere = make_practice()
    assert funnel_stamps(practice=elsewhere) == []
    for status in (None, FunnelStatus.LIVE, FunnelStatus.DRAFT):
        stamps = funnel_stamps(practice=practice, status=status)
        assert stamps == list(funnels_stamp(funnel_list(practice=practice, status=status)))
    assert [stamp[2] for stamp in funnel_stamps(practice=practice)] == ["Alpha", "Gamma"]  # by name, no trash
