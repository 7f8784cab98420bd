"""The HTTP API (FastAPI): ``create_app(settings)`` builds it; ``broadcaster serve`` runs it."""

from .app import PREFIX, app_from_environment, create_app

__all__ = ["PREFIX", "app_from_environment", "create_app"]
