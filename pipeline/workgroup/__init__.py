"""The workgroup's loop: review sheets in, agreement, decisions applied to the theme registry,
the accepted codebook out (DESIGN.md §4)."""
