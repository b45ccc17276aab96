"""The shapes every endpoint shares: refusals with their problems, and pages of a list."""

from __future__ import annotations

from pydantic import BaseModel, Field

LIMIT_DEFAULT = 50
LIMIT_MAX = 100
OFFSET_MAX = 1_000_000


class ProblemOut(BaseModel):
    path: str = Field(
        description='Where: a JSON path in the body (offers[1].price), "(body)", or query.limit, header.If-Match'
    )
    message: str = Field(description="What is wrong, in plain words")


class ErrorOut(BaseModel):
    """Every refusal: one sentence, and each problem with where it is (empty when there is no single place)."""

    detail: str
    problems: list[ProblemOut] = []


class StaleOut(ErrorOut):
    """412: the funnel moved on since the version sent in If-Match; read it again (its ETag) and redo the change."""

    current_version: int | None


class RateLimitedOut(ErrorOut):
    """429: the token's requests this minute are used up; wait ``retry_after`` seconds (also the Retry-After header)."""

    retry_after: int


class PageParams(BaseModel):
    limit: int = Field(LIMIT_DEFAULT, ge=1, le=LIMIT_MAX, description=f"rows per page, 1..{LIMIT_MAX}")
    offset: int = Field(0, ge=0, le=OFFSET_MAX, description="rows to skip")
