"""The case store: SQLite (WAL, foreign keys) plus the content-addressed blobs.

Rows never leave this module: callers get the dataclasses of ``model``.
A ``Store`` (its connection) belongs to the thread that opened it; a worker
thread opens its own.  Multi-row writes go in one transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from pdpacket.errors import NotFoundError
from pdpacket.model import (
    Attorney,
    BuildRecord,
    Case,
    CaseDocument,
    Client,
    DocumentRole,
    Exhibit,
    ExhibitFile,
    FactorAnswer,
    FileRole,
    Letter,
    LetterConflict,
    Proceedings,
    TranslationOrder,
    Translator,
)
from pdpacket.store import backup, page_edits
from pdpacket.store.blobs import BlobStore
from pdpacket.store.migrations import migrations
from pdpacket.store.paths import BLOBS_DIR, DB_NAME, ensure_private_dir
from pdpacket.store.transactions import as_ours as _as_ours
from pdpacket.store.transactions import immediate
from pdpacket.store.transactions import sqlite_errors_as_ours as _sqlite_errors_as_ours
from pdpacket.store.values import exhibit_values, normalise_client, normalise_proceedings


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


CLIENT_FIELDS = {f.name for f in fields(Client)}
PROCEEDINGS_FIELDS = {f.name for f in fields(Proceedings)}
EXHIBIT_EDITABLE = {
    "title",
    "description",
    "doc_date",
    "doc_date_end",
    "factor_ids",
    "document_type",
    "language",
    "section",
    "included",
    "translator",
    "translation_order",
    "guessed",
}


class Store:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = ensure_private_dir(Path(data_dir))
        self.db_path = self.data_dir / DB_NAME
        conn = sqlite3.connect(str(self.db_path), timeout=30, isolation_level=None)
        self.db = Database(conn)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA busy_timeout=30000")
        self._migrate()
        if self.db_path.exists():
            self.db_path.chmod(0o600)
        self.blobs = BlobStore(self.data_dir / BLOBS_DIR)

    def _migrate(self) -> None:
        """Apply pending migrations; an existing database is backed up first."""
        pending = migrations.pending(self.db)
        if pending and backup.has_user_tables(self.db.conn):
            backup.create_backup(self.db.conn, self.data_dir, "migration")
            backup.prune(self.data_dir, backup.read_keep(self.db.conn))
        migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    # ---- transactions -------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        with _sqlite_errors_as_ours(self.data_dir), immediate(self.db):
            yield

    def _q(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cur = self.db.execute(sql, params)
        cols = [c[0] for c in cur.description] if cur.description else []
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def audit(self, case_id: int | None, action: str, **detail: Any) -> None:
        self.db.execute(
            "INSERT INTO audit_log (at, case_id, action, detail) VALUES (?, ?, ?, ?)",
            (now_iso(), case_id, action, json.dumps(detail, default=str, sort_keys=True)),
        )

    def audit_entries(self, case_id: int) -> list[dict[str, Any]]:
        rows = self._q("SELECT * FROM audit_log WHERE case_id = ? ORDER BY id", (case_id,))
        for r in rows:
            r["detail"] = json.loads(r["detail"])
        return rows

    # ---- settings -----------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._q("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, sort_keys=True)),
        )

    def attorney(self) -> Attorney:
        data = self.get_setting("attorney", {}) or {}
        return Attorney(
            **{k: v for k, v in data.items() if k in {f.name for f in fields(Attorney)}}
        )

    def set_attorney(self, attorney: Attorney) -> None:
        with self.transaction():
            self.set_setting("attorney", asdict(attorney))
            self.audit(None, "attorney.update")

    # ---- cases --------------------------------------------------------
    def create_case(self, client: Client, proceedings: Proceedings | None = None) -> int:
        client = normalise_client(client)
        proceedings = normalise_proceedings(proceedings or Proceedings())
        ts = now_iso()
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO cases (created_at, updated_at) VALUES (?, ?)", (ts, ts)
            )
            case_id = int(cur.lastrowid or 0)
            self._write_client(case_id, client)
            self._write_proceedings(case_id, proceedings)
            self.audit(case_id, "case.create", name=client.name)
        return case_id

    def _write_client(self, case_id: int, c: Client) -> None:
        self.db.execute(
            "INSERT INTO clients (case_id, name, aliases, a_number, dob, country, language) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(case_id) DO UPDATE SET "
            "name=excluded.name, aliases=excluded.aliases, a_number=excluded.a_number, "
            "dob=excluded.dob, country=excluded.country, language=excluded.language",
            (
                case_id,
                c.name,
                json.dumps(list(c.aliases)),
                c.a_number,
                _iso(c.dob),
                c.country,
                c.language,
            ),
        )

    def _write_proceedings(self, case_id: int, p: Proceedings) -> None:
        self.db.execute(
            "INSERT INTO proceedings (case_id, court_id, judge, hearing_date, hearing_type, "
            "detained, facility, opla_office_id, receipts, stage, pd_form, framework_id, "
            "joint_motion, decision_date, destination, motion_grounds) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(case_id) DO UPDATE SET court_id=excluded.court_id, "
            "judge=excluded.judge, hearing_date=excluded.hearing_date, "
            "hearing_type=excluded.hearing_type, detained=excluded.detained, "
            "facility=excluded.facility, opla_office_id=excluded.opla_office_id, "
            "receipts=excluded.receipts, stage=excluded.stage, pd_form=excluded.pd_form, "
            "framework_id=excluded.framework_id, joint_motion=excluded.joint_motion, "
            "decision_date=excluded.decision_date, destination=excluded.destination, "
            "motion_grounds=excluded.motion_grounds",
            (
                case_id,
                p.court_id,
                p.judge,
                _iso(p.hearing_date),
                p.hearing_type,
                int(p.detained),
                p.facility,
                p.opla_office_id,
                json.dumps(list(p.receipts)),
                p.stage,
                p.pd_form,
                p.framework_id,
                int(p.joint_motion),
                _iso(p.decision_date),
                p.destination,
                p.motion_grounds,
            ),
        )

    def _touch(self, case_id: int) -> None:
        self.db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (now_iso(), case_id))

    def update_client(self, case_id: int, **changes: Any) -> Case:
        case = self.get_case(case_id)
        unknown = set(changes) - CLIENT_FIELDS
        if unknown:
            raise ValueError(f"unknown client fields: {sorted(unknown)}")
        client = normalise_client(replace(case.client, **changes))
        with self.transaction():
            self._write_client(case_id, client)
            self._touch(case_id)
            self.audit(case_id, "client.update", **{k: str(v) for k, v in changes.items()})
        return self.get_case(case_id)

    def update_proceedings(self, case_id: int, **changes: Any) -> Case:
        case = self.get_case(case_id)
        unknown = set(changes) - PROCEEDINGS_FIELDS
        if unknown:
            raise ValueError(f"unknown proceedings fields: {sorted(unknown)}")
        proceedings = normalise_proceedings(replace(case.proceedings, **changes))
        with self.transaction():
            self._write_proceedings(case_id, proceedings)
            self._touch(case_id)
            self.audit(case_id, "proceedings.update", **{k: str(v) for k, v in changes.items()})
        return self.get_case(case_id)

    def set_archived(self, case_id: int, archived: bool) -> None:
        self.get_case(case_id)
        with self.transaction():
            self.db.execute("UPDATE cases SET archived = ? WHERE id = ?", (int(archived), case_id))
            self.audit(case_id, "case.archive" if archived else "case.unarchive")

    def delete_case(self, case_id: int) -> None:
        self.get_case(case_id)
        with self.transaction():
            self.db.execute("DELETE FROM cases WHERE id = ?", (case_id,))
            self.audit(case_id, "case.delete")

    def _case_from_row(self, r: dict[str, Any]) -> Case:
        return Case(
            id=r["id"],
            created_at=r["created_at"],
            updated_at=r["updated_at"],
            archived=bool(r["archived"]),
            client=Client(
                name=r["name"],
                aliases=tuple(json.loads(r["aliases"])),
                a_number=r["a_number"],
                dob=_date(r["dob"]),
                country=r["country"],
                language=r["language"],
            ),
            proceedings=Proceedings(
                court_id=r["court_id"],
                judge=r["judge"],
                hearing_date=_date(r["hearing_date"]),
                hearing_type=r["hearing_type"],
                detained=bool(r["detained"]),
                facility=r["facility"],
                opla_office_id=r["opla_office_id"],
                receipts=tuple(json.loads(r["receipts"])),
                stage=r["stage"],
                pd_form=r["pd_form"],
                framework_id=r["framework_id"],
                joint_motion=bool(r["joint_motion"]),
                decision_date=_date(r["decision_date"]),
                destination=r["destination"] or "",
                motion_grounds=r["motion_grounds"] or "",
            ),
        )

    _CASE_SQL = (
        "SELECT c.id, c.created_at, c.updated_at, c.archived, cl.name, cl.aliases, "
        "cl.a_number, cl.dob, cl.country, cl.language, p.court_id, p.judge, p.hearing_date, "
        "p.hearing_type, p.detained, p.facility, p.opla_office_id, p.receipts, p.stage, "
        "p.pd_form, p.framework_id, p.joint_motion, p.decision_date, p.destination, "
        "p.motion_grounds "
        "FROM cases c "
        "JOIN clients cl ON cl.case_id = c.id JOIN proceedings p ON p.case_id = c.id"
    )

    def get_case(self, case_id: int) -> Case:
        rows = self._q(self._CASE_SQL + " WHERE c.id = ?", (case_id,))
        if not rows:
            raise NotFoundError(
                f"There is no case {case_id}.", hint="Run `pdpacket list` to see the cases."
            )
        return self._case_from_row(rows[0])

    def list_cases(self, *, include_archived: bool = False) -> list[Case]:
        where = "" if include_archived else " WHERE c.archived = 0"
        rows = self._q(self._CASE_SQL + where + " ORDER BY c.id")
        return [self._case_from_row(r) for r in rows]

    def exhibit_counts(self) -> dict[int, int]:
        """How many exhibits each case has (for the case list)."""
        rows = self._q("SELECT case_id, COUNT(*) AS n FROM exhibits GROUP BY case_id")
        return {int(r["case_id"]): int(r["n"]) for r in rows}

    def duplicate_case(self, case_id: int, *, name: str = "") -> int:
        """A new case with the same client, proceedings, factor answers and exhibits
        (sharing the stored evidence files); builds and the audit trail stay behind."""
        case = self.get_case(case_id)
        client = replace(case.client, name=name.strip() or f"{case.client.name} (copy)")
        answers = self.factor_answers(case_id)
        exhibits = self.list_exhibits(case_id)
        with self.transaction():
            new_id = self.create_case(client, case.proceedings)
            for answer in answers.values():
                self.set_factor_answer(new_id, answer)
            for ex in exhibits:
                ex_id = self.add_exhibit(
                    new_id,
                    ex.title,
                    description=ex.description,
                    doc_date=ex.doc_date,
                    doc_date_end=ex.doc_date_end,
                    factor_ids=list(ex.factor_ids),
                    document_type=ex.document_type,
                    language=ex.language,
                    section=ex.section,
                    included=ex.included,
                    translator=ex.translator,
                    translation_order=ex.translation_order,
                    guessed=ex.guessed,
                )
                for f in ex.files:
                    new_file = self.add_exhibit_file(
                        ex_id,
                        role=f.role,
                        original_name=f.original_name,
                        original_sha256=f.original_sha256,
                        pdf_sha256=f.pdf_sha256,
                        pages=f.pages,
                        warnings=f.warnings,
                        recovered=f.recovered,
                    )
                    page_edits.copy(self.db, f, new_file)
            self.audit(new_id, "case.duplicate", source=case_id)
        return new_id

    # ---- factor answers -----------------------------------------------
    def set_factor_answer(self, case_id: int, answer: FactorAnswer) -> None:
        a = answer.with_state(answer.state)  # an answer that applies is answered
        with self.transaction():
            self.db.execute(
                "INSERT INTO factor_answers (case_id, factor_id, applies, notes, explanation, "
                "answered) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(case_id, factor_id) DO UPDATE "
                "SET applies=excluded.applies, notes=excluded.notes, "
                "explanation=excluded.explanation, answered=excluded.answered",
                (case_id, a.factor_id, int(a.applies), a.notes, a.explanation, int(a.answered)),
            )
            self._touch(case_id)
            self.audit(case_id, "factor.update", factor=answer.factor_id, state=str(answer.state))

    def delete_factor_answer(self, case_id: int, factor_id: str) -> None:
        """Forget one answer (e.g. one the case's framework does not have)."""
        with self.transaction():
            self.db.execute(
                "DELETE FROM factor_answers WHERE case_id = ? AND factor_id = ?",
                (case_id, factor_id),
            )
            self._touch(case_id)
            self.audit(case_id, "factor.clear", factor=factor_id)

    def factor_answers(self, case_id: int) -> dict[str, FactorAnswer]:
        rows = self._q(
            "SELECT * FROM factor_answers WHERE case_id = ? ORDER BY factor_id", (case_id,)
        )
        return {
            r["factor_id"]: FactorAnswer(
                factor_id=r["factor_id"],
                applies=bool(r["applies"]),
                notes=r["notes"],
                explanation=r["explanation"],
                answered=bool(r["answered"]),
            )
            for r in rows
        }

    # ---- the request letter ---------------------------------------
    def get_letter(self, case_id: int) -> Letter | None:
        rows = self._q("SELECT * FROM letters WHERE case_id = ?", (case_id,))
        if not rows:
            return None
        r = rows[0]
        return Letter(
            case_id=r["case_id"],
            text=r["text"],
            draft_text=r["draft_text"],
            generated_from_hash=r["generated_from_hash"],
            conflicts=tuple(LetterConflict(**c) for c in json.loads(r["conflicts"])),
            created_at=r["created_at"],
            updated_at=r["updated_at"],
        )

    def save_letter(
        self,
        case_id: int,
        text: str,
        *,
        draft_text: str | None = None,
        generated_from_hash: str | None = None,
        conflicts: Sequence[LetterConflict] | None = None,
        action: str = "letter.edit",
    ) -> Letter:
        """Create or update the case's letter; ``None`` keeps a stored value."""
        self.get_case(case_id)
        old = self.get_letter(case_id)
        ts = now_iso()
        draft = draft_text if draft_text is not None else (old.draft_text if old else text)
        gen_hash = (
            generated_from_hash
            if generated_from_hash is not None
            else (old.generated_from_hash if old else "")
        )
        kept = conflicts if conflicts is not None else (old.conflicts if old else ())
        with self.transaction():
            self.db.execute(
                "INSERT INTO letters (case_id, text, draft_text, generated_from_hash, conflicts, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(case_id) DO "
                "UPDATE SET text=excluded.text, draft_text=excluded.draft_text, "
                "generated_from_hash=excluded.generated_from_hash, conflicts=excluded.conflicts, "
                "updated_at=excluded.updated_at",
                (
                    case_id,
                    text,
                    draft,
                    gen_hash,
                    json.dumps([asdict(c) for c in kept], ensure_ascii=False),
                    ts,
                    ts,
                ),
            )
            self.audit(case_id, action, chars=len(text), conflicts=len(kept))
        letter = self.get_letter(case_id)
        assert letter is not None
        return letter

    def delete_letter(self, case_id: int) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM letters WHERE case_id = ?", (case_id,))
            self.audit(case_id, "letter.delete")

    # ---- blobs --------------------------------------------------------
    def register_blob(self, sha: str, size: int, kind: str, pages: int = 0) -> None:
        """Record a blob already written to the blob store (call inside a transaction)."""
        self.db.execute(
            "INSERT INTO blobs (sha256, size, kind, pages, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(sha256) DO NOTHING",
            (sha, size, kind, pages, now_iso()),
        )

    def referenced_blobs(self) -> set[str]:
        rows = self._q(
            "SELECT original_sha256 AS s FROM exhibit_files UNION "
            "SELECT pdf_sha256 AS s FROM exhibit_files UNION SELECT sha256 AS s FROM blobs"
        )
        return {r["s"] for r in rows}

    def sweep_blobs(self, also_keep: Iterable[str] = ()) -> list[str]:
        """Remove blob rows no exhibit uses, then files with no row (crash leftovers),
        keeping ``also_keep`` (blobs that kept backups name).  Skipped, returning [],
        while another job is writing evidence (``BlobStore.writing``)."""
        with self.blobs.sweeping() as free:
            if not free:
                return []
            with self.transaction():
                self.db.execute(
                    "DELETE FROM blobs WHERE sha256 NOT IN "
                    "(SELECT original_sha256 FROM exhibit_files) "
                    "AND sha256 NOT IN (SELECT pdf_sha256 FROM exhibit_files) "
                    "AND sha256 NOT IN (SELECT original_sha256 FROM case_documents) "
                    "AND sha256 NOT IN (SELECT pdf_sha256 FROM case_documents) "
                    "AND sha256 NOT IN (SELECT unredacted_sha256 FROM redacted_files)"
                )
            return self.blobs.sweep(self.referenced_blobs() | set(also_keep))

    def find_file_by_original(self, case_id: int, original_sha: str) -> ExhibitFile | None:
        rows = self._q(
            "SELECT f.* FROM exhibit_files f JOIN exhibits e ON e.id = f.exhibit_id "
            "WHERE e.case_id = ? AND f.original_sha256 = ? LIMIT 1",
            (case_id, original_sha),
        )
        return self._file_from_row(rows[0]) if rows else None

    # ---- exhibits -----------------------------------------------------
    def add_exhibit(
        self,
        case_id: int,
        title: str,
        *,
        position: int | None = None,
        **attrs: Any,
    ) -> int:
        """Create an exhibit at the end (or at ``position``). Call inside a transaction
        when files are added with it."""
        self.get_case(case_id)
        bad = set(attrs) - EXHIBIT_EDITABLE
        if bad:
            raise ValueError(f"unknown exhibit fields: {sorted(bad)}")
        if position is None:
            row = self._q(
                "SELECT COALESCE(MAX(position), -1) + 1 AS p FROM exhibits WHERE case_id = ?",
                (case_id,),
            )
            position = int(row[0]["p"])
        else:
            self.db.execute(
                "UPDATE exhibits SET position = position + 1 WHERE case_id = ? AND position >= ?",
                (case_id, position),
            )
        values = exhibit_values({"title": title, **attrs})
        cols = ["case_id", "position", "created_at", *values]
        cur = self.db.execute(
            f"INSERT INTO exhibits ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            (case_id, position, now_iso(), *values.values()),
        )
        exhibit_id = int(cur.lastrowid or 0)
        self._touch(case_id)
        self.audit(case_id, "exhibit.add", exhibit=exhibit_id, title=title)
        return exhibit_id

    def add_exhibit_file(
        self,
        exhibit_id: int,
        *,
        role: FileRole,
        original_name: str,
        original_sha256: str,
        pdf_sha256: str,
        pages: int,
        warnings: Iterable[str] = (),
        recovered: bool = False,
    ) -> int:
        row = self._q(
            "SELECT COALESCE(MAX(position), -1) + 1 AS p FROM exhibit_files WHERE exhibit_id = ?",
            (exhibit_id,),
        )
        cur = self.db.execute(
            "INSERT INTO exhibit_files (exhibit_id, position, role, original_name, "
            "original_sha256, pdf_sha256, pages, warnings, recovered) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                exhibit_id,
                int(row[0]["p"]),
                str(role),
                original_name,
                original_sha256,
                pdf_sha256,
                pages,
                json.dumps(list(warnings)),
                int(recovered),
            ),
        )
        return int(cur.lastrowid or 0)

    def confirm_file(self, file_id: int) -> ExhibitFile:
        """Record that the user compared a recovered file's pages with the original."""
        rows = self._q(
            "SELECT f.id, e.case_id, f.original_name FROM exhibit_files f "
            "JOIN exhibits e ON e.id = f.exhibit_id WHERE f.id = ?",
            (file_id,),
        )
        if not rows:
            raise NotFoundError(f"There is no evidence file {file_id}.")
        with self.transaction():
            self.db.execute(
                "UPDATE exhibit_files SET confirmed_at = ? WHERE id = ?", (now_iso(), file_id)
            )
            self._touch(rows[0]["case_id"])
            self.audit(
                rows[0]["case_id"], "file.confirm", file=file_id, name=rows[0]["original_name"]
            )
        frows = self._q(
            "SELECT f.*, b.size AS size, pe.layout AS layout FROM exhibit_files f LEFT JOIN "
            "blobs b ON b.sha256 = f.pdf_sha256 LEFT JOIN page_edits pe ON pe.file_id = f.id "
            "WHERE f.id = ?",
            (file_id,),
        )
        return self._file_from_row(frows[0])

    def update_exhibit(self, exhibit_id: int, **changes: Any) -> Exhibit:
        ex = self.get_exhibit(exhibit_id)
        bad = set(changes) - EXHIBIT_EDITABLE
        if bad:
            raise ValueError(f"unknown exhibit fields: {sorted(bad)}")
        if ex.guessed and "guessed" not in changes and set(changes) & set(ex.guessed):
            changes["guessed"] = [g for g in ex.guessed if g not in changes]  # now stated
        values = exhibit_values(changes)
        if values:
            with self.transaction():
                sets = ", ".join(f"{k} = ?" for k in values)
                self.db.execute(
                    f"UPDATE exhibits SET {sets} WHERE id = ?", (*values.values(), exhibit_id)
                )
                self._touch(ex.case_id)
                self.audit(ex.case_id, "exhibit.update", exhibit=exhibit_id, fields=sorted(values))
        return self.get_exhibit(exhibit_id)

    def remove_exhibit(self, exhibit_id: int) -> None:
        ex = self.get_exhibit(exhibit_id)
        with self.transaction():
            self.db.execute("DELETE FROM exhibits WHERE id = ?", (exhibit_id,))
            self.db.execute(
                "UPDATE exhibits SET position = position - 1 WHERE case_id = ? AND position > ?",
                (ex.case_id, ex.position),
            )
            self._touch(ex.case_id)
            self.audit(ex.case_id, "exhibit.remove", exhibit=exhibit_id, title=ex.title)

    def reorder_exhibits(self, case_id: int, exhibit_ids: Sequence[int]) -> None:
        current = [e.id for e in self.list_exhibits(case_id)]
        if sorted(current) != sorted(exhibit_ids):
            raise ValueError("reorder must name every exhibit of the case exactly once")
        with self.transaction():
            for pos, ex_id in enumerate(exhibit_ids):
                self.db.execute("UPDATE exhibits SET position = ? WHERE id = ?", (pos, ex_id))
            self._touch(case_id)
            self.audit(case_id, "exhibit.reorder", order=list(exhibit_ids))

    def restore_exhibit(self, exhibit: Exhibit) -> None:
        """Put back an exhibit taken out with ``remove_exhibit`` (undo): the same id,
        place in the order and files (their blobs stay until ``sweep_blobs``)."""
        self.get_case(exhibit.case_id)
        if self._q("SELECT 1 FROM exhibits WHERE id = ?", (exhibit.id,)):
            raise ValueError(f"exhibit {exhibit.id} exists already")
        shas = {s for f in exhibit.files for s in (f.original_sha256, f.pdf_sha256)}
        known = (
            {
                r["sha256"]
                for r in self._q(
                    f"SELECT sha256 FROM blobs WHERE sha256 IN ({', '.join('?' * len(shas))})",
                    sorted(shas),
                )
            }
            if shas
            else set()
        )
        if any(s not in known or not self.blobs.exists(s) for s in shas):
            raise NotFoundError(
                f"The files of exhibit '{exhibit.title}' are no longer in the evidence "
                "store, so it cannot be put back.",
                hint="Add the files again on the Evidence step.",
            )
        count = self._q("SELECT COUNT(*) AS n FROM exhibits WHERE case_id = ?", (exhibit.case_id,))
        position = max(0, min(exhibit.position, int(count[0]["n"])))
        values = exhibit_values(
            {
                "title": exhibit.title,
                "description": exhibit.description,
                "doc_date": exhibit.doc_date,
                "doc_date_end": exhibit.doc_date_end,
                "factor_ids": exhibit.factor_ids,
                "document_type": exhibit.document_type,
                "language": exhibit.language,
                "section": exhibit.section,
                "included": exhibit.included,
                "translator": exhibit.translator,
                "translation_order": exhibit.translation_order,
                "guessed": exhibit.guessed,
            }
        )
        cols = ["id", "case_id", "position", "created_at", *values]
        with self.transaction():
            self.db.execute(
                "UPDATE exhibits SET position = position + 1 WHERE case_id = ? AND position >= ?",
                (exhibit.case_id, position),
            )
            self.db.execute(
                f"INSERT INTO exhibits ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                (exhibit.id, exhibit.case_id, position, now_iso(), *values.values()),
            )
            for f in exhibit.files:
                self.db.execute(
                    "INSERT INTO exhibit_files (id, exhibit_id, position, role, original_name, "
                    "original_sha256, pdf_sha256, pages, warnings, recovered, confirmed_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        f.id,
                        exhibit.id,
                        f.position,
                        str(f.role),
                        f.original_name,
                        f.original_sha256,
                        f.pdf_sha256,
                        f.pages,
                        json.dumps(list(f.warnings)),
                        int(f.recovered),
                        now_iso() if f.confirmed else None,
                    ),
                )
                page_edits.copy(self.db, f, f.id)
            self._touch(exhibit.case_id)
            self.audit(exhibit.case_id, "exhibit.restore", exhibit=exhibit.id, title=exhibit.title)

    def merge_as_translation(self, exhibit_id: int, translation_exhibit_id: int) -> Exhibit:
        """Pair a translation with a foreign-language document: the files of exhibit
        ``translation_exhibit_id`` become the translation of ``exhibit_id``, and that
        exhibit goes away."""
        target = self.get_exhibit(exhibit_id)
        source = self.get_exhibit(translation_exhibit_id)
        if source.id == target.id or source.case_id != target.case_id:
            raise ValueError("a translation is paired with another exhibit of the same case")
        with self.transaction():
            for f in source.files:
                new_file = self.add_exhibit_file(
                    target.id,
                    role=FileRole.TRANSLATION if f.role == FileRole.DOCUMENT else f.role,
                    original_name=f.original_name,
                    original_sha256=f.original_sha256,
                    pdf_sha256=f.pdf_sha256,
                    pages=f.pages,
                    warnings=f.warnings,
                )
                page_edits.copy(self.db, f, new_file)
            self.remove_exhibit(source.id)
            self.audit(
                target.case_id, "exhibit.pair_translation", exhibit=target.id, source=source.id
            )
        return self.get_exhibit(target.id)

    def _file_from_row(self, r: dict[str, Any]) -> ExhibitFile:
        return ExhibitFile(
            id=r["id"],
            role=FileRole(r["role"]),
            original_name=r["original_name"],
            original_sha256=r["original_sha256"],
            pdf_sha256=r["pdf_sha256"],
            pages=r["pages"],
            size=r.get("size") or 0,
            warnings=tuple(json.loads(r["warnings"])),
            position=r["position"],
            recovered=bool(r.get("recovered") or 0),
            confirmed=bool(r.get("confirmed_at")),
            layout=page_edits.decode(r.get("layout")),
        )

    def _exhibits(self, where: str, params: Sequence[Any]) -> list[Exhibit]:
        rows = self._q(f"SELECT * FROM exhibits WHERE {where} ORDER BY position, id", params)
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ", ".join("?" * len(ids))
        frows = self._q(
            f"SELECT f.*, b.size AS size, pe.layout AS layout FROM exhibit_files f LEFT JOIN "
            f"blobs b ON b.sha256 = f.pdf_sha256 LEFT JOIN page_edits pe ON pe.file_id = f.id "
            f"WHERE f.exhibit_id IN ({marks}) "
            f"ORDER BY f.exhibit_id, f.position, f.id",
            ids,
        )
        files: dict[int, list[ExhibitFile]] = {}
        for fr in frows:
            files.setdefault(fr["exhibit_id"], []).append(self._file_from_row(fr))
        return [
            Exhibit(
                id=r["id"],
                case_id=r["case_id"],
                position=r["position"],
                title=r["title"],
                description=r["description"],
                doc_date=_date(r["doc_date"]),
                doc_date_end=_date(r["doc_date_end"]),
                factor_ids=tuple(json.loads(r["factor_ids"])),
                document_type=r["document_type"],
                language=r["language"],
                section=r["section"],
                included=bool(r["included"]),
                translator=Translator(**json.loads(r["translator"])),
                translation_order=TranslationOrder(r["translation_order"]),
                files=tuple(files.get(r["id"], ())),
                guessed=tuple(json.loads(r["guessed"])),
            )
            for r in rows
        ]

    def list_exhibits(self, case_id: int) -> list[Exhibit]:
        return self._exhibits("case_id = ?", (case_id,))

    def get_exhibit(self, exhibit_id: int) -> Exhibit:
        found = self._exhibits("id = ?", (exhibit_id,))
        if not found:
            raise NotFoundError(f"There is no exhibit {exhibit_id}.")
        return found[0]

    # ---- case documents -----------------------------------------
    def set_case_document(
        self,
        case_id: int,
        role: DocumentRole | str,
        *,
        original_name: str,
        original_sha256: str,
        pdf_sha256: str,
        pages: int,
    ) -> None:
        """Store (or replace) the case's document in ``role``; its blobs must be
        registered already (call inside the same transaction)."""
        role = DocumentRole(role)
        self.get_case(case_id)
        with self.transaction():
            self.db.execute(
                "INSERT INTO case_documents (case_id, role, original_name, original_sha256, "
                "pdf_sha256, pages, added_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(case_id, role) DO UPDATE SET original_name=excluded.original_name, "
                "original_sha256=excluded.original_sha256, pdf_sha256=excluded.pdf_sha256, "
                "pages=excluded.pages, added_at=excluded.added_at",
                (case_id, str(role), original_name, original_sha256, pdf_sha256, pages, now_iso()),
            )
            self._touch(case_id)
            self.audit(case_id, "document.set", role=str(role), name=original_name)

    def remove_case_document(self, case_id: int, role: DocumentRole | str) -> bool:
        role = DocumentRole(role)
        with self.transaction():
            cur = self.db.execute(
                "DELETE FROM case_documents WHERE case_id = ? AND role = ?", (case_id, str(role))
            )
            removed = bool(cur.rowcount)
            if removed:
                self._touch(case_id)
                self.audit(case_id, "document.remove", role=str(role))
        return removed

    def case_documents(self, case_id: int) -> list[CaseDocument]:
        rows = self._q("SELECT * FROM case_documents WHERE case_id = ? ORDER BY role", (case_id,))
        return [
            CaseDocument(
                case_id=r["case_id"],
                role=DocumentRole(r["role"]),
                original_name=r["original_name"],
                original_sha256=r["original_sha256"],
                pdf_sha256=r["pdf_sha256"],
                pages=r["pages"],
                added_at=r["added_at"],
            )
            for r in rows
        ]

    # ---- builds -------------------------------------------------------
    def record_build(
        self,
        case_id: int,
        *,
        path: str,
        pages: int,
        size: int,
        sha256: str,
        options: dict[str, Any],
        files: Sequence[str],
        final: bool | None = None,
        draft_reasons: Sequence[str] = (),
    ) -> int:
        """Record a build: ``final`` True (no review error, no DRAFT mark), False
        (a draft, ``draft_reasons`` says why) or None (not checked)."""
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO builds (case_id, created_at, path, pages, size, sha256, options, "
                "files, final, draft_reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    now_iso(),
                    path,
                    pages,
                    size,
                    sha256,
                    json.dumps(options, default=str, sort_keys=True),
                    json.dumps(list(files)),
                    None if final is None else int(final),
                    json.dumps(list(draft_reasons)),
                ),
            )
            self.audit(case_id, "packet.build", path=path, sha256=sha256, pages=pages, final=final)
        return int(cur.lastrowid or 0)

    def list_builds(self, case_id: int) -> list[BuildRecord]:
        rows = self._q("SELECT * FROM builds WHERE case_id = ? ORDER BY id DESC", (case_id,))
        return [
            BuildRecord(
                id=r["id"],
                case_id=r["case_id"],
                created_at=r["created_at"],
                path=r["path"],
                pages=r["pages"],
                size=r["size"],
                sha256=r["sha256"],
                options=json.loads(r["options"]),
                files=tuple(json.loads(r["files"])),
                final=None if r["final"] is None else bool(r["final"]),
                draft_reasons=tuple(json.loads(r["draft_reasons"] or "[]")),
            )
            for r in rows
        ]


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: Store, /, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            _as_ours(exc, getattr(self, "data_dir", Path.cwd()))

    return wrapper


# every method of Store (the constructor too) answers with pdpacket errors only;
# transaction() does the same for the statements run inside it
for _name, _member in list(vars(Store).items()):
    wanted = _name == "__init__" or (callable(_member) and not _name.startswith("__"))
    if wanted and _name != "transaction":
        setattr(Store, _name, _guarded(_member))
del _name, _member, wanted
