"""Data access: the filter language, the CRUD repository and its backends."""
