"""How complete a version of a document is, and what a newer file lacks that the stored one has."""

from __future__ import annotations

from budgetqa.models import Document, Table


def counts(doc: Document) -> dict[str, int]:
    """Pages, tables, value cells, stated facts and narrative chunks of a document."""
    return {
        "pages": doc.page_count,
        "tables": len(doc.tables),
        "cells": sum(1 for t in doc.tables for c in t.cells if c.state == "value"),
        "facts": len(doc.facts),
        "chunks": len(doc.chunks),
    }


def _table_key(table: Table) -> tuple[str, str]:
    return table.kind, table.title.replace(" ", "")


def shortfalls(old: Document, new: Document) -> list[str]:
    """What ``new`` has less of than ``old`` (empty: ``new`` is at least as complete).

    Pages, tables and value cells must not be fewer; every table ``old`` has (by kind and title)
    must be in ``new`` with no fewer figures; narrative ``old`` has must not be missing.
    """
    before, after = counts(old), counts(new)
    names = {"pages": "页数", "tables": "表的张数", "cells": "数字个数"}
    found = [f"{name}少于已存版本（{after[k]} < {before[k]}）" for k, name in names.items() if after[k] < before[k]]
    new_tables = {_table_key(t): t for t in new.tables}
    for table in old.tables:
        match = new_tables.get(_table_key(table))
        if match is None:
            found.append(f"缺少已存版本中的表“{table.title}”")
            continue
        had = sum(1 for c in table.cells if c.state == "value")
        has = sum(1 for c in match.cells if c.state == "value")
        if has < had:
            found.append(f"表“{table.title}”的数字少于已存版本（{has} < {had}）")
    for what, name in (("facts", "说明中的数字"), ("chunks", "文字说明")):
        if before[what] and not after[what]:
            found.append(f"缺少已存版本中的{name}")
    return found
