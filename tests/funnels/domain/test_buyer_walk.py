"""The buyer's walk through a funnel (funnels.domain.buyer_walk), without a database: the primer's path, upgrades,
bumps, refused answers and loops, and how a state moves on. (The state as a URL query: tests/funnels/views/test_preview_links.py.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from funnels.domain.buyer_walk import Answer, At, PreviewRefused, PreviewState, Screen, walk_preview
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step
from offers.domain.kinds import OfferKind

D = Decimal
YES, NO = Answer.ACCEPT, Answer.DECLINE


def offer(key: str, kind: OfferKind, price: str, replaces: str | None = None) -> OfferSpec:
    return OfferSpec(key, key.replace("-", " ").title(), kind, D(price), "USD", replaces=replaces)


COURSE = offer("calm-course", OfferKind.CORE, "97")
CALLS = offer("three-calls", OfferKind.UPSELL, "300")
CALL = offer("one-call", OfferKind.DOWNSELL, "120")
CARDS = offer("breath-cards", OfferKind.ORDER_BUMP, "19")
JOURNAL = offer("journal", OfferKind.ORDER_BUMP, "27")
AUDIO = offer("sleep-audio", OfferKind.CROSS_SELL, "29")
PLUS = offer("calm-plus", OfferKind.UPSELL, "147", replaces="calm-course")


def primer(**extra: object) -> FunnelPlan:
    """Course $97 (bumps: cards $19, journal $27) → three calls $300; on a no → one call $120; audio $29 after."""
    fields: dict[str, object] = {
        "bumps": (
            Placement("breath-cards", "breath-cards", Slot.BUMP, Stage.CHECKOUT),
            Placement("journal", "journal", Slot.BUMP, Stage.CHECKOUT),
        ),
        "start": "up1",
        "steps": (Step("up1", "three-calls", on_decline="down1"), Step("down1", "one-call")),
        "thank_you_cross_sells": (Placement("sleep-audio", "sleep-audio", Slot.CROSS_SELL, Stage.THANK_YOU),),
    }
    fields.update(extra)
    return FunnelPlan("Calm", "USD", (COURSE, CALLS, CALL, CARDS, JOURNAL, AUDIO, PLUS), "calm-course", **fields)  # type: ignore[arg-type]


def paid(*path: tuple[str, Answer], bumps: frozenset[str] = frozenset()) -> PreviewState:
    return PreviewState(bumps=bumps, at=At.POST_PURCHASE, path=tuple(path))


# -- the primer's path -------------------------------------------------------------------------------------------


def test_the_checkout_comes_first_with_the_core_alone_and_nothing_ticked():
    walk = walk_preview(primer(), PreviewState())
    assert walk.screen is Screen.CHECKOUT
    assert [line.key for line in walk.lines] == ["calm-course"]
    assert walk.total == D("97")
    assert [(c.key, c.ticked) for c in walk.choices] == [("breath-cards", False), ("journal", False)]


def test_after_payment_the_upsell_is_offered_with_what_the_total_would_become():
    walk = walk_preview(primer(), paid())
    assert walk.screen is Screen.OFFER
    assert walk.offered is not None
    assert (walk.offered.step.key, walk.offered.price, walk.offered.total_if_accepted) == ("up1", D("300"), D("397"))
    assert walk.total == D("97")


def test_accepting_the_upsell_reaches_the_thank_you_page_at_397():
    walk = walk_preview(primer(), paid(("up1", YES)))
    assert walk.screen is Screen.THANK_YOU
    assert [(line.key, line.amount) for line in walk.lines] == [("calm-course", D("97")), ("up1", D("300"))]
    assert walk.total == D("397")
    assert [(t.step.key, t.answer, t.added) for t in walk.trail] == [("up1", YES, D("300"))]


def test_declining_the_upsell_meets_the_downsell_that_would_make_217():
    walk = walk_preview(primer(), paid(("up1", NO)))
    assert walk.screen is Screen.OFFER
    assert walk.offered is not None
    assert walk.offered.step.key == "down1"
    assert walk.offered.total_if_accepted == D("217.00")
    assert walk.total == D("97")
    assert [(t.step.key, t.answer, t.added) for t in walk.trail] == [("up1", NO, D("0"))]


def test_declining_both_ends_with_the_core_alone_and_the_cross_sell_offered_apart():
    walk = walk_preview(primer(), paid(("up1", NO), ("down1", NO)))
    assert walk.screen is Screen.THANK_YOU
    assert walk.total == D("97")
    assert [(later.key, later.price) for later in walk.later] == [("sleep-audio", D("29"))]


def test_a_funnel_without_one_click_offers_goes_from_payment_to_the_thank_you_page():
    walk = walk_preview(primer(start=None, steps=()), paid())
    assert walk.screen is Screen.THANK_YOU
    assert walk.total == D("97")


# -- bumps and upgrades --------------------------------------------------------------------------------------------


def test_each_ticked_bump_adds_its_price_to_the_total_and_to_what_a_yes_would_make():
    walk = walk_preview(primer(), paid(bumps=frozenset({"breath-cards", "journal"})))
    assert walk.total == D("143")  # 97 + 19 + 27
    assert walk.offered is not None and walk.offered.total_if_accepted == D("443")
    at_checkout = walk_preview(primer(), PreviewState(bumps=frozenset({"journal"})))
    assert at_checkout.total == D("124")
    assert [(c.key, c.ticked) for c in at_checkout.choices] == [("breath-cards", False), ("journal", True)]


def test_an_upgrade_of_the_core_adds_only_the_difference_and_says_what_it_upgrades():
    plan = primer(steps=(Step("up1", "calm-plus"),))
    offered = walk_preview(plan, paid()).offered
    assert offered is not None
    assert (offered.price, offered.total_if_accepted) == (D("50"), D("147"))
    assert offered.upgrade_from == COURSE
    walk = walk_preview(plan, paid(("up1", YES)))
    upgrade = walk.lines[-1]
    assert (upgrade.amount, upgrade.upgrade_from) == (D("50"), COURSE)
    assert walk.total == D("147")


def test_a_plain_upsell_line_is_not_called_an_upgrade():
    walk = walk_preview(primer(), paid(("up1", YES)))
    assert walk.lines[-1].upgrade_from is None


# -- answers that do not follow the edges ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ((("down1", YES),), 'offered "up1", not "down1"'),
        ((("up1", YES), ("down1", YES)), "after the buyer has reached the thank-you page"),
        ((("up1", NO), ("up1", NO)), 'offered "down1", not "up1"'),
        ((("ghost", YES),), 'not "ghost"'),
    ],
)
def test_answers_off_the_edges_are_refused_in_plain_words(path, words):
    with pytest.raises(PreviewRefused, match=words.replace("(", r"\(")):
        walk_preview(primer(), paid(*path))


def test_more_answers_than_steps_are_refused_before_walking():
    with pytest.raises(PreviewRefused, match="has only 2 after payment"):
        walk_preview(primer(), paid(("up1", NO), ("down1", NO), ("down1", NO)))


def test_ticking_a_box_the_funnel_does_not_have_is_refused():
    with pytest.raises(PreviewRefused, match='no order bump "mastermind"'):
        walk_preview(primer(), PreviewState(bumps=frozenset({"mastermind"})))


def test_jumping_to_a_missing_step_is_refused():
    with pytest.raises(PreviewRefused, match='no step "ghost"'):
        walk_preview(primer(), PreviewState(at=At.POST_PURCHASE, jump="ghost"))


# -- loops and edges to nowhere stop the walk, saying why -------------------------------------------------------------


def test_a_loop_stops_the_walk_where_it_comes_back_and_says_so():
    plan = primer(
        steps=(
            Step("up1", "three-calls", on_decline="down1"),
            Step("down1", "one-call", on_decline="up1"),
            Step("aside", "sleep-audio"),
        )
    )
    walk = walk_preview(plan, paid(("up1", NO), ("down1", NO)))
    assert walk.screen is Screen.STOPPED
    assert walk.stopped is not None and "loops (up1 → down1 → up1)" in walk.stopped
    with pytest.raises(PreviewRefused, match="comes after the point where this funnel stops"):
        walk_preview(plan, paid(("up1", NO), ("down1", NO), ("up1", NO)))


def test_a_step_leading_to_itself_stops_at_once():
    plan = primer(steps=(Step("up1", "three-calls", on_decline="up1"),))
    walk = walk_preview(plan, paid(("up1", NO)))
    assert walk.screen is Screen.STOPPED
    assert walk.stopped is not None and "(up1 → up1)" in walk.stopped


def test_an_edge_to_a_missing_step_stops_the_walk():
    plan = primer(steps=(Step("up1", "three-calls", on_accept="nowhere"),))
    walk = walk_preview(plan, paid(("up1", YES)))
    assert walk.screen is Screen.STOPPED
    assert walk.total == D("397")
    assert walk.stopped is not None and '"nowhere", which is not a step' in walk.stopped


def test_a_start_at_a_missing_step_stops_before_any_offer():
    walk = walk_preview(primer(start="gone"), paid())
    assert walk.screen is Screen.STOPPED
    assert walk.stopped is not None and "starts at" in walk.stopped


def test_a_long_loop_is_walked_in_time_linear_in_its_answers():
    n = 100
    steps = tuple(Step(f"s{i}", "three-calls", on_decline=f"s{(i + 1) % n}") for i in range(n))
    plan = primer(start="s0", steps=steps)
    walk = walk_preview(plan, paid(*((f"s{i}", NO) for i in range(n))))
    assert walk.screen is Screen.STOPPED
    assert len(walk.trail) == n


# -- jumping ---------------------------------------------------------------------------------------------------------


def test_jumping_to_a_step_shows_it_as_if_reached_with_the_checkout_order_only():
    walk = walk_preview(primer(), PreviewState(bumps=frozenset({"journal"})).jumped_to("down1"))
    assert walk.screen is Screen.OFFER and walk.jumped
    assert walk.jumped_to is not None and walk.jumped_to.key == "down1"
    assert walk.offered is not None and walk.offered.total_if_accepted == D("244")  # 97 + 27 + 120
    after = walk_preview(primer(), walk.state.answered("down1", YES))
    assert after.screen is Screen.THANK_YOU and after.total == D("244")


def test_jumping_to_the_thank_you_page_shows_the_checkout_order():
    walk = walk_preview(primer(), PreviewState().jumped_to(None))
    assert walk.screen is Screen.THANK_YOU and walk.jumped
    assert walk.total == D("97")


# -- the state moves on ---------------------------------------------------------------------------------------------


def test_the_answer_links_move_the_state_forward_and_the_trail_links_back():
    state = PreviewState().paid().answered("up1", NO).answered("down1", YES)
    assert state.path == (("up1", NO), ("down1", YES))
    assert state.before_answer(1).path == (("up1", NO),)
    assert state.at_checkout() == PreviewState()
