"""`python -m pipeline` is the `ilmio` command."""

from pipeline.cli import main

raise SystemExit(main())
