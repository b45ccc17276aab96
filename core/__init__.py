"""What every app shares: money and percents, slugs, and the typed htmx request."""
