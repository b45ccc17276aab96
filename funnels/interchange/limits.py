"""The funnel file format's id and its limits (DESIGN §4), in one place so that every check agrees.

Beyond DESIGN §4's: a file of at most 1 MB (counted before parsing), 200 offers, 100 post-purchase steps, 50
placements per list (checkout bumps, checkout cross-sells, thank-you cross-sells). Keys are ``[a-z0-9-]{1,64}``;
topics ``[a-z0-9-]{1,40}``, at most 20, each once, kept sorted. Texts, in characters: funnel and offer ``name``
1-200 (not blank), ``headline`` 300, ``body`` 5000, ``accept_label`` and ``decline_label`` 100 (may be empty:
the rules report a missing decline choice), offer ``format`` 40 (free text such as ``course``).

Light on purpose (no pydantic): forms and upload handlers import ``MAX_FILE_BYTES`` from here.
"""

from __future__ import annotations

import re

FORMAT_ID = "offer-architect/funnel@1"

MAX_FILE_BYTES = 1_000_000
MAX_OFFERS = 200
MAX_STEPS = 100
MAX_PLACEMENTS = 50
MAX_TOPICS = 20
TOPIC_PATTERN = re.compile(r"[a-z0-9-]{1,40}")
NAME_MAX = 200
HEADLINE_MAX = 300
BODY_MAX = 5000
LABEL_MAX = 100
FORMAT_MAX = 40
