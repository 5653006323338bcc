"""HTTP content negotiation: Accept headers with q-values and wildcards (RFC 9110 §12.5.1)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

#: `format=` values and the media types they stand for.
FORMAT_ALIASES = {
    "json": "application/sparql-results+json", "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml", "srx": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
    "ntriples": "application/n-triples", "nq": "application/n-quads", "nquads": "application/n-quads",
    "trig": "application/trig", "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml", "html": "text/html",
}


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches a media type: 2 exact, 1 type/*, 0 */*, -1 no match."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type == kind and self.subtype == "*":
            return 1
        if self.type == kind and self.subtype == sub:
            return 2
        return -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header (a missing or empty header accepts everything)."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        kind, _, sub = media.partition("/")
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub or "*", q))
    return ranges


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """The q-value the most specific matching range gives a media type (0 when none matches)."""
    best, specificity = 0.0, -1
    for media_range in ranges:
        level = media_range.matches(media_type)
        if level > specificity:
            best, specificity = media_range.q, level
    return best if specificity >= 0 else 0.0


def negotiate(header: str | None, offers: list[str]) -> str | None:
    """The offer with the highest q-value (server order breaks ties), or None when nothing is acceptable."""
    ranges = parse_accept(header)
    scored = [(quality(ranges, offer), -index, offer) for index, offer in enumerate(offers)]
    q, _, offer = max(scored)
    return offer if q > 0 else None


def prefers_html(header: str | None) -> bool:
    """True when the client ranks HTML above every RDF and SPARQL results format (a browser)."""
    ranges = parse_accept(header)
    html = quality(ranges, "text/html")
    others = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
              "application/sparql-results+json", "application/sparql-results+xml")
    return html > 0 and all(html > quality(ranges, other) or quality(ranges, other) == 0 for other in others) \
        and any(r.type == "text" and r.subtype == "html" for r in ranges)


#: The formats a resource is offered in, as (`format=` value, media type), in the order Link headers name them.
RESOURCE_FORMATS = (("html", "text/html"), ("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                    ("nt", "application/n-triples"), ("rdfxml", "application/rdf+xml"))
#: A named graph is offered in the quad formats too.
GRAPH_FORMATS = (*RESOURCE_FORMATS, ("nq", "application/n-quads"), ("trig", "application/trig"))


def alternates(raw_path: str, served: str, formats: tuple[tuple[str, str], ...] = RESOURCE_FORMATS) -> str:
    """A Link header value naming the other formats of the resource at `raw_path` (rel="alternate", RFC 8288)."""
    target = quote(raw_path, safe="/%:@!$&'()*+,;=-._~")  # ASCII only: a header is Latin-1
    return ", ".join(f'<{target}?format={fmt}>; rel="alternate"; type="{media}"'
                     for fmt, media in formats if media != served)
