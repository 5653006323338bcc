"""govkg: government responsibility tables → a linked-data knowledge graph.

Python API (see the README for examples)::

    import govkg
    documents = govkg.extract(["data/samples/"])
    result = govkg.build(["data/samples/"], out="out/")
    report = govkg.validate("out/")
    rows = govkg.query("q01", store="out/", unit="住建局")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .build import BuildResult, InvalidGraphError, build
from .compact import CompactResult, compact
from .extract import extract, extract_document
from .model import Document, InputError, LayoutPolicy, Task
from .query import QueryError, query
from .validate import Report
from .validate_build import validate_path as validate

__all__ = [
    "BuildResult",
    "CompactResult",
    "Document",
    "InputError",
    "InvalidGraphError",
    "LayoutPolicy",
    "QueryError",
    "Report",
    "Task",
    "__version__",
    "build",
    "compact",
    "extract",
    "extract_document",
    "query",
    "validate",
]
