"""What makes a URL path unusable as a basePath or a model's REST path."""

from __future__ import annotations

__all__ = ["path_problem"]


def path_problem(path: str) -> str | None:
    """Why ``path`` cannot be served under, or None when it can.

    >>> path_problem("/api"), path_problem("api"), path_problem("/a/../b")
    (None, "must start with '/'", "has a '..' segment")
    """
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        return "has a control character"
    if not path.startswith("/"):
        return "must start with '/'"
    if "?" in path or "#" in path:
        return "has a query or fragment ('?' or '#')"
    if "//" in path:
        return "has an empty segment ('//')"
    if any(segment in ("..", ".") for segment in path.split("/")):
        return "has a '..' segment" if ".." in path.split("/") else "has a '.' segment"
    return None
