"""layout: a :class:`~govkg.model.Sheet` → task :class:`~govkg.model.Record` objects and document metadata.

Column roles come from header text; goal hierarchy, 序号 groups, task numbers and sub-items from the
rows; empty leader and unit cells are filled from earlier rows by the merged-cell convention of the
sheet's layout (which a :class:`~govkg.model.LayoutPolicy` can switch off).
"""

from __future__ import annotations

from ..lexicon import Lexicon, load_lexicon
from ..model import Diagnostic, LayoutPolicy, Record, Sheet, TableInfo, Understood
from .columns import table_kind
from .meta import read_meta
from .printed import restore_printed
from .table import TableLayout

__all__ = ["read_meta", "understand"]


def understand(sheet: Sheet, policy: LayoutPolicy | None = None, lex: Lexicon | None = None) -> Understood:
    """Turn a sheet into records (one per task or livelihood item), its tables, metadata and warnings."""
    policy = policy or LayoutPolicy()
    lex = lex or load_lexicon()
    diagnostics: list[Diagnostic] = list(sheet.diagnostics)
    records: list[Record] = []
    tables: list[TableInfo] = []
    for number, table in enumerate(sheet.tables, start=1):
        records += TableLayout(sheet.file, table.layout or sheet.layout, table, table_no=number, policy=policy, lex=lex,
                               diagnostics=diagnostics, merges_known=sheet.merges_known).run()
        tables.append(TableInfo(number, table_kind(table, lex), table.marker, table.title, table.title_line))
    restore_printed(records, sheet.lines, sheet.printed)
    return Understood(records, read_meta(sheet, lex), tables, diagnostics)
