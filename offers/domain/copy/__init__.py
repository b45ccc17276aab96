"""The copy reader: what an offer's words promise or press for, each claim quoted with its kind.

See ``grammar`` for how a claim is recognised (rules and the scopes of negation, questions, quotation, hedges
and reasons). The rules: ``promises`` (guarantees, certainty), ``lasting``, ``cures``, ``timed``, ``pressure``
(deadlines, scarcity, price rises), ``now_or_never`` (and the fear of missing out), ``prices`` and ``labels``.
``reader`` reads an offer; ``fingerprint`` and ``acknowledgement`` hold a coach's word that a finding was
reviewed, tied to the copy it was made on.
"""

from offers.domain.copy.acknowledgement import Acknowledgement
from offers.domain.copy.claims import COPY_CODES, FIELD_LABELS, Claim, ClaimKind
from offers.domain.copy.fingerprint import copy_fingerprint
from offers.domain.copy.reader import OfferCopy, false_urgency, first_claim, guaranteed_outcome, read_offer, read_text

__all__ = [
    "COPY_CODES",
    "Acknowledgement",
    "FIELD_LABELS",
    "Claim",
    "ClaimKind",
    "OfferCopy",
    "copy_fingerprint",
    "false_urgency",
    "first_claim",
    "guaranteed_outcome",
    "read_offer",
    "read_text",
]
