"""The public API (issue 14): django-ninja over the same services and selectors the screens use, with tokens
per practice, version-checked writes, idempotent creates and rate limits."""
