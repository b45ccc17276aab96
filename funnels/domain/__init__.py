"""The funnel engine: plain Python, standard library only (with ``offers.domain`` and ``core.money``).

``plan`` holds the value objects; ``flow`` the shape of the post-purchase graph and what a buyer owns;
``checks`` the timing, fit and honesty rules; ``metrics`` the exact AOV engine; ``buyer_walk`` the preview's walk.
Nothing here touches the database or the web, so every rule is tested without either.
"""
