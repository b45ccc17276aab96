"""The funnel interchange format v1 (DESIGN §4): funnel files in and out, with every problem reported at once.

Import from the module that holds a name; nothing is re-exported here.

- ``limits``: the format id and the limits (file size, counts, text lengths).
- ``problems``: :class:`Problem`, :class:`FunnelFileError`, and how problems are worded, located and ordered.
- ``fields``: the field validators (keys, texts, money, rates, topics…), one plain message each.
- ``models``: the pydantic models of the file, field by field.
- ``reading``: bytes -> document (``read_funnel_document``, ``parse_json``, ``validate_document``,
  ``reference_issues``).
- ``writing``: document -> canonical JSON text (``dump_document``).
- ``plans``: document <-> :class:`FunnelPlan` (``plan_from_document``, ``document_from_plan``).
"""
