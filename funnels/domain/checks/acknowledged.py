"""Findings a coach has acknowledged: still listed, marked with who said why, and no longer counted as open.

An acknowledgement holds only for the copy it was made on: a finding whose fingerprint differs (the words
changed since) is open again, whatever was said about the old words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from funnels.domain.checks.findings import Finding
from offers.domain.copy import Acknowledgement


def acknowledge(findings: Iterable[Finding], acknowledgements: Iterable[Acknowledgement]) -> tuple[Finding, ...]:
    """The findings in the same order, each one a coach acknowledged on the same copy marked with it."""
    by_key = {(a.offer, a.code): a for a in acknowledgements}
    marked = []
    for found in findings:
        said = by_key.get((found.offer, found.code)) if found.offer is not None and found.fingerprint else None
        marked.append(replace(found, acknowledgement=said) if said and said.fingerprint == found.fingerprint else found)
    return tuple(marked)
