"""The preview's state in the URL (funnels.views.preview_links): a state survives its own query, checkboxes may
repeat a name, and malformed links are refused in plain words."""

from __future__ import annotations

import pytest

from funnels.domain.buyer_walk import Answer, At, PreviewRefused, PreviewState
from funnels.views.preview_links import state_from_query, state_query

YES, NO = Answer.ACCEPT, Answer.DECLINE


# -- the state in the URL ------------------------------------------------------------------------------------------------


def test_a_state_survives_its_own_query():
    state = PreviewState(
        bumps=frozenset({"journal", "breath-cards"}),
        at=At.POST_PURCHASE,
        jump="up1",
        path=(("up1", NO), ("down1", YES)),
    )
    pairs = state_query(state)
    assert pairs == [
        ("bumps", "breath-cards,journal"),
        ("at", "post_purchase"),
        ("jump", "up1"),
        ("path", "up1:no,down1:yes"),
    ]
    assert state_from_query({name: [value] for name, value in pairs}) == state


def test_the_checkout_is_the_empty_query():
    assert state_query(PreviewState()) == []
    assert state_from_query({}) == PreviewState()


def test_checkboxes_may_repeat_a_name_instead_of_listing_with_commas():
    state = state_from_query({"bumps": ["journal", "breath-cards"], "alongside": ["sleep-audio"]})
    assert state.bumps == {"journal", "breath-cards"}
    assert state.alongside == {"sleep-audio"}


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"at": ["paid"]}, "not a place"),
        ({"at": ["post_purchase"], "path": ["up1:maybe"]}, 'should be "up1:yes" or "up1:no"'),
        ({"at": ["post_purchase"], "path": ["<script>:yes"]}, "is not a key"),
        ({"path": ["up1:yes"]}, "belong after payment"),
        ({"jump": ["up1"]}, "belongs after payment"),
        ({"at": ["post_purchase"], "path": [",".join(["up1:no"] * 101)]}, "too many|at most 100"),
    ],
)
def test_malformed_links_are_refused_in_plain_words(query, words):
    with pytest.raises(PreviewRefused, match=words):
        state_from_query(query)
