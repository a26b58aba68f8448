"""The inspection list: every child in pre-proceedings or proceedings at any time in a
period, one row each with their identifiers and every PLO date, for an inspection team
(docs/inspection.md). Produced as CSV or XLSX through the exports registry, and as JSON
at /api/v1/inspection-list/."""
