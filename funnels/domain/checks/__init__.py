"""Every check a funnel gets: ``rules`` (timing and shape, and the entry ``check_funnel``), ``fit`` (the fit
warnings), ``copy`` (honesty of the words), ``context`` (what every rule reads, gathered once), ``findings``
(codes, wording, hints, and the ``Tally`` every screen counts with), ``acknowledged`` (reviewed findings)."""
