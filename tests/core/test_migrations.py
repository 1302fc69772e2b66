"""Migrations: an empty database gets the current schema (compared with a
snapshot), and a committed first-version database upgrades with its data.

When you add a migration on purpose, refresh the snapshot:
    PDPACKET_UPDATE_SCHEMA=1 python -m pytest tests/core/test_migrations.py
"""

import os
import shutil
import sqlite3
from pathlib import Path

from pdpacket.store.database import Store
from pdpacket.store.migrations import migrations

RES = Path(__file__).parent.parent / "resources"
SNAPSHOT = RES / "schema.sql"


def schema_of(db_path: Path) -> str:
    con = sqlite3.connect(db_path)
    rows = con.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
        "AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    con.close()
    return "\n".join(" ".join(sql.split()) + ";" for _, _, sql in rows) + "\n"


def test_empty_database_gets_the_snapshot_schema(tmp_path):
    store = Store(tmp_path)
    store.close()
    schema = schema_of(tmp_path / "pdpacket.db")
    if os.environ.get("PDPACKET_UPDATE_SCHEMA"):
        SNAPSHOT.write_text(schema)
    assert schema == SNAPSHOT.read_text(), "schema changed: add a migration, refresh the snapshot"


def test_migrations_are_recorded_and_not_reapplied(tmp_path):
    Store(tmp_path).close()
    store = Store(tmp_path)
    applied = [m.name for m in migrations.applied(store.db)]
    assert applied == [m.name for m in migrations._migrations]
    assert migrations.pending(store.db) == []
    store.close()


def test_first_version_database_upgrades_with_its_data(tmp_path):
    shutil.copy(RES / "pdpacket-v1.db", tmp_path / "pdpacket.db")
    store = Store(tmp_path)
    [case] = store.list_cases()
    assert case.client.name == "Version One Client"
    assert case.client.a_number_display == "A098-765-432"
    assert store.factor_answers(case.id)["long_residence"].notes == "since 2005"
    [ex] = store.list_exhibits(case.id)
    assert ex.title == "Lease" and ex.pages == 1
    assert migrations.pending(store.db) == []
    store.close()
    assert schema_of(tmp_path / "pdpacket.db") == SNAPSHOT.read_text()
