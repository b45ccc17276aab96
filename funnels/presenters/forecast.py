"""What the forecast page shows (``/funnels/<slug>/forecast/``), built from loaded funnels: no queries, no HTTP.

The engine answers exactly (fractions and 40-digit decimals); this module only rounds to cents for people, puts
each figure beside its definition, says the sensitivities in words, and draws the distribution of order totals as
bars whose geometry is worked out here (the page's CSP allows no inline style, so the SVG carries attributes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from fractions import Fraction

from accounts.models import Practice
from core.money import format_money, format_percent, quantize_money
from funnels.domain.metrics import (
    DEFINITIONS,
    ILLUSTRATIVE_NOTE,
    Distribution,
    FunnelMetrics,
    Scenario,
    StepMetrics,
    UncomputableFunnel,
    compare,
    compute_metrics,
    exact_decimal,
    project,
    scenarios,
)
from funnels.domain.metrics.exact import EXACT, rounded
from funnels.domain.plan import FunnelPlan, Stage
from funnels.figures import analysis_key, cached
from funnels.models import Funnel
from funnels.presenters.distribution_chart import CHART_SIZES, Chart, distribution_chart
from funnels.presenters.forecast_comparison import ComparisonView, comparison_view, signed_money
from funnels.selectors import LoadedFunnel

BUYERS_DEFAULT = 100
BUYERS_MIN = 1
BUYERS_MAX = 10_000_000
BUYERS_ERROR = f"Enter a whole number of buyers from {BUYERS_MIN:,} to {BUYERS_MAX:,}, such as 1,000."
SCENARIO_RATES = {"conservative": "×0.5", "expected": "×1", "optimistic": "×1.5, at most 100%"}
NOT_ALWAYS_ORDERED = (
    "The three are not always in this order: where a no leads on to a dearer offer than a yes would, fewer "
    "yeses can mean a larger order."
)


# -- the inputs -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuyersInput:
    """The number of buyers as typed (``entered``), read (``value``; None when it cannot be) and why not."""

    entered: str
    value: int | None
    error: str = ""


def read_buyers(raw: str | None) -> BuyersInput:
    """A whole number in 1..10,000,000; "1,000", "1 000" and "1_000" all read as a thousand; blank is 100."""
    entered = (raw or "").strip()
    if not entered:
        return BuyersInput(entered=str(BUYERS_DEFAULT), value=BUYERS_DEFAULT)
    digits = entered.replace(",", "").replace(" ", "").replace("_", "")
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 9):
        return BuyersInput(entered=entered[:40], value=None, error=BUYERS_ERROR)
    value = int(digits)
    if not BUYERS_MIN <= value <= BUYERS_MAX:
        return BuyersInput(entered=entered, value=None, error=BUYERS_ERROR)
    return BuyersInput(entered=entered, value=value)


@dataclass(frozen=True)
class CompareChoice:
    value: str
    label: str


@dataclass(frozen=True)
class CompareRequest:
    """What to compare with: ``other`` loaded, or ``problem`` saying plainly why there is nothing to compare."""

    slug: str = ""
    other: LoadedFunnel | None = None
    problem: str = ""


NOT_IN_PRACTICE = (
    "The funnel asked for is not one of this practice's funnels (it may have been renamed or deleted), "
    "so there is nothing to compare with. Choose one from the list."
)
SAME_FUNNEL = "Choose another funnel to compare with: a funnel against itself differs in nothing."


# -- the figures --------------------------------------------------------------------------------------------------


def times(count: int, amount: Fraction) -> Decimal:
    """``count`` buyers times an exact amount, as a decimal for display."""
    return exact_decimal(amount * count)


@dataclass(frozen=True)
class ProjectionText:
    buyers: str
    revenue: str
    low: str
    high: str
    thank_you: str  # what thank-you page cross-sells add as separate orders, "" when none


@dataclass(frozen=True)
class ScenarioView:
    name: str
    label: str
    description: str
    rates: str
    aov: str
    revenue_per_buyer: str
    projected: str  # "" when the number of buyers cannot be read


@dataclass(frozen=True)
class SensitivityLine:
    rank: int
    sentence: str
    where: str
    take_rate: str
    reach: str
    expected_revenue: str
    per_point: str


# -- the page -----------------------------------------------------------------------------------------------------


def forecast_context(
    *,
    loaded: LoadedFunnel,
    buyers: BuyersInput,
    others: Sequence[Funnel],
    comparing: CompareRequest,
    practice: Practice | None = None,
) -> dict[str, object]:
    """Everything the page and its results partial show. The funnel's own figures (``forecast_figures``) are
    worked out once per version of the funnel when ``practice`` is given (cached, ``presenters.analysis``); only
    what depends on the number of buyers and the comparison is worked out on each request."""
    funnel, plan = loaded.funnel, loaded.plan
    context: dict[str, object] = {
        "nav": "funnels",
        "funnel": funnel,
        "buyers": buyers,
        "buyers_default": BUYERS_DEFAULT,
        "compare_choices": [CompareChoice(f.slug, f.name) for f in others],
        "compare_slug": comparing.slug,
        "definitions": DEFINITIONS,
        "illustrative_note": ILLUSTRATIVE_NOTE,
        "not_always_ordered": NOT_ALWAYS_ORDERED,
    }
    figures = (
        cached(analysis_key("forecast", practice, funnel), lambda: forecast_figures(plan))
        if practice is not None
        else forecast_figures(plan)
    )
    metrics = figures.metrics
    if metrics is None:
        return context | {"uncomputable": figures.problem}
    currency = metrics.currency
    context |= {
        "uncomputable": "",
        "figures": {
            "aov": format_money(metrics.aov, currency),
            "revenue_per_buyer": format_money(metrics.revenue_per_buyer, currency),
            "core_price": format_money(metrics.core_price, currency),
            "uplift": format_money(metrics.uplift, currency),
            "std": format_money(metrics.std, currency),
            "min_order": format_money(metrics.min_order, currency),
            "max_order": format_money(metrics.max_order, currency),
        },
        "projection": _projection(metrics, buyers.value),
        "scenarios": [_scenario(s, buyers.value, currency) for s in figures.scenarios],
        "sensitivities": list(figures.sensitivities),
        "charts": list(figures.charts),
        "percentiles": list(figures.percentiles),
        "distribution_note": figures.distribution_note,
    }
    context["comparison"], context["compare_problem"] = _comparison(plan, comparing)
    return context


@dataclass(frozen=True)
class ForecastFigures:
    """What the forecast shows that depends only on the funnel's version: the metrics (without the list of totals,
    which is kept only as its charts and percentiles), the scenarios and the sensitivities in words. ``metrics``
    is None, with ``problem`` saying why, when the flow cannot be computed."""

    metrics: FunnelMetrics | None
    problem: str
    scenarios: tuple[Scenario, ...] = ()
    sensitivities: tuple[SensitivityLine, ...] = ()
    charts: tuple[Chart, ...] = ()
    percentiles: tuple[tuple[str, str], ...] = ()
    distribution_note: str = ""


def forecast_figures(plan: FunnelPlan) -> ForecastFigures:
    """The metrics once (the scenarios share the flow's work: ``metrics.scenarios``), and all that follows."""
    try:
        metrics = compute_metrics(plan)
        found = scenarios(plan)
    except UncomputableFunnel as problem:
        return ForecastFigures(metrics=None, problem=problem.reason)
    distribution, currency = metrics.distribution, metrics.currency
    return ForecastFigures(
        metrics=replace(metrics, distribution=None),
        problem="",
        scenarios=found,
        sensitivities=tuple(_sensitivities(plan, metrics)),
        charts=tuple(distribution_chart(distribution, currency, size=size) for size in CHART_SIZES)
        if distribution is not None
        else (),
        percentiles=tuple(_percentiles(distribution, currency)),
        distribution_note=metrics.distribution_note or "",
    )


def _projection(metrics: FunnelMetrics, buyers: int | None) -> ProjectionText | None:
    if buyers is None:
        return None
    projected = project(metrics, buyers)
    currency = metrics.currency
    extra = metrics.revenue_per_buyer_exact - metrics.aov_exact
    return ProjectionText(
        buyers=f"{buyers:,}",
        revenue=format_money(projected.revenue, currency),
        low=format_money(projected.low, currency),
        high=format_money(projected.high, currency),
        thank_you=format_money(times(buyers, extra), currency) if extra else "",
    )


def _scenario(scenario: Scenario, buyers: int | None, currency: str) -> ScenarioView:
    projected = ""
    if buyers is not None:
        with localcontext() as exact:
            exact.prec = 60  # 40 digits times up to 8: exact
            projected = format_money(scenario.aov * buyers, currency)
    return ScenarioView(
        name=scenario.name,
        label=scenario.label,
        description=scenario.description,
        rates=SCENARIO_RATES.get(scenario.name, f"×{scenario.factor}"),
        aov=format_money(scenario.aov, currency),
        revenue_per_buyer=format_money(scenario.revenue_per_buyer, currency),
        projected=projected,
    )


# -- sensitivity in words ---------------------------------------------------------------------------------------


def sensitivity_sentence(plan: FunnelPlan, step: StepMetrics) -> str:
    """ "One more point of take rate on the $300.00 Three 1-on-1 coaching calls adds $2.82 to AOV."

    A point is a hundredth of the take rate, so it moves the figure by a hundredth of the sensitivity, rounded
    to cents. Thank-you page cross-sells are separate orders: they move revenue per buyer, not the AOV.
    """
    currency = plan.currency
    offer = plan.offer(step.offer)
    price = offer.price if offer is not None else step.price
    subject = f"One more point of take rate on the {format_money(price, currency)} {step.offer_name}"
    figure = "revenue per buyer" if step.stage is Stage.THANK_YOU else "AOV"
    exact = step.exact_sensitivity.scaleb(-2, EXACT)
    cents = quantize_money(rounded(exact))
    if exact == 0:
        if step.reach == 0:
            return f"{subject} changes nothing: no buyer is shown it."
        return f"{subject} changes nothing in {figure}: a yes and a no lead to the same amount."
    if cents == 0:
        direction = "adds" if exact > 0 else "takes"
        where = "to" if exact > 0 else "off"
        sentence = f"{subject} {direction} less than {format_money(Decimal('0.01'), currency)} {where} {figure}."
    elif exact > 0:
        sentence = f"{subject} adds {format_money(cents, currency)} to {figure}."
    else:
        sentence = (
            f"{subject} takes {format_money(-cents, currency)} off {figure}: a no leads on to more than a yes brings."
        )
    if step.take_rate >= 1:
        sentence = sentence[:-1] + " (its take rate is already 100%, so only a lower one is possible)."
    return sentence


def _sensitivities(plan: FunnelPlan, metrics: FunnelMetrics) -> list[SensitivityLine]:
    currency = metrics.currency
    ranked = sorted(metrics.steps, key=lambda s: s.exact_sensitivity, reverse=True)
    return [
        SensitivityLine(
            rank=rank,
            sentence=sensitivity_sentence(plan, step),
            where=step.stage.label,
            take_rate=format_percent(step.take_rate),
            reach=format_percent(step.reach),
            expected_revenue=format_money(step.expected_revenue, currency),
            per_point=signed_money(rounded(step.exact_sensitivity.scaleb(-2, EXACT)), currency),
        )
        for rank, step in enumerate(ranked, start=1)
    ]


# -- the distribution ---------------------------------------------------------------------------------------------


def _percentiles(distribution: Distribution | None, currency: str) -> list[tuple[str, str]]:
    if distribution is None:
        return []
    names = {50: "p50 (median)"}
    return [(names.get(n, f"p{n}"), format_money(v, currency)) for n, v in distribution.percentiles().items()]


def _comparison(plan: FunnelPlan, comparing: CompareRequest) -> tuple[ComparisonView | None, str]:
    """This funnel against the other, every difference this minus other; or a plain reason there is none."""
    if comparing.problem or comparing.other is None:
        return None, comparing.problem
    other = comparing.other
    name = other.funnel.name
    if other.plan.currency != plan.currency:
        return None, (
            f"“{name}” is priced in {other.plan.currency} and this funnel in {plan.currency}, so their "
            "figures cannot be compared."
        )
    try:
        result = compare(other.plan, plan)
    except UncomputableFunnel as problem:  # this funnel's figures were worked out: the other one's fail
        return None, f"“{name}” cannot be compared until its flow is fixed. {problem.reason}"
    return comparison_view(result, this=plan, other=other.plan, other_funnel=other.funnel), ""
