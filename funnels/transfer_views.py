"""Placeholder until filled in."""

from funnels.list_views import funnel_list

funnel_import_page = funnel_list
funnel_export_download = funnel_list
