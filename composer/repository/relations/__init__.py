"""Relations at run time: one module per kind, and the inclusion of related rows."""
