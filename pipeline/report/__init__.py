"""What the workgroup and decision makers read, built from suppressed views (DESIGN.md §5, §12).

- `views`: one display row per theme with every count already suppressed below
  `report.min_clients`, excerpts only from redacted segments;
- `tables`: the theme table (`themes.csv`) and the review sheet's rows;
- `xlsx`: the review sheet as a workbook (values only, reproducible bytes);
- `html`: the self-contained report page (templates in `templates/`).
"""
