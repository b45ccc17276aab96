"""The funnel engine: plain Python, standard library only (and ``offers.domain``).

``plan`` holds the value objects, ``rules`` the timing and honesty checks, ``metrics`` the exact AOV engine.
"""
