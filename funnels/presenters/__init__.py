"""What each screen shows, built from rows already loaded: no queries here, so a page's query count is the
selectors' alone. One module per screen (and the diagram and chart they share)."""
