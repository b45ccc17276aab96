"""Path inference: from a buyer's purchases to the steps they saw and said yes to, on every shape of funnel."""

from __future__ import annotations

from funnels.domain.actuals import Status
from funnels.domain.actuals.paths import (
    OFF_PATH_AGAIN,
    OFF_PATH_NOT_SHOWN,
    UNMATCHED_NO_VISIT,
    UNMATCHED_OTHER_OFFER,
)
from offers.domain.kinds import OfferKind
from tests.funnels.demo_plans import UPGRADE, demo_plan
from tests.funnels.domain.actuals.orders import bought, by_key, count
from tests.funnels.domain.plans import CORE, alongside, bump, cross, funnel, offer, step, thank_you

CLASSIC = demo_plan()  # cards bump; up1 three-calls, no -> down1 one-call; sleep-audio on the thank-you page


def test_a_visit_that_buys_nothing_more_sees_the_bump_the_decline_path_and_the_thank_you_page() -> None:
    counts = count(CLASSIC, [[bought("a", "calm-course")]])
    assert by_key(CLASSIC, counts) == {
        "breath-cards": (1, 0),
        "up1": (1, 0),
        "down1": (1, 0),
        "sleep-audio": (1, 0),
    }
    assert counts.visits == 1 and counts.rows == 1


def test_buying_the_upsell_takes_its_accept_edge_so_the_downsell_is_never_shown() -> None:
    counts = count(
        CLASSIC,
        [[bought("a", "calm-course"), bought("a", "breath-cards"), bought("a", "three-calls", 2)]],
    )
    assert by_key(CLASSIC, counts) == {"breath-cards": (1, 1), "up1": (1, 1), "down1": (0, 0), "sleep-audio": (1, 0)}
    assert counts.explained == 2 and counts.off_path == 0


def test_buying_the_downsell_means_the_upsell_was_declined() -> None:
    counts = count(CLASSIC, [[bought("b", "calm-course"), bought("b", "one-call", 3), bought("b", "sleep-audio", 9)]])
    assert by_key(CLASSIC, counts) == {"breath-cards": (1, 0), "up1": (1, 0), "down1": (1, 1), "sleep-audio": (1, 1)}


def test_a_downsell_bought_after_accepting_the_upsell_is_off_path_and_never_used() -> None:
    counts = count(CLASSIC, [[bought("c", "calm-course"), bought("c", "three-calls", 1), bought("c", "one-call", 2)]])
    assert by_key(CLASSIC, counts)["down1"] == (0, 0)
    assert counts.off_path == 1
    assert [(r.purchase.offer, r.reason) for r in counts.off_path_rows] == [("one-call", OFF_PATH_NOT_SHOWN)]


def test_a_second_purchase_of_the_same_offer_in_one_visit_is_off_path() -> None:
    counts = count(CLASSIC, [[bought("d", "calm-course"), bought("d", "breath-cards"), bought("d", "breath-cards", 4)]])
    assert by_key(CLASSIC, counts)["breath-cards"] == (1, 1)
    assert counts.off_path == 1 and counts.off_path_rows[0].reason == OFF_PATH_AGAIN


def test_a_long_chain_follows_each_answer() -> None:
    plan = funnel(
        offer("a1"),
        offer("a2"),
        offer("a3"),
        offer("a4"),
        start="s1",
        steps=(
            step("s1", "a1", "s2", "s3"),
            step("s2", "a2", "s4", None),
            step("s3", "a3", None, "s4"),
            step("s4", "a4"),
        ),
    )
    yes_no = [bought("e", CORE), bought("e", "a1", 1), bought("e", "a4", 3)]  # s1 yes -> s2 no -> end
    no_no = [bought("f", CORE, 100)]  # s1 no -> s3 no -> s4 no
    counts = count(plan, [yes_no, no_no])
    assert by_key(plan, counts) == {"s1": (2, 1), "s2": (1, 0), "s3": (1, 0), "s4": (1, 0)}
    assert counts.off_path == 1  # a4 after declining s2: s2's no leads to the thank-you page


def test_paths_that_meet_again_count_the_shared_step_once_per_visit() -> None:
    plan = demo_plan(UPGRADE)  # upgrade (yes or no) -> calls
    counts = count(
        plan,
        [
            [bought("g", "calm-course"), bought("g", "calm-plus", 1), bought("g", "three-calls", 2)],
            [bought("h", "calm-course"), bought("h", "three-calls", 2)],
            [bought("i", "calm-course")],
        ],
    )
    assert by_key(plan, counts) == {"upgrade": (3, 1), "calls": (3, 2)}


def test_an_upgrade_adds_only_the_difference_to_the_order_value() -> None:
    plan = demo_plan(UPGRADE)  # $97 course, $147 upgrade: a yes adds $50
    counts = count(plan, [[bought("g", "calm-course"), bought("g", "calm-plus", 1)]])
    assert counts.order_cents == 9700 + 5000


def test_bumps_and_checkout_cross_sells_are_shown_to_every_visit_and_thank_you_offers_kept_apart() -> None:
    plan = funnel(
        offer("cards", OfferKind.ORDER_BUMP, "19"),
        cross("book", "40"),
        cross("audio", "29"),
        bumps=(bump("cards"),),
        checkout_cross_sells=(alongside("book"),),
        thank_you_cross_sells=(thank_you("audio"),),
    )
    counts = count(
        plan,
        [
            [bought("j", CORE), bought("j", "cards"), bought("j", "audio", 5)],
            [bought("k", CORE, 30), bought("k", "book", 30)],
        ],
    )
    assert by_key(plan, counts) == {"cards": (2, 1), "book": (2, 1), "audio": (2, 1)}
    assert counts.order_cents == (9700 + 1900) + (9700 + 4000)
    assert counts.later_cents == 2900


def test_the_window_includes_its_last_minute_and_not_a_millisecond_more() -> None:
    at_edge = [bought("l", "calm-course"), bought("l", "three-calls", 60)]
    past_edge = [bought("m", "calm-course"), bought("m", "three-calls", 60 + 1 / 60_000)]
    counts = count(CLASSIC, [at_edge, past_edge])
    assert by_key(CLASSIC, counts)["up1"] == (2, 1)
    assert counts.unmatched == 1 and counts.unmatched_rows[0].reason == UNMATCHED_NO_VISIT


def test_a_shorter_window_leaves_a_late_purchase_unmatched() -> None:
    buyer = [bought("n", "calm-course"), bought("n", "three-calls", 20)]
    assert count(CLASSIC, [buyer], window=30).unmatched == 0
    assert count(CLASSIC, [buyer], window=10).unmatched == 1


def test_items_listed_before_their_core_offer_at_the_same_time_still_belong_to_its_visit() -> None:
    counts = count(CLASSIC, [[bought("o", "breath-cards", 0), bought("o", "calm-course", 0)]])
    assert by_key(CLASSIC, counts)["breath-cards"] == (1, 1) and counts.unmatched == 0


def test_a_purchase_before_any_core_purchase_is_unmatched() -> None:
    counts = count(CLASSIC, [[bought("p", "three-calls", 0), bought("p", "calm-course", 5)]])
    assert counts.unmatched == 1 and counts.visits == 1


def test_a_second_core_purchase_starts_a_visit_and_takes_what_follows_it() -> None:
    buyer = [
        bought("q", "calm-course", 0),
        bought("q", "calm-course", 30),
        bought("q", "three-calls", 40),  # inside both windows: the later visit's
    ]
    counts = count(CLASSIC, [buyer])
    assert counts.visits == 2
    assert by_key(CLASSIC, counts)["up1"] == (2, 1)


def test_refunded_and_failed_rows_are_no_yes_and_are_counted_apart() -> None:
    buyer = [
        bought("r", "calm-course"),
        bought("r", "three-calls", 1, Status.REFUNDED),
        bought("r", "one-call", 2, Status.FAILED),
    ]
    refunded_core = [bought("s", "calm-course", 0, Status.REFUNDED), bought("s", "breath-cards", 0)]
    counts = count(CLASSIC, [buyer, refunded_core])
    assert by_key(CLASSIC, counts)["up1"] == (1, 0)
    assert by_key(CLASSIC, counts)["down1"] == (1, 0)
    assert (counts.refunded, counts.failed) == (2, 1)
    assert counts.visits == 1 and counts.unmatched == 1  # no paid core: the cards belong to no visit


def test_an_offer_of_the_catalog_outside_the_funnel_is_unmatched() -> None:
    counts = count(CLASSIC, [[bought("t", "calm-course"), bought("t", "calm-plus", 1)]])
    assert counts.unmatched == 1 and counts.unmatched_rows[0].reason == UNMATCHED_OTHER_OFFER


def test_every_row_lands_in_exactly_one_count() -> None:
    buyers = [
        [bought("u", "calm-course"), bought("u", "three-calls"), bought("u", "one-call"), bought("u", "calm-plus")],
        [bought("v", "sleep-audio"), bought("v", "calm-course", 90, Status.FAILED)],
    ]
    counts = count(CLASSIC, buyers)
    assert counts.rows == 6
    assert (counts.visits, counts.explained, counts.off_path, counts.unmatched, counts.failed) == (1, 1, 1, 2, 1)


def test_the_order_in_which_a_buyers_rows_come_does_not_matter() -> None:
    rows = [bought("w", "calm-course"), bought("w", "breath-cards"), bought("w", "one-call", 2)]
    assert by_key(CLASSIC, count(CLASSIC, [rows])) == by_key(CLASSIC, count(CLASSIC, [list(reversed(rows))]))
