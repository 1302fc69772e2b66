"""Append-only schema migrations, applied on open, each in a transaction.

Never edit or reorder a migration that has shipped: add a new one at the end.
tests/core/test_migrations.py compares the resulting schema with a snapshot and
upgrades a committed first-version database.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("pdpacket")


def _run(db: Database, script: str) -> None:
    """Run DDL statement by statement: ``executescript`` would COMMIT the
    migration's transaction half-way."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations(name="m001_initial")
def m001_initial(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            archived INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE clients (
            case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            aliases TEXT NOT NULL DEFAULT '[]',
            a_number TEXT NOT NULL DEFAULT '',
            dob TEXT,
            country TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE proceedings (
            case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
            court_id TEXT NOT NULL DEFAULT '',
            judge TEXT NOT NULL DEFAULT '',
            hearing_date TEXT,
            hearing_type TEXT NOT NULL DEFAULT '',
            detained INTEGER NOT NULL DEFAULT 0,
            facility TEXT NOT NULL DEFAULT '',
            opla_office_id TEXT NOT NULL DEFAULT '',
            receipts TEXT NOT NULL DEFAULT '[]',
            stage TEXT NOT NULL DEFAULT '',
            pd_form TEXT NOT NULL DEFAULT '',
            framework_id TEXT NOT NULL DEFAULT '',
            joint_motion INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE factor_answers (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            factor_id TEXT NOT NULL,
            applies INTEGER NOT NULL DEFAULT 0,
            notes TEXT NOT NULL DEFAULT '',
            explanation TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (case_id, factor_id)
        );
        CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            kind TEXT NOT NULL,
            pages INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE TABLE exhibits (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            doc_date TEXT,
            factor_ids TEXT NOT NULL DEFAULT '[]',
            document_type TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT 'English',
            section TEXT NOT NULL DEFAULT '',
            included INTEGER NOT NULL DEFAULT 1,
            translator TEXT NOT NULL DEFAULT '{}',
            translation_order TEXT NOT NULL DEFAULT 'translation_first',
            created_at TEXT NOT NULL
        );
        CREATE INDEX exhibits_case ON exhibits(case_id, position);
        CREATE TABLE exhibit_files (
            id INTEGER PRIMARY KEY,
            exhibit_id INTEGER NOT NULL REFERENCES exhibits(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            role TEXT NOT NULL DEFAULT 'document',
            original_name TEXT NOT NULL,
            original_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            pdf_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            pages INTEGER NOT NULL,
            warnings TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX exhibit_files_exhibit ON exhibit_files(exhibit_id, position);
        CREATE TABLE builds (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            path TEXT NOT NULL,
            pages INTEGER NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '{}',
            files TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            case_id INTEGER,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX audit_case ON audit_log(case_id, id);
        """,
    )


# Add new migrations below this line, never above it.


@migrations(name="m004_3_file_recovery")
def m004_3_file_recovery(db: Database) -> None:
    """Evidence files read from a damaged original: ``recovered`` marks them and
    ``confirmed_at`` records when the user compared the recovered pages with the
    original and confirmed them (the review checks it)."""
    _run(
        db,
        """
        ALTER TABLE exhibit_files ADD COLUMN recovered INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE exhibit_files ADD COLUMN confirmed_at TEXT
        """,
    )


@migrations(name="m005_6_letters")
def m005_6_letters(db: Database) -> None:
    """The request letter of each case: the attorney's text, the last
    generated draft (the base of the 3-way merge when the draft is refreshed)
    and the merge conflicts the attorney has not resolved yet."""
    _run(
        db,
        """
        CREATE TABLE letters (
            case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            draft_text TEXT NOT NULL,
            generated_from_hash TEXT NOT NULL DEFAULT '',
            conflicts TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
    )


@migrations(name="m006_4_case_documents")
def m006_4_case_documents(db: Database) -> None:
    """Case-level documents that go into the packet: an uploaded request
    letter, the appearance form (G-28 or EOIR-28), the client's declaration and
    a proposed order; at most one of each role per case."""
    _run(
        db,
        """
        CREATE TABLE case_documents (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            original_name TEXT NOT NULL,
            original_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            pdf_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            pages INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (case_id, role)
        )
        """,
    )


@migrations(name="m010_framework_context")
def m010_framework_context(db: Database) -> None:
    """The date of an earlier decision a request concerns: the review judges the
    case's framework on that date (not the letter's) and the letter speaks of a
    rescinded framework in the past tense.  NULL when the request is about now."""
    _run(db, "ALTER TABLE proceedings ADD COLUMN decision_date TEXT")


@migrations(name="m007_builds_final")
def m007_builds_final(db: Database) -> None:
    """Whether a build was final (no review error, no DRAFT mark) or a draft, and
    the errors that made it one.  Builds recorded before this stay NULL: nobody
    checked them, and history says so rather than calling them final."""
    _run(
        db,
        """
        ALTER TABLE builds ADD COLUMN final INTEGER;
        ALTER TABLE builds ADD COLUMN draft_reasons TEXT NOT NULL DEFAULT '[]'
        """,
    )


@migrations(name="m009_destination_and_offices")
def m009_destination_and_offices(db: Database) -> None:
    """Where each case's request goes (an id of resources/destinations.json; ""
    follows its PD form), a joint motion's grounds as the attorney wrote them,
    and the firm's own corrections to the shipped OPLA
    offices and courts (address, mailbox, size limit, subject line), one row per
    place and field, kept apart from the shipped data so an update of the data
    never overwrites them."""
    _run(db, "ALTER TABLE proceedings ADD COLUMN destination TEXT NOT NULL DEFAULT ''")
    _run(db, "ALTER TABLE proceedings ADD COLUMN motion_grounds TEXT NOT NULL DEFAULT ''")
    _run(
        db,
        """
        CREATE TABLE place_overrides (
            kind TEXT NOT NULL,
            place_id TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            edited_at TEXT NOT NULL,
            PRIMARY KEY (kind, place_id, field)
        )
        """,
    )


@migrations(name="m011_blob_cleaning")
def m011_blob_cleaning(db: Database) -> None:
    """Which version of pdpacket's cleaning (intake's normalisation) produced
    each stored PDF: the builder reads only blobs with a row here, so a file
    that came in by a door that did not clean it is never built from.

    Existing databases: until this version every door was intake, which
    cleans, except case-archive import, which stored the archive's PDFs as
    they were.  So every PDF a case's rows build from is marked as cleaned by
    cleaning version "1" (``intake.pdfclean.CLEANING_VERSION`` when this was
    written) unless its case was imported from an archive (its audit log says
    ``case.import_archive``) and no other case's intake produced the same
    bytes.  Such a case's files build only once they are added again."""
    _run(
        db,
        """
        CREATE TABLE blob_cleaning (
            sha256 TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            cleaned_at TEXT NOT NULL
        );
        INSERT OR IGNORE INTO blob_cleaning (sha256, version, cleaned_at)
        SELECT f.pdf_sha256, '1', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
        FROM exhibit_files f JOIN exhibits e ON e.id = f.exhibit_id
        WHERE e.case_id NOT IN (
            SELECT case_id FROM audit_log
            WHERE action = 'case.import_archive' AND case_id IS NOT NULL
        )
        UNION
        SELECT d.pdf_sha256, '1', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
        FROM case_documents d
        WHERE d.case_id NOT IN (
            SELECT case_id FROM audit_log
            WHERE action = 'case.import_archive' AND case_id IS NOT NULL
        )
        """,
    )


@migrations(name="m008_signatures")
def m008_signatures(db: Database) -> None:
    """How each document of a case that needs a signature is signed: one row
    per document and signer (and exhibit, for a translator's certificate), with
    the method (electronic, wet, missing), the name as printed when it is not
    the one pdpacket knows (the attorney's, the translator's, the client's) and
    the date of an electronic signature.  No row means "missing"."""
    _run(
        db,
        """
        CREATE TABLE signatures (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            document TEXT NOT NULL,
            signer TEXT NOT NULL,
            exhibit_id INTEGER REFERENCES exhibits(id) ON DELETE CASCADE,
            method TEXT NOT NULL DEFAULT 'missing',
            name TEXT NOT NULL DEFAULT '',
            signed_on TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX signatures_slot
            ON signatures(case_id, document, signer, COALESCE(exhibit_id, 0))
        """,
    )


@migrations(name="m018_evidence")
def m018_evidence(db: Database) -> None:
    """An exhibit's last date, for a document that spans a period (a bank's
    statements 2016-2025): the index prints the range and the residence
    timeline counts every year of it.  NULL: a document of one date."""
    _run(db, "ALTER TABLE exhibits ADD COLUMN doc_date_end TEXT")


@migrations(name="m016_page_edits")
def m016_page_edits(db: Database) -> None:
    """Page edits over an exhibit file's stored PDF (which is never changed): the
    pages the packet shows, in order, as JSON ``[[stored page, quarter turns,
    deleted], ...]``.  No row: every stored page, in order, unturned."""
    _run(
        db,
        """
        CREATE TABLE page_edits (
            file_id INTEGER PRIMARY KEY REFERENCES exhibit_files(id) ON DELETE CASCADE,
            layout TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
    )


@migrations(name="m012_interview")
def m012_interview(db: Database) -> None:
    """The case interview: one JSON document per case (``model.interview``),
    with the version of its format, so a later format can read an older one."""
    _run(
        db,
        """
        CREATE TABLE interviews (
            case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
    )


@migrations(name="m014_redactions")
def m014_redactions(db: Database) -> None:
    """Personal numbers found on evidence pages and the redactions that remove
    them: one row per box (found or drawn by hand) with its kind, the attorney's
    decision and whether it was applied; which pages were searched (and by which
    version of the finder, on which stored bytes); and, for a file whose stored
    PDF was redacted, the PDF it had before, kept for the attorney."""
    _run(
        db,
        """
        CREATE TABLE redactions (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            file_id INTEGER NOT NULL REFERENCES exhibit_files(id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            x0 REAL NOT NULL,
            y0 REAL NOT NULL,
            x1 REAL NOT NULL,
            y1 REAL NOT NULL,
            kind TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'proposed',
            source TEXT NOT NULL DEFAULT 'auto',
            masked TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX redactions_file ON redactions(file_id, page);
        CREATE TABLE redaction_scans (
            file_id INTEGER NOT NULL REFERENCES exhibit_files(id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            pdf_sha256 TEXT NOT NULL,
            finder TEXT NOT NULL,
            PRIMARY KEY (file_id, page)
        );
        CREATE TABLE redacted_files (
            file_id INTEGER PRIMARY KEY REFERENCES exhibit_files(id) ON DELETE CASCADE,
            unredacted_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            applied_at TEXT NOT NULL
        )
        """,
    )


@migrations(name="m015_window")
def m015_window(db: Database) -> None:
    """A factor can be left unanswered while its notes are kept (``answered`` 0);
    every answer stored before is an answer.  An exhibit remembers which of its
    fields intake guessed from the file name (a JSON list) until someone confirms
    them; exhibits stored before were all stated by someone."""
    _run(
        db,
        """
        ALTER TABLE factor_answers ADD COLUMN answered INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE exhibits ADD COLUMN guessed TEXT NOT NULL DEFAULT '[]'
        """,
    )


@migrations(name="m013_ocr")
def m013_ocr(db: Database) -> None:
    """Text found on stored evidence pages, derived from a stored PDF's bytes (so
    keyed by its hash, shared by every exhibit and case that stores it): one row
    per analysed file (its detected language), one per page that needs OCR (its
    status and recognised words, JSON).  A page of an analysed file without a
    row has text of its own.  ``language_choices`` records what the attorney
    said about a detection ("it is English"), so the review stops asking."""
    _run(
        db,
        """
        CREATE TABLE text_files (
            pdf_sha256 TEXT PRIMARY KEY,
            pages INTEGER NOT NULL,
            language TEXT NOT NULL DEFAULT '',
            language_score REAL NOT NULL DEFAULT 0,
            text_chars INTEGER NOT NULL DEFAULT 0,
            analysed_at TEXT NOT NULL,
            detected_at TEXT
        );
        CREATE TABLE ocr_pages (
            pdf_sha256 TEXT NOT NULL,
            page INTEGER NOT NULL,
            status TEXT NOT NULL,
            words TEXT NOT NULL DEFAULT '[]',
            languages TEXT NOT NULL DEFAULT '',
            error TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (pdf_sha256, page)
        );
        CREATE INDEX ocr_pages_status ON ocr_pages(status);
        CREATE TABLE language_choices (
            file_id INTEGER PRIMARY KEY REFERENCES exhibit_files(id) ON DELETE CASCADE,
            language TEXT NOT NULL,
            chosen_at TEXT NOT NULL
        )
        """,
    )


@migrations(name="m019_page_text")
def m019_page_text(db: Database) -> None:
    """The text of evidence pages as the review read it (a page's own text,
    extracted once), keyed by the stored PDF's hash and the page: content-
    addressed, so never stale, and a build in a new process does not extract
    the same pages again."""
    _run(
        db,
        """
        CREATE TABLE page_texts (
            pdf_sha256 TEXT NOT NULL,
            page INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (pdf_sha256, page)
        )
        """,
    )
