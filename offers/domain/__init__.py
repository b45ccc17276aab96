"""The catalog's vocabulary, free of Django so the funnel engine can reason with it: ``kinds`` (the primer's
words and typical take rates) and ``copy`` (the reader of an offer's words: what they promise or press for)."""
