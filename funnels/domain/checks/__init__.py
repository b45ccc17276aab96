"""Every check a funnel gets: ``rules`` (timing and fit), ``copy`` (honesty of the words), ``findings`` (codes,
wording, hints, and the ``Tally`` every screen counts with), ``acknowledged`` (copy findings a coach reviewed)."""
