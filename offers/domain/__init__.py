"""The catalog's vocabulary, free of Django so the funnel engine can reason with it: ``kinds`` (the primer's
words and typical take rates) and ``honesty`` (what pushy copy sounds like)."""
