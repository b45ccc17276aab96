"""The preview's memory is its URL: a ``PreviewState`` read from the query string and written back to it.

Every screen is a plain link a coach can bookmark or share, and the server keeps nothing between requests::

    ?bumps=breath-cards&at=post_purchase&path=up1:no,down1:yes

Only the form of the link is checked here; whether its keys and answers fit the funnel is the buyer's walk's
to say (``funnels.domain.buyer_walk``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from django.urls import reverse

from core.slugs import KEY_PATTERN
from funnels.domain.buyer_walk import MAX_ANSWERS, Answer, At, PreviewRefused, PreviewState

WIDTHS = ("desktop", "phone")
"""The preview's frames; the first is the default and is left out of links."""


def state_from_query(query: Mapping[str, Sequence[str]]) -> PreviewState:
    """Read a state from URL query values (each name may repeat, as checkboxes send it, or hold a comma list).

    Only the form is checked here; whether the keys and answers fit the funnel is ``walk_preview``'s to say.
    """
    at_text = _last(query, "at") or At.CHECKOUT.value
    try:
        at = At(at_text)
    except ValueError:
        raise PreviewRefused(
            f'"{at_text}" is not a place in a funnel; use checkout, post_purchase or thank_you.'
        ) from None
    jump = _last(query, "jump") or None
    if jump is not None:
        _check_key(jump, "jump")
        if at is not At.POST_PURCHASE:
            raise PreviewRefused("A jump to a step belongs after payment (at=post_purchase).")
    path: list[tuple[str, Answer]] = []
    for item in _items(query, "path"):
        key, _, answer = item.partition(":")
        _check_key(key, "path")
        try:
            path.append((key, Answer(answer)))
        except ValueError:
            raise PreviewRefused(f'The answer "{item}" should be "{key}:yes" or "{key}:no".') from None
        if len(path) > MAX_ANSWERS:
            raise PreviewRefused(f"A preview link can carry at most {MAX_ANSWERS} answers.")
    if path and at is not At.POST_PURCHASE:
        raise PreviewRefused("Answers to one-click offers belong after payment (at=post_purchase).")
    bumps, alongside = frozenset(_items(query, "bumps")), frozenset(_items(query, "alongside"))
    for key in bumps | alongside:
        _check_key(key, "checkout choice")
    return PreviewState(bumps=bumps, alongside=alongside, at=at, jump=jump, path=tuple(path))


def _last(query: Mapping[str, Sequence[str]], name: str) -> str:
    values = query.get(name) or ()
    return values[-1].strip() if values else ""


def _items(query: Mapping[str, Sequence[str]], name: str) -> list[str]:
    items: list[str] = []
    for value in query.get(name) or ():
        items += [item.strip() for item in value.split(",") if item.strip()]
        if len(items) > MAX_ANSWERS * 2:
            raise PreviewRefused(f'The link lists too many values for "{name}".')
    return items


def _check_key(key: str, what: str) -> None:
    if not KEY_PATTERN.match(key):
        shown = key if len(key) <= 64 else key[:61] + "..."
        raise PreviewRefused(f'"{shown}" ({what}) is not a key: keys use lower-case letters, digits and hyphens.')


def state_query(state: PreviewState) -> list[tuple[str, str]]:
    """The state as query pairs, shortest form, defaults left out (the inverse of ``state_from_query``)."""
    pairs: list[tuple[str, str]] = []
    if state.bumps:
        pairs.append(("bumps", ",".join(sorted(state.bumps))))
    if state.alongside:
        pairs.append(("alongside", ",".join(sorted(state.alongside))))
    if state.at is not At.CHECKOUT:
        pairs.append(("at", state.at.value))
    if state.jump is not None:
        pairs.append(("jump", state.jump))
    if state.path:
        pairs.append(("path", ",".join(f"{key}:{answer.value}" for key, answer in state.path)))
    return pairs


class PreviewUrls:
    """The preview's links: a state (and the chosen width) as a URL of this funnel's preview."""

    def __init__(self, slug: str, width: str) -> None:
        self.base = reverse("funnels:preview", args=[slug])
        self.width = width

    def __call__(self, state: PreviewState, width: str | None = None) -> str:
        pairs = state_query(state)
        chosen = width or self.width
        if chosen != WIDTHS[0]:
            pairs.append(("view", chosen))
        return f"{self.base}?{urlencode(pairs, safe=',:')}" if pairs else self.base
