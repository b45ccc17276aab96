"""The funnel editor. Placeholder until filled in."""

from __future__ import annotations

from funnels.list_views import funnel_list

editor = settings_update = step_add = step_take_rate = step_edges = step_remove = step_move = funnel_list
steps_reorder = start_set = funnel_list
