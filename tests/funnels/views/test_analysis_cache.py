"""Work done once per version: a GET of an unchanged funnel works none of it out again, and any change that the
figures read (an edit, a catalog change, the practice's thresholds, an acknowledgement for the diagram) does."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from decimal import Decimal
from unittest import mock

import pytest

from accounts.models import Practice
from funnels import figures
from funnels.figures import funnel_figures
from funnels.models import Funnel
from funnels.presenters import analysis, forecast
from funnels.presenters.analysis import funnel_analysis
from funnels.selectors import funnel_load, funnel_steps
from funnels.services.editing import funnel_step_set_take_rate
from offers.models import Offer
from offers.services import copy_acknowledge, offer_update
from tests.factories import make_long_funnel, make_offer, make_practice, make_primer_catalog
from tests.factories import signed_in_client as member
from tests.funnels.views.editor_support import tokenless

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> tuple[Practice, dict[str, Offer], list[Funnel]]:
    practice = make_practice()
    catalog = make_primer_catalog(practice)
    offers = [make_offer(practice, kind="upsell", price="150", topics=["anxiety"]) for _ in range(5)]
    funnels = [make_long_funnel(practice, catalog["course"], offers, name=f"Funnel {n}") for n in range(3)]
    return practice, catalog, funnels


class Counted:
    """Counts the calls of the engine's entry points as the analysis and the forecast make them."""

    def __init__(self) -> None:
        self.calls = {"check_funnel": 0, "compute_metrics": 0, "scenarios": 0, "layout_flow": 0}

    def wrap(self, module: object, name: str) -> mock._patch[object]:
        original = getattr(module, name)

        def counted(*args: object, **kwargs: object) -> object:
            self.calls[name] += 1
            return original(*args, **kwargs)

        return mock.patch.object(module, name, counted)

    @property
    def total(self) -> int:
        return sum(self.calls.values())


@pytest.fixture
def engine() -> Iterator[Counted]:
    counted = Counted()
    patches = [
        counted.wrap(figures, "check_funnel"),
        counted.wrap(figures, "compute_metrics"),
        counted.wrap(analysis, "layout_flow"),
        counted.wrap(forecast, "compute_metrics"),
        counted.wrap(forecast, "scenarios"),
    ]
    for patch in patches:
        patch.start()
    yield counted
    for patch in patches:
        patch.stop()


def test_the_list_of_unchanged_funnels_works_none_of_them_out_again(setup, engine) -> None:
    practice, _catalog, funnels = setup
    client = member(practice)
    first = client.get("/funnels/")
    assert first.status_code == 200
    assert engine.calls["check_funnel"] == engine.calls["compute_metrics"] == len(funnels)
    engine.calls = dict.fromkeys(engine.calls, 0)
    again = client.get("/funnels/")  # the whole page is kept: nothing is worked out, it says the same
    assert engine.total == 0
    assert tokenless(again.content) == tokenless(first.content)
    with mock.patch("accounts.page_cache.FORMAT", -1):  # the kept pages are not found; the figures still are
        rendered = client.get("/funnels/")
    assert engine.total == 0
    rows = [(s.aov_text, s.error_count, s.warning_count) for s in rendered.context["summaries"]]
    assert rows == [(s.aov_text, s.error_count, s.warning_count) for s in first.context["summaries"]]


def test_an_edit_works_out_only_that_funnel_again_and_the_list_shows_it(setup, engine) -> None:
    practice, _catalog, funnels = setup
    client = member(practice)
    before = {s.funnel.pk: s.aov for s in client.get("/funnels/").context["summaries"]}
    edited = Funnel.objects.get(pk=funnels[1].pk)
    first_step = next(s for s in funnel_steps(practice=practice, funnel=edited) if s.pk == edited.start_step_id)
    engine.calls = dict.fromkeys(engine.calls, 0)
    # the edit keeps its version with its figures, worked out there once; the list then reads them
    funnel_step_set_take_rate(funnel=edited, expected_version=edited.version, step=first_step, take_rate="0.5")
    after = {s.funnel.pk: s.aov for s in client.get("/funnels/").context["summaries"]}
    assert engine.calls["check_funnel"] == engine.calls["compute_metrics"] == 1
    assert after[funnels[1].pk] != before[funnels[1].pk]
    assert {k: v for k, v in after.items() if k != funnels[1].pk} == {
        k: v for k, v in before.items() if k != funnels[1].pk
    }


def test_a_catalog_change_that_moves_no_version_still_shows(setup, engine) -> None:
    # a new description promising results: no funnel's version moves, yet every funnel using it gains a warning
    practice, catalog, _funnels = setup
    client = member(practice)
    warnings = [s.warning_count for s in client.get("/funnels/").context["summaries"]]
    versions = list(Funnel.objects.order_by("pk").values_list("version", flat=True))
    offer_update(offer=Offer.objects.get(pk=catalog["course"].pk), body="Guaranteed results in 30 days.")
    assert list(Funnel.objects.order_by("pk").values_list("version", flat=True)) == versions
    again = [s.warning_count for s in client.get("/funnels/").context["summaries"]]
    assert again == [n + 1 for n in warnings]


def test_the_practices_thresholds_are_part_of_the_key(setup) -> None:
    # three one-click offers on a path: too many only once the practice allows one
    practice, _catalog, funnels = setup
    loaded = funnel_load(practice=practice, funnel=funnels[0])
    assert "too-many-offers" not in {f.code for f in funnel_figures(practice=practice, loaded=loaded).findings}
    Practice.objects.filter(pk=practice.pk).update(max_one_click_offers=1)
    strict = Practice.objects.get(pk=practice.pk)
    reloaded = funnel_load(practice=strict, funnel=funnels[0])
    assert "too-many-offers" in {f.code for f in funnel_figures(practice=strict, loaded=reloaded).findings}


def test_the_forecast_works_its_figures_out_once_per_version(setup, engine) -> None:
    practice, _catalog, funnels = setup
    client = member(practice)
    url = f"/funnels/{funnels[0].slug}/forecast/"
    assert client.get(url, {"buyers": "1000"}).status_code == 200
    # the metrics once, and the scenarios once (sharing one pass over the flow, not three full runs)
    assert (engine.calls["compute_metrics"], engine.calls["scenarios"]) == (1, 1)
    engine.calls = dict.fromkeys(engine.calls, 0)
    page = client.get(url, {"buyers": "2000"})
    assert engine.total == 0
    assert page.context["projection"].buyers == "2,000"


def test_the_diagram_follows_the_acknowledgements_and_the_figures_do_not_move(setup, engine) -> None:
    practice, catalog, funnels = setup
    offer_update(offer=Offer.objects.get(pk=catalog["course"].pk), body="Doors close tonight at midnight.")
    practice.refresh_from_db()  # as the next request reads it: its catalog version moved
    loaded = funnel_load(practice=practice, funnel=funnels[0], with_acknowledgements=True)
    first = funnel_analysis(practice=practice, loaded=loaded)
    urgent = next(f for f in first.findings if f.code == "false-urgency")
    assert next(n for n in first.diagram.nodes if n.kind == "checkout").has_warning
    engine.calls = dict.fromkeys(engine.calls, 0)
    assert funnel_analysis(practice=practice, loaded=loaded) == first
    assert engine.total == 0
    copy_acknowledge(
        practice=practice,
        offer=Offer.objects.get(pk=catalog["course"].pk),
        code=urgent.code,
        fingerprint=urgent.fingerprint,
        reason="The cohort really does close tonight.",
    )
    reloaded = funnel_load(practice=practice, funnel=funnels[0], with_acknowledgements=True)
    engine.calls = dict.fromkeys(engine.calls, 0)
    second = funnel_analysis(practice=practice, loaded=reloaded)
    assert engine.calls == {"check_funnel": 0, "compute_metrics": 0, "scenarios": 0, "layout_flow": 1}
    assert not next(f for f in second.findings if f.code == "false-urgency").is_open


def test_what_is_cached_is_plain_picklable_data(setup) -> None:
    practice, _catalog, funnels = setup
    loaded = funnel_load(practice=practice, funnel=funnels[0], with_acknowledgements=True)
    found = funnel_analysis(practice=practice, loaded=loaded)
    assert pickle.loads(pickle.dumps(found)) == found
    figures = forecast.forecast_figures(loaded.plan)
    assert pickle.loads(pickle.dumps(figures)) == figures
    assert figures.metrics is not None and figures.metrics.aov > Decimal(0)


def test_the_editor_of_an_unchanged_funnel_works_nothing_out_again_and_an_edit_once(setup, engine) -> None:
    practice, _catalog, funnels = setup
    client = member(practice)
    path = f"/funnels/{funnels[0].slug}/"
    assert client.get(path).status_code == 200
    engine.calls = dict.fromkeys(engine.calls, 0)
    assert client.get(path).status_code == 200
    assert engine.total == 0
    # an edit: the figures of the new version are worked out once (the kept version's AOV and the reply share it)
    funnel = Funnel.objects.get(pk=funnels[0].pk)
    start = next(s for s in funnel_steps(practice=practice, funnel=funnel) if s.pk == funnel.start_step_id)
    response = client.post(
        f"{path}steps/post_purchase/{start.key}/take-rate/",
        {"version": str(funnel.version), "take_rate": "33"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert engine.calls["check_funnel"] == 1 and engine.calls["layout_flow"] == 1


def test_the_editors_workspace_is_rendered_once_per_version_and_served_the_same(setup) -> None:
    from funnels.presenters.editor_rows import RowBuilder

    practice, _catalog, funnels = setup
    client = member(practice)
    path = f"/funnels/{funnels[0].slug}/"

    def workspace(html: str) -> str:
        return html.split('<div class="editor-layout">')[1].split("</aside>")[0]

    with mock.patch.object(RowBuilder, "one_click", autospec=True, side_effect=RowBuilder.one_click) as built:
        first = client.get(path).content.decode()
        again = client.get(path).content.decode()
        assert built.call_count == 1  # the second GET built no card
    assert workspace(again) == workspace(first)
    # an edit moves the version: the next GET renders the cards anew, with the change in them
    funnel = Funnel.objects.get(pk=funnels[0].pk)
    start = next(s for s in funnel_steps(practice=practice, funnel=funnel) if s.pk == funnel.start_step_id)
    funnel_step_set_take_rate(funnel=funnel, expected_version=funnel.version, step=start, take_rate="0.33")
    assert 'value="33"' in workspace(client.get(path).content.decode())
