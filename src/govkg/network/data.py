"""What the collaboration networks are built from: tasks and the parties named on them, read from a store.

Everything comes from the graph through the SPARQL queries of queries/network/ (never from the documents); the
filters are bound as RDF terms in a VALUES block by govkg.query.bind, never pasted into the query text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from ..lexicon import Lexicon, load_lexicon
from ..query.backends import Results, Value
from ..query.bind import bind
from ..query.catalog import NamedQuery, QueryError, parse_query
from ..query.names_check import UnknownNameError, backend_select, check_names
from ..resources import resource_dir

ROLES = ("lead", "cooperating", "all")
#: Spellings of the role filter a user may give (the URL's `role=both`), and the role they mean.
ROLE_ALIASES = {"both": "all"}
GROUP_MODES = ("keep", "expand", "drop")
TABLES = ("main", "livelihood")
#: Plans a network of every issuer is drawn from at most, unless asked for more (Filters.max_plans): the network
#: of a whole country is unreadable, and reading it takes minutes (97 s at 21,362 documents).
MAX_PLANS = 100
GW = "https://w3id.org/govkg/ontology#"

#: org:classification individuals → the lexicon's type keys and the ontology's zh labels.
UNIT_TYPES: dict[str, tuple[str, str]] = {
    "Bureau": ("bureau", "政府工作部门"),
    "Office": ("office", "办公室、议事协调机构"),
    "PartyOrgan": ("party", "党委工作机关"),
    "SubDistrict": ("subdistrict", "街道"),
    "Town": ("town", "镇"),
    "DevelopmentZone": ("devzone", "开发区、园区"),
    "StateOwnedEnterprise": ("soe", "国有企业"),
    "MassOrganisation": ("massorg", "群团组织"),
    "BranchOffice": ("branch", "上级部门派驻机构"),
    "OtherUnit": ("other", "其他单位"),
}


class NetworkError(QueryError):
    """A network that cannot be built: bad filter, empty selection, unreadable store."""


class SelectionTooLargeError(NetworkError):
    """A network of every issuer asked of more plans than Filters.max_plans allows."""


class UnknownFilterError(NetworkError, UnknownNameError):
    """An issuer, year or goal the data does not know; the message suggests known ones (as the named queries')."""


class Backend(Protocol):
    """Anything that runs SPARQL and gives Results (EmbeddedStore, RemoteEndpoint)."""

    def run(self, text: str) -> Results:
        """Run a query."""
        ...


@dataclass(frozen=True)
class Filters:
    """Which tasks and parties a network is built from."""

    issuer: str | None = None
    year: int | str | None = None
    goal: str | None = None
    table: str | None = None
    role: str = "all"
    groups: str = "keep"
    #: Keep only pairs of units sharing at least this many tasks (and the units left with a partner).
    min_shared: int = 1
    #: Leave out units named on every task of a goal section by one merged (or carried-down) cell.
    hide_merged: bool = False
    #: Without an issuer, refuse a selection of more plans than this (None: no limit).
    max_plans: int | None = MAX_PLANS

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", ROLE_ALIASES.get(self.role, self.role))

    def check(self) -> Filters:
        """The filters, or NetworkError naming the bad value."""
        if self.role not in ROLES:
            raise NetworkError(f"--role must be one of {', '.join(ROLES)} (or both), not {self.role!r}")
        if isinstance(self.min_shared, bool) or not isinstance(self.min_shared, int) or self.min_shared < 1:
            raise NetworkError(f"--min-shared must be a whole number of at least 1, not {self.min_shared!r}")
        if self.groups not in GROUP_MODES:
            raise NetworkError(f"--groups must be one of {', '.join(GROUP_MODES)}, not {self.groups!r}")
        if self.table is not None and self.table not in TABLES:
            raise NetworkError(f"--table must be one of {', '.join(TABLES)}, not {self.table!r}")
        if self.max_plans is not None and (isinstance(self.max_plans, bool) or self.max_plans < 1):
            raise NetworkError(f"--max-plans must be a whole number of at least 1, not {self.max_plans!r}")
        return self

    def describe(self) -> str:
        """The filters in words, for titles and messages (e.g. "钟楼区 · 2021 · 牵头单位")."""
        parts = [str(value) for value in (self.issuer, self.year) if value]
        if self.goal:
            parts.append(f"目标「{self.goal}」")
        if self.table:
            parts.append({"main": "主要目标任务", "livelihood": "民生实事"}[self.table])
        if self.role != "all":
            parts.append({"lead": "仅牵头单位", "cooperating": "仅配合单位"}[self.role])
        if self.groups != "keep":
            parts.append({"expand": "集合称谓展开为成员", "drop": "不含集合称谓"}[self.groups])
        if self.min_shared > 1:
            parts.append(f"共同任务 ≥ {self.min_shared}")
        if self.hide_merged:
            parts.append("不含整节合并单元格中的单位")
        return " · ".join(parts) or "全部"

    def options(self) -> str:
        """The filters as command-line options, for messages."""
        pairs = [("issuer", self.issuer), ("year", self.year), ("goal", self.goal), ("table", self.table)]
        words = [f"--{name} {value}" for name, value in pairs if value]
        if self.role != "all":
            words.append(f"--role {self.role}")
        if self.min_shared > 1:
            words.append(f"--min-shared {self.min_shared}")
        if self.hide_merged:
            words.append("--hide-merged")
        return " ".join(words) or "no filters"


@dataclass(frozen=True)
class Agent:
    """A party named on tasks: a unit, a group (各街道), a person or a collective leadership (全体区长)."""

    iri: str
    name: str
    kind: str  # unit | group | person | collective
    unit_type: str | None  # lexicon key (bureau …) for units, None otherwise
    issuer: str
    issuer_short: str


@dataclass(frozen=True)
class TaskInfo:
    """A task of the selection: IRI, label ("(13) 建设一批…"), number (the IRI's last segment: 13, 24-1, r7 …),
    issuer, year and table kind."""

    iri: str
    label: str
    number: str
    issuer: str
    issuer_short: str
    year: str
    table: str

    @property
    def tag(self) -> str:
        """The task's short name within its issuer and year: "(13)", "民生(3)", "(r7)" for an unnumbered row."""
        return ("民生" if self.table == "livelihood" else "") + f"({self.number})"

    def caption(self, with_issuer: bool = False) -> str:
        """A one-line caption for tooltips and reports: "2021 (13) 建设一批…"."""
        prefix = f"{self.issuer_short} " if with_issuer else ""
        text = self.label if self.label.startswith(f"({self.number})") else f"{self.tag} {self.label}"
        if self.table == "livelihood" and not text.startswith("民生"):
            text = "民生" + text
        return f"{prefix}{self.year} {text}".strip()


@dataclass(frozen=True)
class Participation:
    """A party named on a task in a role: lead, cooperating or leader."""

    task: str
    role: str
    agent: str


@dataclass
class NetworkData:
    """Tasks, parties and who is named on what, for one selection; plus group members when asked for."""

    filters: Filters
    tasks: dict[str, TaskInfo] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    participations: list[Participation] = field(default_factory=list)
    members: dict[str, list[str]] = field(default_factory=dict)
    #: task → the normalised status of its latest progress observation (OnSchedule, BehindSchedule, Done,
    #: NotStarted, StatusUnknown); tasks without an observation are not keys.
    progress: dict[str, str] = field(default_factory=dict)
    #: (task, role, unit) named by a whole section's merged cell, left out when filters.hide_merged (else empty).
    hidden: set[tuple[str, str, str]] = field(default_factory=set)

    @property
    def issuers(self) -> list[str]:
        """The issuers of the selected tasks, sorted."""
        return sorted({task.issuer for task in self.tasks.values()})


@lru_cache(maxsize=8)
def network_query(name: str) -> NamedQuery:
    """One of the queries of queries/network/ by name (participations, group-members, goal-tasks, …)."""
    return parse_query(_query_folder() / f"{name}.rq")


def _query_folder() -> Path:
    return resource_dir("queries") / "network"


def task_key(iri: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key of task IRIs in natural order (…/main/7 before …/main/60, …/24-1 before …/24-2)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", iri) if part)


def unit_type_key(iri: str | None) -> str | None:
    """The lexicon's type key (bureau …) of an org:classification IRI."""
    if not iri or not iri.startswith(GW):
        return None
    found = UNIT_TYPES.get(iri[len(GW):])
    return found[0] if found else "other"


def _text(row: Mapping[str, Value], name: str, default: str = "") -> str:
    value = row.get(name)
    return value.value if value is not None else default


def _run(backend: Backend, name: str, params: Mapping[str, str | None], lex: Lexicon) -> list[dict[str, Value]]:
    return backend.run(bind(network_query(name), params, lex)).rows


def fetch(backend: Backend, filters: Filters, lex: Lexicon | None = None) -> NetworkData:
    """The tasks matching the filters and every party named on them; NetworkError if none match."""
    filters.check()
    lex = lex or load_lexicon()
    params = {"issuer": filters.issuer, "year": str(filters.year) if filters.year else None, "table": filters.table}
    if filters.issuer is None:
        _check_size(backend, filters, params, lex)
    rows = _run(backend, "participations", params, lex)
    if filters.goal:
        goal_rows = _run(backend, "goal-tasks", {"goal": filters.goal}, lex)
        under_goal = {_text(row, "task") for row in goal_rows}
        rows = [row for row in rows if _text(row, "task") in under_goal]
    data = NetworkData(filters)
    seen: set[Participation] = set()
    for row in rows:
        task_iri, agent_iri = _text(row, "task"), _text(row, "agent")
        issuer = _text(row, "issuer")
        short = _text(row, "issuerShort") or issuer
        if task_iri not in data.tasks:
            number = task_iri.rsplit("/", 1)[-1]
            data.tasks[task_iri] = TaskInfo(task_iri, _text(row, "taskLabel", number), number, issuer, short,
                                            _text(row, "year"), _text(row, "table"))
        kind = _text(row, "agentKind", "unit")
        agent = Agent(agent_iri, _text(row, "agentName"), kind,
                      unit_type_key(_text(row, "unitType")) if kind == "unit" else None, issuer, short)
        known = data.agents.get(agent_iri)
        if known is None or (agent.name, agent.unit_type or "") < (known.name, known.unit_type or ""):
            data.agents[agent_iri] = agent
        participation = Participation(task_iri, _text(row, "role"), agent_iri)
        if participation not in seen:
            seen.add(participation)
            data.participations.append(participation)
    if not data.tasks:
        _check_names(backend, filters, lex)  # an unknown issuer, year or goal: "did you mean …"
        raise NetworkError(f"no tasks match ({filters.options()}): nothing to draw; "
                           "check the spelling of the filters, or leave some out")
    data.participations.sort(key=lambda p: (task_key(p.task), p.role, p.agent))
    data.tasks = {iri: data.tasks[iri] for iri in sorted(data.tasks, key=task_key)}
    if filters.groups == "expand":
        _add_members(backend, data, lex)
    data.progress = latest_status(_run(backend, "progress", params, lex), data.tasks)
    if filters.hide_merged:
        data.hidden = section_cells(_run(backend, "section-tasks", params, lex)
                                    + _run(backend, "section-cells", params, lex))
    return data


def _check_size(backend: Backend, filters: Filters, params: Mapping[str, str | None], lex: Lexicon) -> None:
    """NetworkError when a network of every issuer would be drawn from more than `filters.max_plans` plans."""
    if filters.max_plans is None:
        return
    (counted,) = _run(backend, "plan-count", {"year": params["year"]}, lex)
    plans, issuers = int(_text(counted, "plans", "0")), int(_text(counted, "issuers", "0"))
    if plans > filters.max_plans:
        raise SelectionTooLargeError(
            f"{plans} plans of {issuers} issuers match ({filters.options()}): more than {filters.max_plans} to draw "
            f"at once. Choose an issuer (--issuer, 发文政府), or raise --max-plans. 所选范围有 {issuers} 个发文政府的 "
            f"{plans} 份计划，超过一次可绘制的 {filters.max_plans} 份：请选择发文政府。")


def _check_names(backend: Backend, filters: Filters, lex: Lexicon) -> None:
    """UnknownNameError (a QueryError) for an issuer, year or goal the data does not know, with suggestions."""
    select = backend_select(backend)
    plans = network_query("participations")
    goals = network_query("goal-tasks")
    try:
        check_names(plans, {"issuer": filters.issuer, "year": filters.year}, select, lex)
        if filters.goal:  # the goal is looked for within the issuer, if one is given
            scoped = replace(goals, params=tuple(p for p in (plans.param("issuer"), goals.param("goal")) if p))
            check_names(scoped, {"goal": filters.goal, "issuer": filters.issuer}, select, lex)
    except UnknownNameError as exc:
        raise UnknownFilterError(f"no tasks match ({filters.options()}): {exc.message}", param=exc.param,
                                 value=exc.value, suggestions=exc.suggestions) from None


def section_cells(rows: list[dict[str, Value]]) -> set[tuple[str, str, str]]:
    """(task, role, unit) named by a whole section's merged cell: the unit is named in that role on every task of
    the goal section (two tasks or more), and on at least one of them the name was carried from a merged cell or
    the row above rather than printed on the task's row."""
    tasks: dict[str, set[str]] = {}
    named: dict[tuple[str, str, str], set[str]] = {}
    carried: set[tuple[str, str, str]] = set()
    for row in rows:
        section, task = _text(row, "section"), _text(row, "task")
        tasks.setdefault(section, set()).add(task)
        if "agent" in row:
            key = (section, _text(row, "role"), _text(row, "agent"))
            named.setdefault(key, set()).add(task)
            if _text(row, "carried") in ("true", "1"):
                carried.add(key)
    return {(task, role, agent) for (section, role, agent), on in named.items()
            if (section, role, agent) in carried and len(tasks[section]) >= 2 and on == tasks[section]
            for task in on}


def latest_status(rows: list[dict[str, Value]], tasks: Mapping[str, TaskInfo]) -> dict[str, str]:
    """Task → the status (gw: local name) of its latest observation by report date; undated ones count as earliest,
    and of two on one date the later in IRI order."""
    latest: dict[str, tuple[str, str, str]] = {}
    for row in rows:
        task = _text(row, "task")
        if task not in tasks:
            continue
        key = (_text(row, "date"), _text(row, "observation"), _text(row, "status").rsplit("#", 1)[-1])
        if task not in latest or key > latest[task]:
            latest[task] = key
    return {task: latest[task][2] for task in sorted(latest, key=task_key)}


def _add_members(backend: Backend, data: NetworkData, lex: Lexicon) -> None:
    groups = {p.agent for p in data.participations if data.agents[p.agent].kind == "group"}
    if not groups:
        return
    rows = _run(backend, "group-members", {"issuer": data.filters.issuer}, lex)
    members: dict[str, set[str]] = {}
    for row in rows:
        group, member = _text(row, "group"), _text(row, "member")
        if group not in groups:
            continue
        members.setdefault(group, set()).add(member)
        if member not in data.agents:
            owner = data.agents[group]
            data.agents[member] = Agent(member, _text(row, "memberName"), "unit",
                                        unit_type_key(_text(row, "unitType")), owner.issuer, owner.issuer_short)
    data.members = {group: sorted(found) for group, found in sorted(members.items())}
