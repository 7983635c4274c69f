"""`gongkai serve`: the self-check page and HTTP API for agencies (needs the `web` extra)."""

from .app import Settings, create_app, serve

__all__ = ["Settings", "create_app", "serve"]
