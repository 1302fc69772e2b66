"""Which rows a case owns, found from the schema rather than listed by hand,
and those rows as JSON: what a case archive carries.

``cases`` (the case's row), every table with a ``case_id`` column, every table
with a foreign key (or an ``exhibit_id`` column) pointing at an owned row, and
the rows of shared tables (``blobs``) that owned rows point at; tables added
later come along.
"""

from __future__ import annotations

import base64
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from pdpacket.store.migrations import migrations

# Never exported: the workspace's own bookkeeping.
SKIP_TABLES = {"settings", "_sqlite_migrations"}
# Columns that point at another table without a declared foreign key.
IMPLIED_FKS = {"case_id": "cases", "exhibit_id": "exhibits"}


# ---- the schema, read generically ------------------------------------------
@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str  # the parent table
    to: str  # the parent's column


@dataclass
class TableInfo:
    name: str
    columns: list[str]
    rowid_pk: str | None  # the INTEGER PRIMARY KEY column, if the table has one
    pk: list[str]
    fks: list[ForeignKey] = field(default_factory=list)


def read_schema(con: sqlite3.Connection) -> dict[str, TableInfo]:
    names = [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    out: dict[str, TableInfo] = {}
    for name in names:
        if name in SKIP_TABLES:
            continue
        cols = con.execute(f"PRAGMA table_info({quote_ident(name)})").fetchall()
        columns = [c[1] for c in cols]
        pk = [c[1] for c in sorted((c for c in cols if c[5]), key=lambda c: c[5])]
        rowid_pk = None
        if len(pk) == 1:
            ctype = next(c[2] for c in cols if c[1] == pk[0])
            if str(ctype).upper() == "INTEGER":
                rowid_pk = pk[0]
        fks = []
        declared = set()
        for r in con.execute(f"PRAGMA foreign_key_list({quote_ident(name)})").fetchall():
            # id, seq, table, from, to, on_update, on_delete, match
            fks.append(ForeignKey(column=r[3], table=r[2], to=r[4] or ""))
            declared.add(r[3])
        for col, parent in IMPLIED_FKS.items():
            if col in columns and col not in declared and name != parent:
                fks.append(ForeignKey(column=col, table=parent, to=""))
        out[name] = TableInfo(name, columns, rowid_pk, pk, fks)
    for t in out.values():  # a foreign key without "to" means the parent's key
        t.fks = [
            fk
            if fk.to or fk.table not in out
            else ForeignKey(fk.column, fk.table, (out[fk.table].pk or ["rowid"])[0])
            for fk in t.fks
        ]
    return out


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def owned_tables(schema: dict[str, TableInfo]) -> tuple[list[str], list[str]]:
    """(tables whose rows belong to a case, shared tables owned rows point at),
    each in an order where parents come before children."""
    owned = {"cases"} if "cases" in schema else set()
    changed = True
    while changed:
        changed = False
        for t in schema.values():
            if t.name in owned:
                continue
            if "case_id" in t.columns or any(fk.table in owned for fk in t.fks):
                owned.add(t.name)
                changed = True
    shared = {fk.table for t in schema.values() if t.name in owned for fk in t.fks} - owned
    shared &= set(schema)
    return _topo(schema, shared), _topo(schema, owned)


def _topo(schema: dict[str, TableInfo], names: set[str]) -> list[str]:
    order: list[str] = []
    seen: set[str] = set()

    def visit(n: str, stack: tuple[str, ...]) -> None:
        if n in seen or n in stack:
            return
        for fk in schema[n].fks:
            if fk.table in names and fk.table != n:
                visit(fk.table, (*stack, n))
        seen.add(n)
        order.append(n)

    for n in sorted(names):
        visit(n, ())
    return order


def applied_migrations(con: sqlite3.Connection) -> list[str]:
    try:
        return [
            r[0]
            for r in con.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                (migrations.name,),
            )
        ]
    except sqlite3.Error:
        return []


# ---- rows to JSON and back --------------------------------------------------
def jsonable(v: Any) -> Any:
    if isinstance(v, bytes):
        return {"$bytes": base64.b64encode(v).decode("ascii")}
    return v


def from_json(v: Any) -> Any:
    if isinstance(v, dict) and set(v) == {"$bytes"}:
        return base64.b64decode(v["$bytes"])
    return v


def _rows_where(
    con: sqlite3.Connection, table: str, cols: str, column: str, values: set[Any]
) -> dict[Any, tuple[Any, ...]]:
    """The rows of ``table`` whose ``column`` is one of ``values``, by rowid (in
    batches of 500, well under SQLite's limit on bound parameters)."""
    found: dict[Any, tuple[Any, ...]] = {}
    vals = sorted(values, key=repr)
    for i in range(0, len(vals), 500):
        part = vals[i : i + 500]
        for row in con.execute(
            f"SELECT rowid, {cols} FROM {quote_ident(table)} "
            f"WHERE {quote_ident(column)} IN ({', '.join('?' * len(part))})",
            part,
        ):
            found[row[0]] = tuple(row[1:])
    return found


def collect_case_rows(
    con: sqlite3.Connection, case_id: int
) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """Every row the case owns, as {table: {"columns": [...], "rows": [[...]]}},
    and the SHA-256 of every blob they name."""
    schema = read_schema(con)
    shared, owned = owned_tables(schema)
    keys: dict[tuple[str, str], set[Any]] = {}  # (table, column) -> values of owned rows
    tables: dict[str, dict[str, Any]] = {}

    def select(t: TableInfo) -> list[tuple[Any, ...]]:
        cols = ", ".join(quote_ident(c) for c in t.columns)
        if t.name == "cases":
            return con.execute(
                f"SELECT {cols} FROM cases WHERE {quote_ident(t.rowid_pk or 'id')} = ?", (case_id,)
            ).fetchall()
        if "case_id" in t.columns:
            return con.execute(
                f"SELECT {cols} FROM {quote_ident(t.name)} WHERE case_id = ? ORDER BY rowid",
                (case_id,),
            ).fetchall()
        found: dict[Any, tuple[Any, ...]] = {}
        for fk in t.fks:
            parent_keys = keys.get((fk.table, fk.to))
            if fk.table not in owned or not parent_keys:
                continue
            found.update(_rows_where(con, t.name, cols, fk.column, parent_keys))
        return [found[k] for k in sorted(found)]

    for name in owned:
        t = schema[name]
        rows = select(t)
        tables[name] = {"columns": t.columns, "rows": [[jsonable(v) for v in r] for r in rows]}
        for col_i, col in enumerate(t.columns):
            keys[(name, col)] = {r[col_i] for r in rows if r[col_i] is not None}
    # shared parents: only the rows owned rows point at
    for name in shared:
        t = schema[name]
        wanted: dict[str, set[Any]] = {}
        for o in owned:
            for fk in schema[o].fks:
                if fk.table == name:
                    wanted.setdefault(fk.to, set()).update(keys.get((o, fk.column), set()))
        found: dict[Any, tuple[Any, ...]] = {}
        cols = ", ".join(quote_ident(c) for c in t.columns)
        for col, vals_set in wanted.items():
            found.update(_rows_where(con, name, cols, col, vals_set))
        tables[name] = {
            "columns": t.columns,
            "rows": [[jsonable(v) for v in found[k]] for k in sorted(found)],
        }
    return tables, blob_shas(tables, schema)


def blob_shas(tables: dict[str, dict[str, Any]], schema: dict[str, TableInfo]) -> set[str]:
    """Blobs named by the rows: the ``blobs`` table's keys and every column with a
    foreign key into it (``exhibit_files.pdf_sha256``, and any added later)."""
    shas: set[str] = set()
    blobs = tables.get("blobs")
    if blobs and "sha256" in blobs["columns"]:
        i = blobs["columns"].index("sha256")
        shas.update(r[i] for r in blobs["rows"] if isinstance(r[i], str))
    for name, payload in tables.items():
        info = schema.get(name)
        if info is None:
            continue
        for fk in info.fks:
            if fk.table == "blobs" and fk.column in payload["columns"]:
                i = payload["columns"].index(fk.column)
                shas.update(r[i] for r in payload["rows"] if isinstance(r[i], str))
    return shas
