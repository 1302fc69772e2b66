"""The ``pdpacket`` command.

No arguments opens the window.  Exit codes: 0 ok; 2 bad input (the message
names the file or field and the fix); 1 anything else.  Errors are printed in
exactly one place: ``main``'s handler.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import logging
import os
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pdpacket._version import __version__
from pdpacket.errors import BadInputError, PdpacketError

if TYPE_CHECKING:  # the façade loads on first use, so `pdpacket --help` stays quick
    from pdpacket.api import Workspace
    from pdpacket.model import BuildResult, ImportResult

from pdpacket.cli.common import case_number, open_workspace
from pdpacket.cli.desktop import add_desktop_commands, archive_argument, open_window
from pdpacket.cli.interview import add_interview_commands
from pdpacket.cli.ocr import add_ocr_command, skip_note, wait_for_ocr
from pdpacket.cli.pages import add_pages_commands
from pdpacket.cli.redact import add_redact_command
from pdpacket.cli.settings import add_destination_command, add_settings_commands

log = logging.getLogger("pdpacket.cli")


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the demo's final packet, in the edition its destination is sent as,
    in a throw-away workspace (or --data-dir, if given)."""
    from pdpacket.api import Workspace
    from pdpacket.model import BuildOptions

    def build(ws: Workspace) -> BuildResult:
        case_id = ws.create_demo_case()  # an empty Settings gets the fictional attorney
        edition = ws.destination(case_id).edition
        return ws.build_packet(case_id, args.out, BuildOptions(edition=edition, final=True))

    if args.data_dir:
        with Workspace.open(args.data_dir) as ws:
            result = build(ws)
    else:
        with (
            tempfile.TemporaryDirectory(prefix="pdpacket-demo-ws-") as tmp,
            Workspace.open(tmp) as ws,
        ):
            result = build(ws)
    print(f"{result.path}: {result.pages} pages, {result.size:,} bytes, sha256 {result.sha256}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Create a case from a manifest: its id on stdout (scripts read it), each
    file's intake warnings on stderr as `add` prints them; warnings exit 0."""
    with open_workspace(args) as ws:
        case_id, files = ws.import_manifest_files(args.manifest)
        for r in files:
            if r.message:
                print("\t".join((r.status, r.path, r.message)), file=sys.stderr)
        _ocr(ws, case_id, args)
    print(case_id)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        cases = ws.list_cases(include_archived=args.all)
        for case in cases:
            hearing = case.proceedings.hearing_date
            n = len(ws.exhibits(case.id))
            cols = [
                str(case.id),
                case.client.name,
                case.client.a_number_display or "-",
                hearing.isoformat() if hearing else "-",
                f"{n} exhibits",
            ]
            if case.archived:
                cols.append("archived")
            print("\t".join(cols))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from pdpacket.model import BuildOptions, NumberingStyle
    from pdpacket.model.identifiers import parse_date

    numbering = args.numbering or ("bates" if args.bates else "plain")
    options = BuildOptions(
        numbering=NumberingStyle(numbering),
        bates_prefix=args.bates or "",
        build_date=parse_date(args.date, "date") if args.date else None,
        # not given: as the case's destination says
        certificate_of_service=True if args.certificate_of_service is not None else None,
        service_method=args.certificate_of_service or "ecas",
        service_address=args.service_address or "",
    )
    if getattr(args, "integrity_sidecar", False):
        options = dataclasses.replace(options, integrity_sidecar=True)
    if getattr(args, "factor_table", False):
        options = dataclasses.replace(options, factor_table=True)
    if getattr(args, "final", False):
        options = dataclasses.replace(options, final=True)
    edition = getattr(args, "edition", None) or "standard"
    if edition == "auto":  # the edition the case's destination is sent as
        with open_workspace(args) as ws:
            edition = ws.destination(args.case).edition
    if edition != "standard" or args.max_mb or args.jpeg_quality or args.duplex:
        court, opla, client = _copies(args.copies)
        options = dataclasses.replace(
            options,
            edition=edition,
            max_mb=args.max_mb or 0.0,
            jpeg_quality=args.jpeg_quality or 0,
            duplex=bool(args.duplex),
            clear_top=not args.keep_top,
            copies_court=court,
            copies_opla=opla,
            copies_client=client,
        )
    with open_workspace(args) as ws:
        _ocr(ws, args.case, args)
        if options.edition == "standard":
            result = ws.build_packet(args.case, args.out, options)
        else:
            result = ws.build_edition(args.case, args.out, options)
    if result.parts:
        print(f"{len(result.parts)} parts, {result.pages} pages, {result.size:,} bytes:")
        for path, size in zip(result.parts, result.part_sizes, strict=True):
            print(f"  {path}: {size:,} bytes")
    else:
        print(f"{result.path}: {result.pages} pages, {result.size:,} bytes, sha256 {result.sha256}")
    if result.email_path:
        print(f"{result.email_path}: the e-mail to send (subject: {result.email_subject})")
    for warning in result.warnings:
        print(f"pdpacket: note: {warning}", file=sys.stderr)
    if result.sidecar:
        print(f"{result.sidecar}: integrity list (check with sha256sum -c)")
    _say_draft(result.draft_reasons)
    return 0


def _say_draft(reasons: Sequence[str]) -> None:
    """A draft still exits 0 (scripts build drafts on purpose), but says so."""
    if not reasons:
        return
    n = len(reasons)
    print(
        f"DRAFT: {n} review error{'' if n == 1 else 's'}: " + "; ".join(reasons),
        file=sys.stderr,
    )
    print(
        "  Every page says DRAFT. Fix the errors (pdpacket check CASE) and build with "
        "--final for a packet to file.",
        file=sys.stderr,
    )


def cmd_history(args: argparse.Namespace) -> int:
    """The case's builds, newest first: one line each, tab-separated."""
    with open_workspace(args) as ws:
        ws.get_case(args.case)
        builds = ws.builds(args.case)
    for b in builds:
        edition = str(b.options.get("edition") or "standard")
        cols = [str(b.id), b.created_at.replace("T", " ")[:16], b.status, edition]
        cols += [f"{b.pages} pages", b.path]
        print("\t".join(cols))
        for reason in b.draft_reasons:
            print(f"\t  {reason}")
    if not builds:
        print("No packet built yet.", file=sys.stderr)
    return 0


def _copies(raw: str | None) -> tuple[int, int, int]:
    """``court=1,opla=1,client=2`` -> the copies for the court, OPLA and the client file."""
    out = {"court": 1, "opla": 1, "client": 1}
    for item in raw.split(",") if raw else ():
        key, _, value = item.partition("=")
        key = key.strip().lower()
        if key not in ("court", "opla", "client") or not value.strip().isdigit():
            raise BadInputError(
                f"--copies {raw!r}: {item.strip()!r} is not WHO=NUMBER.",
                hint="Write it like --copies court=1,opla=1,client=2.",
            )
        out[key] = int(value)
    return out["court"], out["opla"], out["client"]


ASK = "\0ask"  # --password given without a value: ask for it, without echo


def _password(raw: str | None, *, confirm: bool) -> str | None:
    if raw is None:
        return None
    if raw != ASK:
        return raw
    first = getpass.getpass("Archive password: ", stream=sys.stderr)
    if confirm and getpass.getpass("Again: ", stream=sys.stderr) != first:
        from pdpacket.errors import BadInputError

        raise BadInputError("The two passwords differ.", hint="Run the command again.")
    return first


def cmd_export(args: argparse.Namespace) -> int:
    password = _password(args.password, confirm=True)
    with open_workspace(args) as ws:
        info = ws.export_case(args.case, args.out, password=password)
    lock = ", encrypted" if info.encrypted else ""
    print(
        f"{info.path}: case {info.case_id} ({info.client_name}), {info.blobs} evidence files, "
        f"{info.size:,} bytes{lock}, sha256 {info.sha256}"
    )
    return 0


def cmd_import_archive(args: argparse.Namespace) -> int:
    password = _password(args.password, confirm=False)
    if_exists = "update" if args.update else "keep_both" if args.keep_both else "refuse"
    with open_workspace(args) as ws:
        info = ws.import_archive(args.archive, password=password, if_exists=if_exists)
    for name, message in info.warnings:  # as `add` and `import` print them; exit 0
        print("\t".join(("warning", name, message)), file=sys.stderr)
    print(f"{info.case_id}\t{info.client_name}\t{info.blobs} evidence files")
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        if args.keep is not None:
            ws.set_backup_keep(args.keep)
        if args.create:
            ws.backup_now()
        for b in ws.list_backups():
            print(f"{b.name}\t{b.created_at}\t{b.reason}\t{b.size:,} bytes")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        saved = ws.restore_backup(args.backup)
    print(f"restored {args.backup}; the state before it was saved as {saved.name}")
    return 0


def _read_text_arg(path: Path) -> str:
    from pdpacket.errors import BadInputError

    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(
            f"{path}: cannot read the letter text ({exc}).",
            hint="Give a UTF-8 text file written with `pdpacket letter CASE --text > FILE`.",
        ) from exc


def cmd_letter(args: argparse.Namespace) -> int:
    """The request letter: draft, merge, edit from a file, print, export."""
    import datetime as dt

    from pdpacket.model.identifiers import parse_date

    today = parse_date(args.date, "date") if args.date else None
    with open_workspace(args) as ws:
        ws.get_case(args.case)
        if (
            args.set is not None
            and str(args.set) != "-"
            and args.set.suffix.lower()
            in (
                ".docx",
                ".pdf",
            )
        ):
            _import_letter(ws, args.case, args.set)
        elif args.set is not None:
            ws.save_letter(args.case, _read_text_arg(args.set))
            print(f"letter of case {args.case}: your text was stored", file=sys.stderr)
        if args.refresh or (ws.letter(args.case) is None and (args.out or args.text)):
            update = ws.refresh_letter(args.case)
            if update.created:
                print(f"letter of case {args.case}: draft generated", file=sys.stderr)
            elif not update.draft_changed:
                print(f"letter of case {args.case}: the draft has not changed", file=sys.stderr)
            else:
                print(
                    f"letter of case {args.case}: draft refreshed, your edits kept",
                    file=sys.stderr,
                )
            for c in update.conflicts:
                print(
                    f'  conflict in "{c.section or "the opening"}": you and the new draft both '
                    "changed it; your text was kept. The draft says:",
                    file=sys.stderr,
                )
                for line in c.draft.splitlines() or ["(nothing: the draft removed it)"]:
                    print(f"    | {line}", file=sys.stderr)
        if args.restore_previous:
            if ws.restore_previous_letter(args.case):
                print(f"letter of case {args.case}: the previous letter is back", file=sys.stderr)
            else:
                raise BadInputError(
                    f"Case {args.case} has no letter replaced by an import to put back.",
                    hint="Only a letter replaced with --set FILE.docx or .pdf can be restored.",
                )
        if args.resolved:
            ws.resolve_letter_conflicts(args.case)
        letter = ws.letter(args.case)
        if args.text:
            if letter is None:
                raise BadInputError(
                    f"Case {args.case} has no letter yet.",
                    hint=f"Generate the draft: pdpacket letter {args.case} --refresh",
                )
            sys.stdout.write(letter.text)
        if args.out and args.out.suffix.lower() == ".docx":
            res = ws.export_letter_word(args.case, args.out, today=today or dt.date.today())
            cites = (
                "citations with packet pages"
                if res.with_pages
                else "citations with exhibit letters only (build the packet for page numbers)"
            )
            print(f"{res.path}: Word document, {res.size:,} bytes, {cites}")
        elif args.out:
            res = ws.export_letter(args.case, args.out, today=today or dt.date.today())
            cites = (
                "citations with packet pages"
                if res.with_pages
                else "citations with exhibit letters only (build the packet for page numbers)"
            )
            print(f"{res.path}: {res.pages} pages, {res.size:,} bytes, {cites}")
        if (
            not (args.set or args.refresh or args.resolved or args.text or args.out)
            and not args.restore_previous
        ):
            if letter is None:
                print(f"case {args.case} has no letter; generate it with --refresh")
            else:
                state = "the untouched draft" if letter.untouched else "edited"
                print(f"case {args.case}: letter {state}, {len(letter.text):,} characters")
                for c in letter.conflicts:
                    print(f'  unresolved conflict in "{c.section or "the opening"}"')
    return 0


def _import_letter(ws: Workspace, case_id: int, path: Path) -> None:
    res = ws.import_letter(case_id, path)
    if res.kind == "pdf":
        read = (
            f"{res.citations} citation(s) read from its text"
            if res.readable
            else "it has no text to read citations from (a scan?): check them by hand"
        )
        print(
            f"letter of case {case_id}: {path.name} is the letter the packet carries, as it "
            f"is (PDF); {read}",
            file=sys.stderr,
        )
    else:
        print(
            f"letter of case {case_id}: {path.name} is the case's letter now, with "
            f"{res.citations} citation(s) linked to exhibits",
            file=sys.stderr,
        )
    if res.replaced_upload:
        print("  the letter uploaded as a PDF was taken out of the packet", file=sys.stderr)
    for u in res.unmatched:
        print(f'  not matched: "{u.text}" ({u.problem})', file=sys.stderr)


def cmd_documents(args: argparse.Namespace) -> int:
    """Every generated document of the case, each alone, as .docx or .pdf."""
    from pdpacket.model.identifiers import parse_date

    today = parse_date(args.date, "date") if args.date else None
    with open_workspace(args) as ws:
        if args.templates:
            for t in ws.templates():
                where = "firm's copy" if t.firm else "built in"
                print(f"{t.name}\t{where}\tverified {t.verified_on or '?'}\t{t.path}")
            return 0
        if args.case is None or args.out is None:
            raise BadInputError(
                "Give the case and the folder to write the documents in.",
                hint="pdpacket documents CASE --out FOLDER [--format docx|pdf]",
            )
        written = ws.export_documents(args.case, args.out, fmt=args.format, today=today)
    for w in written:
        pages = f", {w.pages} page{'s' if w.pages != 1 else ''}" if w.pages else ""
        print(f"{w.path}\t{w.label}{pages}, {w.size:,} bytes")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """The readiness review: exit 0 when no error, 2 when any."""
    import textwrap

    from pdpacket.model import Severity

    with open_workspace(args) as ws:
        case = ws.get_case(args.case)
        findings = ws.review(args.case, edition=args.edition)
    n = {s: sum(f.severity == s for f in findings) for s in Severity}

    def plural(k: int, word: str) -> str:
        return f"{k} {word}{'' if k == 1 else 's'}"

    tally = ", ".join(
        (
            plural(n[Severity.ERROR], "error"),
            plural(n[Severity.WARNING], "warning"),
            plural(n[Severity.NOTE], "note"),
        )
    )
    print(f"Case {case.id}: {case.title}")
    if n[Severity.ERROR]:
        print(f"Not ready: {tally}.")
    else:
        print(f"Ready: no errors ({tally}).")
    titles = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.NOTE: "Notes"}
    for sev in Severity:
        group = [f for f in findings if f.severity == sev]
        if not group:
            continue
        print(f"\n{titles[sev]}")
        for i, f in enumerate(group, 1):
            where = f.location.step + (f" {f.location.object_id}" if f.location.object_id else "")
            head = f"{i:>3}. [{where}] "
            print(
                textwrap.fill(
                    f.message, 100, initial_indent=head, subsequent_indent=" " * len(head)
                )
            )
            print(
                textwrap.fill(
                    f"Fix: {f.fix}",
                    100,
                    initial_indent=" " * len(head),
                    subsequent_indent=" " * (len(head) + 5),
                )
            )
    return 2 if n[Severity.ERROR] else 0


def _add_letter_and_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "letter",
        help="the request letter: generate or refresh the draft, edit, export as PDF or Word, bring your own in",
        description="With no option, says whether the case has a letter. Options run in "
        "this order: --set, --restore-previous, --refresh, --resolved, --text, --out.",
    )
    p.add_argument("case", type=case_number, metavar="CASE")
    p.add_argument(
        "--refresh",
        action="store_true",
        help="generate the draft from the case; your edits are kept (3-way merge) and parts "
        "changed on both sides are reported",
    )
    p.add_argument(
        "--set",
        type=Path,
        metavar="FILE",
        help="make FILE the letter: a .docx (read as the letter's text, citations written as "
        "text linked to the exhibits they match), a .pdf (carried as it is), or a text file "
        "('-': standard input)",
    )
    p.add_argument(
        "--restore-previous",
        action="store_true",
        help="put back the letter that --set FILE.docx or .pdf replaced",
    )
    p.add_argument("--resolved", action="store_true", help="mark the merge conflicts as resolved")
    p.add_argument("--text", action="store_true", help="print the letter's text (markup)")
    p.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write the letter alone: FILE.docx as a Word document, else as a PDF",
    )
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the date printed on the letter")
    p.set_defaults(func=cmd_letter)

    p = sub.add_parser(
        "documents",
        help="write each generated document alone (cover, motion, proposed order, "
        "certificate of service, declaration, letter) as .docx or .pdf",
        description="Writes the documents pdpacket generates for the case's destination, "
        "each in its own file, and lists them. --templates lists the document templates and "
        "whether the firm's copy in the data folder's templates/ folder is used.",
    )
    p.add_argument("case", type=case_number, metavar="CASE", nargs="?")
    p.add_argument("--out", type=Path, metavar="FOLDER", help="the folder to write them in")
    p.add_argument("--format", choices=["docx", "pdf"], default="docx")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the date printed on them")
    p.add_argument("--templates", action="store_true", help="list the document templates")
    p.set_defaults(func=cmd_documents)

    p = sub.add_parser(
        "check",
        help="the readiness review: findings with their fix; exit 0 when ready, 2 on errors",
    )
    p.add_argument("case", type=case_number, metavar="CASE")
    p.add_argument(
        "--edition",
        choices=["standard", "efile", "email", "print"],
        help="check the size and pages of this edition's last build (default: the last build)",
    )
    p.set_defaults(func=cmd_check)


def cmd_add(args: argparse.Namespace) -> int:
    """Add evidence files (folders expanded): one exhibit per file, or attached to
    ``--exhibit``.  Prints one line per file; exit code 2 when any was refused."""
    from pdpacket.errors import BadInputError
    from pdpacket.model import FileRole

    passwords: dict[str, str] = {}
    for item in args.password or []:
        name, sep, password = item.partition("=")
        if not sep or not name:
            raise BadInputError(
                f"--password {item!r}: give it as FILE=PASSWORD.",
                hint="For example: --password bank_statement.pdf=1234",
            )
        passwords[name] = password
    progress = _StderrProgress() if sys.stderr.isatty() else None
    with open_workspace(args) as ws:
        if args.exhibit:
            if ws.get_exhibit(args.exhibit).case_id != args.case:
                raise BadInputError(
                    f"Exhibit {args.exhibit} is not in case {args.case}.",
                    hint="Check the numbers with `pdpacket list`.",
                )
            results = ws.add_files_to_exhibit(
                args.exhibit,
                args.paths,
                role=FileRole(args.role),
                passwords=passwords,
                progress=progress,
            )
        else:
            results = ws.add_evidence(args.case, args.paths, passwords=passwords, progress=progress)
        if args.attachments:  # each PDF's attached files as exhibits of their own
            results = _with_attachments(ws, results)
        if progress is not None:
            print(file=sys.stderr)
        for r in results:
            print("\t".join(x for x in (r.status, r.path, r.message) if x))
        sys.stdout.flush()
        _ocr(ws, args.case, args)
    return 2 if any(r.status == "refused" for r in results) else 0


def _with_attachments(ws: Workspace, results: list[ImportResult]) -> list[ImportResult]:
    out = []
    for r in results:
        out.append(r)
        if r.attachments and r.status in ("imported", "warning") and r.exhibit_id:
            out.extend(ws.add_attachments(r.exhibit_id, file_id=r.file_id))
    return out


def cmd_attachments(args: argparse.Namespace) -> int:
    """List the files an exhibit's PDFs carry; ``--add`` adds them as exhibits."""
    from pdpacket.errors import BadInputError

    with open_workspace(args) as ws:
        if not args.add:
            found = ws.list_attachments(args.exhibit, password=args.password)
            if not found:
                print(f"Exhibit {args.exhibit} carries no attached files.", file=sys.stderr)
            for a in found:
                added = (
                    f"in the case (exhibit {a.in_case_exhibit_id})"
                    if a.in_case_exhibit_id
                    else "not added"
                )
                print(
                    "\t".join(
                        (
                            str(a.number),
                            a.name,
                            f"{a.size:,} bytes",
                            f"{a.carrier}, {a.where}",
                            added,
                        )
                    )
                )
            return 0
        parts = [p.strip().lower() for item in args.add for p in item.split(",") if p.strip()]
        bad = [p for p in parts if p != "all" and not p.isdigit()]
        if bad:
            raise BadInputError(
                f"--add {bad[0]!r}: give attachment numbers (1,2) or all.",
                hint="List them with `pdpacket attachments EXHIBIT`.",
            )
        numbers = [] if "all" in parts else [int(p) for p in parts]
        results = ws.add_attachments(args.exhibit, numbers, password=args.password)
    for r in results:
        print("\t".join(x for x in (r.status, r.path, r.message) if x))
    return 2 if any(r.status == "refused" for r in results) else 0


def _ocr(ws: Workspace, case_id: int, args: argparse.Namespace) -> None:
    """Wait for the case's scanned pages to be read (``--no-ocr``: say they wait)."""
    if getattr(args, "no_ocr", False):
        skip_note(ws, case_id)
    else:
        wait_for_ocr(ws, case_id)


def _no_ocr_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-ocr",
        action="store_true",
        help="do not wait for OCR of scanned pages (they stay pending; `pdpacket ocr` reads them)",
    )


class _StderrProgress:
    def update(self, done: int, total: int, message: str) -> None:
        print(f"\r{done}/{total} {message[:60]:<60}", end="", file=sys.stderr, flush=True)


# stays long: one block per subcommand, in the order `pdpacket --help` lists them
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pdpacket",
        description="Build prosecutorial-discretion request packets. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"pdpacket {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help="data folder (default: $PDPACKET_HOME or the user data folder)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="build the demo case's packet")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="create a case from a manifest; prints its id")
    _no_ocr_option(p)
    p.add_argument("manifest", type=Path, metavar="MANIFEST")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list the cases")
    p.add_argument("--all", action="store_true", help="include archived cases")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("build", help="build a case's packet (or an edition of it)")
    _no_ocr_option(p)
    p.add_argument("case", type=case_number, metavar="CASE")
    p.add_argument("--out", required=True, type=Path, metavar="FILE|DIR")
    p.add_argument(
        "--numbering",
        choices=["plain", "of_total", "bates"],
        default=None,
        help='page numbers: "12" (plain, the default), "Page 12 of 340" (of_total) or '
        '"GARCIA-000012" (bates)',
    )
    p.add_argument(
        "--bates", metavar="PREFIX", help="Bates prefix, e.g. GARCIA- (implies --numbering bates)"
    )
    p.add_argument(
        "--factor-table",
        action="store_true",
        help="after the index, a table of which exhibits prove which factor",
    )
    p.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="the date on the cover and certificates (default today); the same date gives "
        "a byte-identical packet",
    )
    p.add_argument(
        "--certificate-of-service",
        nargs="?",
        const="ecas",
        choices=["ecas", "mail", "hand"],
        metavar="ecas|mail|hand",
        help="add a certificate of service: served through ECAS (the default), or by mail "
        "or by hand at --service-address (never on a joint motion)",
    )
    p.add_argument(
        "--service-address",
        metavar="TEXT",
        help="where the Chief Counsel was served (lines separated by ';'); default: the "
        "OPLA office's address",
    )
    p.add_argument(
        "--integrity-sidecar",
        action="store_true",
        help="also write FILE.sha256.txt listing every exhibit file's SHA-256 and the packet's",
    )
    p.add_argument(
        "--final",
        action="store_true",
        help="a packet to file: refuse (exit 2, naming each error) while the readiness "
        "review has errors. Without it a packet built with errors is a draft: DRAFT on "
        "every page, and DRAFT with the reasons on stderr (exit 0)",
    )
    g = p.add_argument_group(
        "editions",
        "With --edition, --out is a folder (files named <Client>_<Document>...) or a .pdf "
        "name (parts get _Part1, _Part2... added).",
    )
    g.add_argument(
        "--edition",
        choices=["standard", "efile", "email", "print", "auto"],
        default=None,
        help="auto: the one the case's destination is sent as (`pdpacket destination CASE`); "
        "efile: the court's ECAS, split into parts of at most 25 MB; email: to the OPLA "
        "office, under its limit (else 20 MB), with the e-mail's subject and body in a .txt; "
        "print: a copies sheet, the top inch clear, single-sided unless --duplex",
    )
    g.add_argument(
        "--max-mb",
        type=float,
        metavar="N",
        help="efile/email: the most one file may hold, in MB (1,000,000 bytes)",
    )
    g.add_argument(
        "--jpeg-quality",
        type=int,
        metavar="Q",
        help="efile/email: re-encode JPEG images at quality Q (20-95) before splitting; "
        "never below 300 dpi",
    )
    g.add_argument(
        "--duplex",
        action="store_true",
        help="print: double-sided, every document on a right-hand page, unnumbered blank backs",
    )
    g.add_argument(
        "--keep-top",
        action="store_true",
        help="print: do not shrink evidence pages to keep their top inch clear",
    )
    g.add_argument(
        "--copies",
        metavar="court=N,opla=N,client=N",
        help="print: the copies the first sheet asks for (default one each)",
    )
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "history",
        help="the packets built for a case, newest first: id, date, Final/Draft, edition, "
        "pages, file (and a draft's reasons)",
    )
    p.add_argument("case", type=case_number, metavar="CASE")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser(
        "add",
        help="add evidence files or folders to a case (one exhibit per file)",
        description="Each file becomes letter-size pages in a new exhibit (or is attached "
        "to --exhibit). One line per file: imported, warning, duplicate or refused, with "
        "the reason. Exit code 2 if any file was refused.",
    )
    p.add_argument("case", type=case_number, metavar="CASE")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument(
        "--password",
        action="append",
        metavar="FILE=PASSWORD",
        help="password of a protected PDF (by file name or path); repeat for several",
    )
    p.add_argument("--exhibit", type=int, metavar="N", help="attach the files to exhibit N instead")
    _no_ocr_option(p)
    p.add_argument(
        "--role",
        choices=["translation", "certificate", "document"],
        default="translation",
        help="with --exhibit: what the files are (default: translation)",
    )
    p.add_argument(
        "--attachments",
        action="store_true",
        help="also add the files each PDF carries (attachments) as exhibits of their own",
    )
    p.set_defaults(func=cmd_add)

    p = sub.add_parser(
        "attachments",
        help="list the files an exhibit's PDFs carry (attachments); --add adds them as exhibits",
        description="One line per attached file: number, name, size, the PDF that carries "
        "it and where, and whether it is already in the case. --add N[,M] or --add all adds "
        "them as new exhibits through the normal intake (one line per file, as `add`).",
    )
    p.add_argument("exhibit", type=int, metavar="EXHIBIT", help="the exhibit's id")
    p.add_argument(
        "--add", action="append", metavar="N[,M]|all", help="add these attachments as exhibits"
    )
    p.add_argument("--password", default=None, help="the PDF's password, if it has one")
    p.set_defaults(func=cmd_attachments)

    pw_help = "encrypt with a password (asked for, without echo, when no value is given)"
    p = sub.add_parser("export", help="write a case (data and evidence) to one archive file")
    p.add_argument("case", type=case_number, metavar="CASE")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdpacket")
    p.add_argument("--password", nargs="?", const=ASK, default=None, help=pw_help)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import-archive", help="create a case from an archive written by export; prints its id"
    )
    p.add_argument("archive", type=Path, metavar="FILE")
    p.add_argument(
        "--password",
        nargs="?",
        const=ASK,
        default=None,
        help="the archive's password (asked for when no value is given)",
    )
    same = p.add_mutually_exclusive_group()
    same.add_argument(
        "--update",
        action="store_true",
        help="the case is already here: replace it with the archive's contents",
    )
    same.add_argument(
        "--keep-both",
        action="store_true",
        help="the case is already here: add the archive's as a second case",
    )
    p.set_defaults(func=cmd_import_archive)

    p = sub.add_parser("backups", help="list the database backups (newest first)")
    p.add_argument("--create", action="store_true", help="make a backup now")
    p.add_argument("--keep", type=int, metavar="N", help="keep the newest N backups from now on")
    p.set_defaults(func=cmd_backups)

    p = sub.add_parser("restore", help="restore the database from a backup")
    p.add_argument("backup", metavar="BACKUP", help="a name listed by `pdpacket backups`")
    p.set_defaults(func=cmd_restore)

    _add_letter_and_check(sub)
    add_interview_commands(sub)
    add_settings_commands(sub)
    add_redact_command(sub)
    add_ocr_command(sub)
    add_destination_command(sub)
    add_desktop_commands(sub)
    add_pages_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(archive_argument(list(sys.argv[1:] if argv is None else argv)))
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.command is None:
        return open_window(args.data_dir)
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # inside the handler, so a closed pipe is caught below
        return code
    except PdpacketError as exc:
        print(f"pdpacket: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(textwrap.indent(exc.hint, "  "), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("pdpacket: interrupted; nothing was published.", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `pdpacket check 1 | head`: the reader stopped listening, which is not
        # an error; stdout is pointed at devnull so the exit flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # the last line of defence: say something useful
        log.exception("unexpected error")
        print(f"pdpacket: unexpected error: {exc!r}. Run with -v and report it.", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
