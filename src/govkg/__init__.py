"""govkg: government responsibility tables → a linked-data knowledge graph.

Python API (see the README for examples)::

    import govkg
    documents = govkg.extract(["data/samples/"])
"""

from __future__ import annotations

__version__ = "0.1.0"

from .extract import extract, extract_document
from .model import Document, InputError, LayoutPolicy, Task

__all__ = ["Document", "InputError", "LayoutPolicy", "Task", "__version__", "extract", "extract_document"]
