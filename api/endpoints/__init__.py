"""The API's operations, one module per resource: offers, funnels, their steps, the dry run and forecast, and
the history. Each parses, calls one selector or service, and answers; refusals are raised (``api.errors``)."""
