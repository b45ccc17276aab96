"""A funnel version's stored form: its canonical interchange text, compressed.

The text is exactly what an export writes (``dump_document``), so a version reads back through the same
reader as any file (every check included) and exports byte for byte as it was. zlib takes a funnel's text to
about a fifth or less: offers repeat the same fields and labels, and SQLite, unlike PostgreSQL's TOAST, stores
a JSON column as it is given.
"""

from __future__ import annotations

import zlib

from funnels.domain.plan import FunnelPlan
from funnels.interchange.models import FunnelDocument
from funnels.interchange.plans import document_from_plan
from funnels.interchange.reading import read_funnel_document
from funnels.interchange.writing import dump_document

LEVEL = 6


def pack_plan(plan: FunnelPlan) -> bytes:
    """The plan as compressed interchange text (raises ``FunnelFileError`` if it could not be a file)."""
    return pack_text(dump_document(document_from_plan(plan)))


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), LEVEL)


def unpack_text(packed: bytes | memoryview) -> str:
    """The interchange text of a stored version (PostgreSQL hands binary columns back as ``memoryview``)."""
    return zlib.decompress(bytes(packed)).decode("utf-8")


def unpack_document(packed: bytes | memoryview) -> FunnelDocument:
    return read_funnel_document(unpack_text(packed))
