"""web: the linked-data server (SPARQL endpoint, dereferenceable IRIs, pages); it only queries the store."""

from __future__ import annotations

from .app import ServerSettings, create_app

__all__ = ["ServerSettings", "create_app"]
