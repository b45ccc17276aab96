"""The API's writes: its tokens, the answers kept for retried creates, and the one funnel edit the screens do
not have (replacing a funnel with a whole document). Each runs in one transaction."""
