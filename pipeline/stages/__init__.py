"""One module per pipeline stage; each has a pure `*_frame` function and a thin `main`."""
