"""The shape of the flow after payment: ``graph`` (reachability, order, loops) and ``purchases`` (what a buyer
surely owns on the way to a step, for upgrades)."""
