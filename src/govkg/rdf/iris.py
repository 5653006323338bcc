"""Deterministic IRIs from stable keys (issuer code, year, table, task number) under a configurable base."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rdflib import URIRef

from ..model import Location

DEFAULT_BASE = "https://w3id.org/govkg/id/"
_UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SLUG = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]+")


def segment(text: str) -> str:
    """One IRI path segment: Chinese kept as it is, other ASCII and invisible characters percent-encoded."""
    out = []
    for char in text:
        if char in _UNRESERVED or (ord(char) > 127 and unicodedata.category(char)[0] not in "CZ"):
            out.append(char)
        else:
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
    return "".join(out) or "_"


def slug(text: str) -> str:
    """A readable key for an issuer the lexicon does not know ("某某县" → "某某县")."""
    return _SLUG.sub("-", text).strip("-") or "unknown"


def normalise_base(base: str) -> str:
    """A base IRI ending with "/" or "#"; raises ValueError for what cannot be one."""
    base = base.strip()
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", base) or any(c in base for c in ' <>"{}|\\^`'):
        raise ValueError(f"not an absolute IRI: {base!r}")
    return base if base.endswith(("/", "#")) else base + "/"


@dataclass(frozen=True)
class Minter:
    """Mints the IRIs of the graph; every IRI depends only on stable keys."""

    base: str = DEFAULT_BASE

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(parts))

    def government(self, gov: str) -> URIRef:
        """The issuing government."""
        return self._iri("gov", segment(gov))

    def unit(self, gov: str, name: str) -> URIRef:
        """A unit of an issuer."""
        return self._iri("gov", segment(gov), "unit", segment(name))

    def group(self, gov: str, name: str) -> URIRef:
        """A collective reference (各街道) of an issuer."""
        return self._iri("gov", segment(gov), "group", segment(name))

    def person(self, gov: str, name: str) -> URIRef:
        """A person of an issuer."""
        return self._iri("gov", segment(gov), "person", segment(name))

    def collective(self, gov: str, name: str) -> URIRef:
        """Collective leadership (全体区长) of an issuer."""
        return self._iri("gov", segment(gov), "collective", segment(name))

    def post(self, gov: str, period: str, name: str) -> URIRef:
        """The 分管领导 post a person held in a plan year."""
        return self._iri("gov", segment(gov), "post", segment(period), segment(name))

    def change(self, gov: str, new_name: str) -> URIRef:
        """The change event that renamed or merged units into `new_name`."""
        return self._iri("gov", segment(gov), "change", segment(new_name))

    def plan(self, gov: str, key: str) -> URIRef:
        """A work plan (one document): by issuer and year."""
        return self._iri("plan", segment(gov), segment(key))

    def plans_prefix(self, gov: str) -> str:
        """What the IRI of every plan of an issuer, and of everything minted under a plan (tasks, goals), starts
        with."""
        return str(self._iri("plan", segment(gov), ""))

    def plan_graph(self, gov: str, key: str) -> URIRef:
        """The named graph holding one document."""
        return self._iri("graph", "plan", segment(gov), segment(key))

    def lexicon_graph(self) -> URIRef:
        """The named graph of shared lexicon facts."""
        return self._iri("graph", "lexicon")

    def links_graph(self) -> URIRef:
        """The named graph of links between documents (report rows to plan tasks, tasks across years)."""
        return self._iri("graph", "links")

    def source(self, gov: str, key: str) -> URIRef:
        """The source document of a work plan (by issuer and plan key, like the plan: the same IRI for every version
        of the file, whose content hash is its gw:sha256)."""
        return self._iri("source", segment(gov), segment(key))

    def source_rows(self, gov: str, key: str, first: int, last: int) -> URIRef:
        """Lines of a work plan's source document."""
        return URIRef(f"{self.source(gov, key)}/lines/{first}-{last}")

    def source_location(self, gov: str, key: str, location: Location) -> URIRef:
        """A place in a work plan's original file: …/page/3/table/1/row/18/column/2 (the parts that are known)."""
        parts = [("page", location.page), ("sheet", location.sheet), ("table", location.table),
                 ("row", location.row), ("column", location.column)]
        tail = [piece for name, value in parts if value is not None for piece in (name, segment(str(value)))]
        return URIRef("/".join([self.source(gov, key), "location", *tail]))

    def activity(self, gov: str, key: str) -> URIRef:
        """The extraction of a work plan's source document."""
        return self._iri("activity", segment(gov), segment(key))

    def agent(self, version: str) -> URIRef:
        """The govkg software, by version."""
        return self._iri("agent", "govkg", segment(version))


def issuer_key(code: str | None, name: str) -> str:
    """The key of an issuer in IRIs: its division code, else a slug of its name."""
    return code or slug(name)
