"""Every write to funnels, each in one transaction: ``editing`` (version-checked edits), ``transfer`` (import,
export, duplicate), ``demo`` (the demo practice)."""
