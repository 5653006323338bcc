"""Column roles decided by a table's shape, shared by every table recogniser and the layout stage."""

from __future__ import annotations

from ..lexicon import Lexicon
from ..model import Cell

#: Roles whose cells name units.
UNIT_ROLES = frozenset({"lead", "coop", "resp", "owner"})
#: Roles that make a header row a responsibility table's header (with a statement column).
NAME_ROLES = UNIT_ROLES | {"leader"}


def resolve_roles(roles: list[str | None]) -> list[str | None]:
    """Roles decided by the table's shape.

    目标任务 / 重点工作 (goal_or_text) are the statement when no other column holds statements, else a goal level;
    with no statement column at all, the last goal column holds the statements (项目名称 of a 民生实事 table);
    责任单位 is cooperating when a lead column exists.
    """
    has_text = "text" in roles
    out = [("goal" if has_text else "text") if role == "goal_or_text" else role for role in roles]
    if out.count("text") > 1:
        first = out.index("text")
        out = [role if role != "text" or index == first else "goal" for index, role in enumerate(out)]
    if "text" not in out and "goal" in out:
        last = len(out) - 1 - out[::-1].index("goal")
        out[last] = "text"
    if "lead" in out:
        out = ["coop" if role == "resp" else role for role in out]
    return out


#: A header row names at least this many columns.
_MIN_HEADER_CELLS = 2


def is_header_row(cells: list[Cell], lex: Lexicon) -> bool:
    """True for a row of column names: at least two, one of them a statement column, and no data among them."""
    texts = [cell.text for cell in cells if not cell.is_empty()]
    roles = [lex.column_role(text) for text in texts]
    named = [role for role in roles if role]
    return (len(named) >= _MIN_HEADER_CELLS and bool({"text", "goal_or_text"} & set(named))
            and 2 * len(named) >= len(texts))
