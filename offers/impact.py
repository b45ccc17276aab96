"""What a catalog change does to the funnels that use the offer: the catalog asks, the funnels answer.

The catalog may not import the funnels (apps depend one way: funnels → offers), yet changing an offer's kind,
price, currency, topics or upgrade, or archiving it, can give a funnel new errors or move its AOV. So the
catalog names what it needs here, a ``CatalogImpact`` with ``preview`` (what each funnel would gain, read
only) and ``apply`` (bump the versions of those funnels inside the catalog's own transaction, so an open
editor gets a 409 instead of saving over figures it never saw), and the funnels app registers the one that
knows them (``funnels.apps.FunnelsConfig.ready``). Without one registered no funnel exists to care, and the
catalog saves as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from accounts.audit import Actor
from accounts.models import Practice
from core.money import format_money
from offers.models import Offer

IMPACT_FIELDS = frozenset({"kind", "price", "currency", "topics", "replaces", "default_take_rate", "status"})
"""The fields whose change can give a funnel new findings or move its figures, so it is shown first and
confirmed. The name and the words a buyer reads change only how a finding is worded or a copy warning:
they are saved as they always were."""


class FunnelsChanged(Exception):
    """A funnel that uses the offer changed (or began or stopped using it) since its impact was shown, so the
    confirmed change would land on funnels the person did not see: nothing is written, show the impact again."""


@dataclass(frozen=True)
class FunnelImpact:
    """One funnel as it is and as it would be with the proposed offer.

    ``version`` is the funnel's version the impact was worked out against (what a confirmation carries back);
    ``new_errors`` and ``new_warnings`` are the plain sentences of the findings the change would add, ``gone``
    those it would clear. An AOV of None cannot be worked out, and ``aov_after_problem`` then says why.
    """

    name: str
    slug: str
    version: int
    currency: str
    errors_before: int
    errors_after: int
    warnings_before: int
    warnings_after: int
    new_errors: tuple[str, ...] = ()
    new_warnings: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()
    aov_before: Decimal | None = None
    aov_after: Decimal | None = None
    aov_after_problem: str | None = None

    @property
    def aov_before_text(self) -> str:
        return format_money(self.aov_before, self.currency) if self.aov_before is not None else "—"

    @property
    def aov_after_text(self) -> str:
        return format_money(self.aov_after, self.currency) if self.aov_after is not None else "—"

    @property
    def aov_changes(self) -> bool:
        return self.aov_before != self.aov_after

    @property
    def becomes_uncomputable(self) -> bool:
        """The change stops the funnel's figures from being worked out (they could be before)."""
        return self.aov_before is not None and self.aov_after is None

    @property
    def changes_nothing_shown(self) -> bool:
        """Neither the findings nor the AOV move: the funnel still uses the changed offer, so it is listed."""
        return not (self.new_errors or self.new_warnings or self.gone or self.aov_changes)


class CatalogImpact(Protocol):
    """What the catalog needs from whoever uses its offers."""

    def preview(self, *, practice: Practice, offer: Offer, changes: Mapping[str, object]) -> list[FunnelImpact]:
        """Each of the practice's funnels that uses ``offer``, before and with ``changes`` (field → new value,
        already checked by the catalog's service), by name. Reads only, a fixed number of queries."""
        ...

    def apply(
        self,
        *,
        practice: Practice,
        offer: Offer,
        actor: Actor,
        summary: str,
        expected_versions: Mapping[str, int] | None = None,
    ) -> None:
        """Within the caller's transaction: move every funnel that uses ``offer`` to its next version (one
        UPDATE), each with ``summary`` in its history. With ``expected_versions`` (funnel slug → the version
        its impact was shown at), raise ``FunnelsChanged`` instead when the funnels are not exactly those."""
        ...


class _NoFunnels:
    """The catalog on its own: nothing uses its offers."""

    def preview(self, *, practice: Practice, offer: Offer, changes: Mapping[str, object]) -> list[FunnelImpact]:
        return []

    def apply(
        self,
        *,
        practice: Practice,
        offer: Offer,
        actor: Actor,
        summary: str,
        expected_versions: Mapping[str, int] | None = None,
    ) -> None:
        return None


_registered: list[CatalogImpact] = []


def register_catalog_impact(impact: CatalogImpact) -> None:
    """Install the funnels' answer (called once, from an app's ``ready``; a second call replaces the first)."""
    _registered[:] = [impact]


def catalog_impact() -> CatalogImpact:
    return _registered[0] if _registered else _NoFunnels()


def impact_versions(impacts: list[FunnelImpact]) -> dict[str, int]:
    """The versions the impact was shown at, by funnel slug: what a confirmation must find unchanged."""
    return {impact.slug: impact.version for impact in impacts}


def proposal_digest(changes: Mapping[str, object]) -> str:
    """A short fingerprint of the proposed values, carried by the confirmation: a form edited after its impact
    was shown is a different change, whose impact must be shown before it is saved."""
    parts = [f"{field}={_digest_value(changes[field])}" for field in sorted(changes)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _digest_value(value: object) -> str:
    if isinstance(value, Offer):
        return f"offer:{value.pk}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)
