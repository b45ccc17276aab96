"""Placeholder until filled in."""

from funnels.list_views import funnel_list

preview = funnel_list
