"""The observatory's API (api_open)."""


def register(router) -> None:
    """Add this module's viewsets to the API router."""
