-- Every row of every paid-media export lies inside its platform's window, both edges:
-- as_of - N days <= event_at < as_of (N = the window used on this run, Meta's first load
-- included; Meta website purchases 7 days at most). Returns the rows outside.
{{ export_rows_outside_window() }}
