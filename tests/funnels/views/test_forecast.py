"""The forecast over HTTP: a GET page whose inputs are query parameters, the results partial under htmx, the
classic demo funnel's exact figures, a comparison, plain answers to bad input and to a looping funnel, every role
reading, other practices' funnels not found, and a fixed number of queries whatever the funnel's size."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html import escape

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Practice, Role
from core.money import format_money
from funnels.domain.metrics import DEFINITIONS, ILLUSTRATIVE_NOTE, compute_metrics, scenarios
from funnels.models import Funnel, FunnelStep
from funnels.presenters.forecast import BUYERS_ERROR, NOT_IN_PRACTICE
from funnels.selectors import funnel_plan
from funnels.services.demo import DEMO_DIR
from funnels.services.editing import funnel_create
from funnels.services.transfer import funnel_import
from tests.factories import make_long_funnel, make_offer, make_practice
from tests.factories import signed_in_client as member

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
DEMO = DEMO_DIR / "calm-classic.json"
CLASSIC = "calm-course-classic"
NO_DOWNSELL = "calm-course-no-downsell"


# -- given ------------------------------------------------------------------------------------------------------


def classic_document() -> dict:
    return json.loads(DEMO.read_text())


def without_downsell(document: dict) -> dict:
    """The same funnel with its downsell gone: declining the upsell leads straight to the thank-you page."""
    document = json.loads(json.dumps(document))
    document["name"] = "Calm course: no downsell"
    document["offers"] = [o for o in document["offers"] if o["key"] != "one-call"]
    document["post_purchase"]["steps"] = [
        {**s, "on_decline": None} for s in document["post_purchase"]["steps"] if s["key"] != "down1"
    ]
    return document


@pytest.fixture
def classic(practice) -> Funnel:
    return funnel_import(practice=practice, raw=DEMO.read_bytes()).funnel


@pytest.fixture
def no_downsell(practice, classic) -> Funnel:
    return funnel_import(practice=practice, raw=json.dumps(without_downsell(classic_document()))).funnel


@pytest.fixture
def owner(practice) -> Client:
    return member(practice)


def url(slug: str, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("funnels:forecast", args=[slug]) + (f"?{query}" if query else "")


def page(client: Client, slug: str, **params: str) -> str:
    response = client.get(url(slug, **params))
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, flags=re.S)
    assert found, f"no #{element_id}"
    return found.group(1).strip()


def section(html: str, element_id: str) -> str:
    """The element with this id, up to the end of its article or section."""
    start = html.index(f'id="{element_id}"')
    ends = [i for i in (html.find("</article>", start), html.find("</section>", start)) if i != -1]
    return html[start : min(ends)]


def build_long(practice: Practice, steps: int) -> Funnel:
    """A bump, a thank-you cross-sell and a chain of one-click upsells along their decline edges."""
    core = make_offer(practice, key=f"core-{steps}", kind="core", price="100", topics=["calm"])
    bump = make_offer(practice, kind="order_bump", price="20", topics=["calm"])
    thanks = make_offer(practice, kind="cross_sell", price="30", topics=["calm"])
    offers = [make_offer(practice, kind="upsell", price=str(150 + i), topics=["calm"]) for i in range(steps - 2)]
    return make_long_funnel(practice, core, [bump, thanks, *offers], f"Long {steps}")


def make_loop(funnel: Funnel) -> None:
    """Point the downsell's decline back at the upsell (set up straight in the rows: the editor refuses it)."""
    up1 = FunnelStep.objects.get(funnel=funnel, key="up1")
    FunnelStep.objects.filter(funnel=funnel, key="down1").update(on_decline=up1)


# -- who may read ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.COACH, Role.CATALOG_ADMIN, Role.VIEWER])
def test_every_role_may_read_the_forecast(practice, classic, role):
    response = member(practice, role).get(url(CLASSIC))
    assert response.status_code == 200
    assert "<h1>Forecast</h1>" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(classic):
    response = Client().get(url(CLASSIC, buyers="1000"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('accounts:sign-in')}?next=")


def test_the_forecast_is_read_only(owner, classic):
    assert owner.post(url(CLASSIC)).status_code == 405


def test_another_practices_funnel_is_not_found_and_not_named(classic):
    other = make_practice()
    outsider = member(other)
    response = outsider.get(url(CLASSIC))
    assert response.status_code == 404
    assert "Calm course" not in response.content.decode()


def test_another_practices_funnel_cannot_be_compared_with_and_is_not_named(practice, owner, classic):
    other = make_practice()
    secret = funnel_import(practice=other, raw=json.dumps({**classic_document(), "name": "Secret plan"})).funnel
    html = page(owner, CLASSIC, compare=secret.slug)
    assert escape(NOT_IN_PRACTICE) in html
    assert "Secret plan" not in html
    assert other.name not in html
    assert 'id="figure-aov">$177.10<' in html  # the forecast itself still shows


def test_the_compare_choices_list_only_the_practices_other_funnels(practice, owner, classic, no_downsell):
    elsewhere = funnel_import(practice=make_practice(), raw=DEMO.read_bytes()).funnel
    html = page(owner, CLASSIC)
    choices = re.findall(r'<option value="([^"]*)"', section(html, "compare").split("</select>")[0])
    assert choices == ["", NO_DOWNSELL]
    assert elsewhere.slug == CLASSIC  # same slug elsewhere, never listed twice


# -- the classic demo funnel ---------------------------------------------------------------------------------------


def test_the_classic_funnel_projects_exactly_177_100_dollars_from_1000_buyers(owner, classic):
    html = page(owner, CLASSIC, buyers="1000")
    assert text_of(html, "figure-aov") == "$177.10"
    assert text_of(html, "projected-revenue") == "$177,100.00"
    assert text_of(html, "figure-revenue-per-buyer") == "$178.55"  # + 5% of the $29 thank-you cross-sell
    assert "For 1,000 buyers" in html
    assert "95% range: $" in text_of(html, "projected-range")
    assert 'value="1000"' in html


def test_a_thousand_buyers_may_be_typed_with_a_comma(owner, classic):
    assert text_of(page(owner, CLASSIC, buyers="1%2C000"), "projected-revenue") == "$177,100.00"


def test_the_default_is_100_buyers(owner, classic):
    html = page(owner, CLASSIC)
    assert text_of(html, "projected-revenue") == "$17,710.00"
    assert 'value="100"' in html


def test_the_upsell_says_one_more_point_adds_2_82_to_aov(owner, classic):
    html = page(owner, CLASSIC)
    upsell = "One more point of take rate on the $300.00 Three 1-on-1 coaching calls adds $2.82 to AOV."
    assert escape(upsell) in html
    sentences = re.findall(r'<p class="sensitivity-sentence">(.*?)</p>', html)
    point = "One more point of take rate on the"
    assert sentences == [
        escape(upsell),  # 3.00 less the 0.18 a no would have brought through the downsell
        escape(f"{point} $120.00 One coaching call adds $0.96 to AOV."),  # shown to the 80% who decline
        escape(f"{point} $29.00 Sleep wind-down audio series adds $0.29 to revenue per buyer."),  # a later order
        escape(f"{point} $19.00 Printable breathing cards adds $0.19 to AOV."),
    ]


def test_the_percentiles_of_the_order_totals_are_shown(practice, owner, classic):
    html = page(owner, CLASSIC)
    distribution = compute_metrics(funnel_plan(practice=practice, funnel=classic)).distribution
    percentiles = section(html, "percentiles")
    for n, value in distribution.percentiles().items():
        name = "p50 (median)" if n == 50 else f"p{n}"
        assert f'<dt>{name}</dt><dd class="num">{format_money(value, "USD")}</dd>' in percentiles


def test_the_chart_has_a_bar_per_total_and_a_table_of_them(owner, classic):
    html = page(owner, CLASSIC)
    # a chart drawn for wide screens and one for phones (the stylesheet shows one), each a bar per total:
    # 97 or 116 at the checkout, then nothing, 120 or 300 more after payment
    for size in ("wide", "narrow"):
        chart = html[html.index(f'<svg class="distribution-chart chart-{size}"') :]
        assert len(re.findall(r'<rect class="bar" ', chart[: chart.index("</svg>")])) == 6
    assert "style=" not in html and "<script>" not in html
    table = html[html.index('<details class="distribution-table">') :]
    table = table[: table.index("</details>")]
    assert '<tr><th scope="row">$97.00</th><td class="num">47.6%</td></tr>' in table  # 0.7 × 0.8 × 0.85
    assert '<tr><th scope="row">$416.00</th><td class="num">6%</td></tr>' in table  # 0.3 × 0.2


def test_the_scenarios_are_the_engines_side_by_side(practice, owner, classic):
    html = page(owner, CLASSIC, buyers="1000")
    for scenario in scenarios(funnel_plan(practice=practice, funnel=classic)):
        card = section(html, f"scenario-{scenario.name}")
        assert f'data-figure="aov">{format_money(scenario.aov, "USD")}<' in card
        assert f'data-figure="revenue-per-buyer">{format_money(scenario.revenue_per_buyer, "USD")}<' in card
        assert f'data-figure="projected">{format_money(scenario.aov * 1000, "USD")}<' in card
        assert escape(scenario.description) in card
    assert "take rates ×0.5" in html and "take rates ×1.5, at most 100%" in html
    assert "not always in this order" in html


def test_every_figure_has_its_definition_and_the_note_says_it_is_no_promise(owner, classic):
    html = page(owner, CLASSIC, compare="")
    for key in (
        "aov",
        "revenue_per_buyer",
        "std",
        "projection",
        "scenarios",
        "sensitivity",
        "distribution",
        "percentiles",
        "reach",
        "expected_revenue",
    ):
        assert escape(DEFINITIONS[key]) in html, key
    assert escape(ILLUSTRATIVE_NOTE) in html
    assert "not a promise of results" in html


# -- htmx ----------------------------------------------------------------------------------------------------------


def test_an_htmx_request_gets_only_the_results_and_the_fields_message(owner, classic):
    response = owner.get(url(CLASSIC, buyers="1000"), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="forecast-results" class="forecast-results">')
    assert "<html" not in html and 'id="forecast-form"' not in html
    assert '<div id="buyers-feedback" class="field-feedback" aria-live="polite" hx-swap-oob="true"></div>' in html
    assert text_of(html, "projected-revenue") == "$177,100.00"
    assert "HX-Request" in response["Vary"]


def test_the_form_works_with_and_without_javascript(owner, classic):
    html = page(owner, CLASSIC)
    form = html[html.index('<form id="forecast-form"') :]
    form = form[: form.index(">") + 1]
    assert 'method="get" action="/funnels/calm-course-classic/forecast/"' in form
    assert 'hx-get="/funnels/calm-course-classic/forecast/"' in form
    assert 'hx-trigger="input changed delay:300ms, submit"' in form
    assert 'hx-push-url="true"' in form and 'hx-target="#forecast-results"' in form
    assert '<button type="submit" class="forecast-submit">Update the forecast</button>' in html


def test_a_history_restore_gets_the_whole_page(owner, classic):
    html = owner.get(url(CLASSIC), **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true").content.decode()
    assert "<html" in html


# -- bad input -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("buyers", ["abc", "0", "-5", "10000001", "2.5", "1e3", "99999999999999999999"])
def test_a_bad_number_of_buyers_is_answered_beside_the_field(owner, classic, buyers):
    response = owner.get(url(CLASSIC, buyers=buyers))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<small class="field-error">{escape(BUYERS_ERROR)}</small>' in html
    assert 'aria-invalid="true"' in html
    assert 'id="projected-revenue"' not in html
    assert 'id="figure-aov">$177.10<' in html  # the figures per buyer still show
    assert 'data-figure="projected"' not in html


def test_under_htmx_the_message_comes_out_of_band(owner, classic):
    html = owner.get(url(CLASSIC, buyers="lots"), **HTMX).content.decode()
    assert f'hx-swap-oob="true"><small class="field-error">{escape(BUYERS_ERROR)}</small></div>' in html


# -- the comparison ------------------------------------------------------------------------------------------------


def test_the_downsell_is_worth_14_40_against_the_same_funnel_without_it(owner, classic, no_downsell):
    html = page(owner, CLASSIC, compare=NO_DOWNSELL)
    assert "Against “Calm course: no downsell”" in html
    assert escape("This funnel's AOV is $14.40 higher than that of “Calm course: no downsell”.") in html
    aov = section(html, "compare-aov")
    assert '<td class="num">$177.10</td><td class="num">$162.70</td><td class="num difference">+$14.40</td>' in aov
    rpb = section(html, "compare-revenue-per-buyer")
    assert '<td class="num difference">+$14.40</td>' in rpb
    down1 = re.search(r'<tr data-step="down1">(.*?)</tr>', html, flags=re.S).group(1)
    assert 'One coaching call <small class="muted">After payment · down1 · only here</small>' in down1
    assert '<td class="num">$14.40</td><td class="num">$0.00</td><td class="num difference">+$14.40</td>' in down1
    up1 = re.search(r'<tr data-step="up1">(.*?)</tr>', html, flags=re.S).group(1)
    assert '<td class="num">$60.00</td><td class="num">$60.00</td><td class="num difference">$0.00</td>' in up1
    assert re.findall(r'<tr data-step="([^"]+)">', html) == ["breath-cards", "up1", "down1", "sleep-audio"]
    assert f'<option value="{NO_DOWNSELL}" selected>' in html


def test_the_comparison_the_other_way_round_is_lower(owner, classic, no_downsell):
    html = page(owner, NO_DOWNSELL, compare=CLASSIC)
    assert escape("This funnel's AOV is $14.40 lower than that of “Calm course: classic”.") in html
    assert '<td class="num difference">-$14.40</td>' in section(html, "compare-aov")
    down1 = re.search(r'<tr data-step="down1">(.*?)</tr>', html, flags=re.S).group(1)
    assert 'One coaching call <small class="muted">After payment · down1 · only there</small>' in down1
    assert '<td class="num">$0.00</td><td class="num">$14.40</td><td class="num difference">-$14.40</td>' in down1


def test_an_uncomputable_funnel_to_compare_with_is_answered_plainly(practice, owner, classic, no_downsell):
    make_loop(classic)
    html = page(owner, NO_DOWNSELL, compare=CLASSIC)
    assert "“Calm course: classic” cannot be compared until its flow is fixed." in html
    assert "loops" in html
    assert 'id="figure-aov">$162.70<' in html


def test_a_funnel_in_another_currency_is_not_compared(owner, classic, no_downsell):
    # imports and the editor keep a practice's funnels in its currency; a changed row can still differ
    Funnel.objects.filter(pk=no_downsell.pk).update(currency="EUR")
    html = page(owner, CLASSIC, compare=NO_DOWNSELL)
    assert (
        "“Calm course: no downsell” is priced in EUR and this funnel in USD, so their figures cannot be compared."
        in html
    )
    assert 'id="compare-aov"' not in html


# -- a funnel that cannot be worked out --------------------------------------------------------------------------


def test_a_looping_funnel_says_why_and_links_to_the_editor(owner, classic):
    make_loop(classic)
    response = owner.get(url(CLASSIC, buyers="1000"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The figures cannot be worked out yet" in html
    assert "The post-purchase flow loops (" in html
    assert f'<a href="/funnels/{CLASSIC}/" role="button">Fix the flow in the editor</a>' in html
    assert 'id="forecast-form"' not in html and 'id="figure-aov"' not in html
    htmx = owner.get(url(CLASSIC), **HTMX).content.decode()
    assert "The post-purchase flow loops (" in htmx


def test_a_funnel_with_only_its_core_offer(practice, owner):
    core = make_offer(practice, key="solo", kind="core", price="50")
    funnel_create(practice=practice, name="Just the course", slug="solo", core_offer=core)
    html = page(owner, "solo", buyers="3")
    assert text_of(html, "projected-revenue") == "$150.00"
    assert "no offers besides the core offer" in html
    assert len(re.findall(r'<rect class="bar" ', html)) == 2  # one bar, drawn wide and narrow


# -- many totals ---------------------------------------------------------------------------------------------------


def test_too_many_totals_show_the_note_and_everything_else(practice, owner):
    core = make_offer(practice, key="big-core", kind="core", price="100")
    funnel = funnel_create(practice=practice, name="Many bumps", slug="many", core_offer=core)
    FunnelStep.objects.bulk_create(
        [
            FunnelStep(
                funnel=funnel,
                key=f"b{i}",
                stage="checkout",
                slot="bump",
                take_rate=Decimal("0.3"),
                position=i,
                offer=make_offer(practice, kind="order_bump", price=str(2**i)),
            )
            for i in range(14)  # 2^14 distinct totals, more than the 10,000 the engine lists
        ]
    )
    html = page(owner, "many", buyers="10")
    assert "possible order totals, too many to list" in html
    assert '<rect class="bar"' not in html and 'id="percentiles"' not in html
    assert 'id="projected-revenue"' in html and 'id="scenario-optimistic"' in html
    assert html.count('class="sensitivity"') == 14


# -- queries -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_the_queries_are_the_same_for_5_or_40_steps_with_or_without_a_comparison(
    practice, owner, django_assert_num_queries, htmx
):
    small, large = build_long(practice, 5), build_long(practice, 40)
    assert FunnelStep.objects.filter(funnel=large).count() == 40
    headers = HTMX if htmx else {}
    owner.get(url(small.slug))  # the first visit stores the current practice in the session
    # session, user, memberships; the practice's funnels; this funnel's steps and offers: 3 + 1 + 2
    for funnel in (small, large):
        with django_assert_num_queries(6):
            assert owner.get(url(funnel.slug, buyers="1000"), **headers).status_code == 200
    # comparing adds the other funnel's steps and offers, nothing else
    for funnel, other in ((small, large), (large, small)):
        with django_assert_num_queries(8):
            response = owner.get(url(funnel.slug, compare=other.slug), **headers)
        assert response.status_code == 200
        assert "difference" in response.content.decode()
