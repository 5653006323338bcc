"""The collaboration page as the web server serves it at `/graph`: URL parameters → filters, the default view
(one issuer-year), and the keys of the server's bounded page cache.

    /graph?issuer=钟楼区&year=2022&role=both&min=2&hide_merged=1&colour=community

A parameter left out keeps its default; `issuer=` and `year=` given empty mean "all". With none of issuer, year
and goal in the URL the page shows the most recent plan of the first issuer (by name) of the build.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from .data import GROUP_MODES, Backend, Filters, NetworkError
from .options import COLOUR_MODES, GRAPH_KINDS
from .page import FilterForm, collaboration_page

#: Rendered pages the server keeps (one per filter set), the least recently used dropped first.
PAGES_KEPT = 32
_TRUE = ("1", "true", "on", "yes")
_FALSE = ("", "0", "false", "off", "no")


def _choice(params: Mapping[str, str], name: str, choices: Sequence[str], default: str) -> str:
    value = params.get(name, default) or default
    if value not in choices:
        raise NetworkError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def default_view(plans: Sequence[Mapping[str, str]]) -> tuple[str | None, str | None]:
    """(issuer, year) of the default view: the first issuer by name, its most recent plan; (None, None) if none."""
    names = sorted({plan["issuerName"] for plan in plans if plan.get("issuerName")})
    if not names:
        return None, None
    years = sorted(plan["year"] for plan in plans if plan.get("issuerName") == names[0] and plan.get("year"))
    return names[0], (years[-1] if years else None)


@dataclass(frozen=True)
class GraphRequest:
    """What a `/graph` request asks for, checked; `note` says when the default view was chosen."""

    filters: Filters
    graph: str = "coparticipation"
    colour: str = "type"
    note: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str], plans: Sequence[Mapping[str, str]]) -> GraphRequest:
        """The request of the URL's parameters; NetworkError (a 400) for a malformed value."""
        note = ""
        issuer, year = params.get("issuer", "").strip() or None, params.get("year", "").strip() or None
        goal = params.get("goal", "").strip() or None
        if not any(name in params for name in ("issuer", "year", "goal")):
            issuer, year = default_view(plans)
            if issuer:
                note = (f"默认视图：{issuer} {year or ''} 的计划（按名称排序的第一个发文政府的最近一份计划）；"
                        "把发文政府和年份选为「全部」可看所有计划。")
        if year is not None and not (year.isdigit() and len(year) == 4):
            raise NetworkError(f"year must be a year such as 2022, not {year!r}")
        hide = params.get("hide_merged", "").strip().lower()
        if hide not in _TRUE + _FALSE:
            raise NetworkError(f"hide_merged must be 1 or 0, not {hide!r}")
        least = params.get("min", "").strip() or "1"
        if not least.isdigit():
            raise NetworkError(f"min must be a whole number of at least 1, not {least!r}")
        role = _choice(params, "role", ("both", "lead", "cooperating", "all"), "all")
        filters = Filters(issuer=issuer, year=year, goal=goal, role=role,
                          groups=_choice(params, "groups", GROUP_MODES, "keep"), min_shared=int(least),
                          hide_merged=hide in _TRUE).check()
        return cls(filters, _choice(params, "graph", GRAPH_KINDS, "coparticipation"),
                   _choice(params, "colour", COLOUR_MODES, "type"), note)

    def key(self) -> str:
        """The cache key: every setting in a fixed order."""
        f = self.filters
        return urlencode([("issuer", f.issuer or ""), ("year", f.year or ""), ("goal", f.goal or ""),
                          ("role", f.role), ("groups", f.groups), ("min", f.min_shared), ("hide", int(f.hide_merged)),
                          ("graph", self.graph), ("colour", self.colour)])

    def render(self, backend: Backend, link_base: str, plans: Sequence[Mapping[str, str]]) -> str:
        """The page, its nodes linked to `/id/…` pages and a filter form offering the build's issuers and years;
        NetworkError (UnknownNameError with suggestions) when nothing matches."""
        form = FilterForm(issuers=sorted({p["issuerName"] for p in plans if p.get("issuerName")}),
                          years=sorted({p["year"] for p in plans if p.get("year")}), note=self.note)
        f = self.filters
        return collaboration_page(backend, graph=self.graph, issuer=f.issuer, year=f.year, goal=f.goal,
                                  role=f.role, groups=f.groups, colour=self.colour, min_shared=f.min_shared,
                                  hide_merged=f.hide_merged, link_base=link_base, form=form)
