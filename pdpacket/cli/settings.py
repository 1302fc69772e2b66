"""The settings commands: the attorney's details, e-signature per destination,
signatures of a case's documents, the firm's OPLA offices and courts, and where
a case's request goes."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from pdpacket.cli.common import case_number, open_workspace
from pdpacket.cli.redact import add_redaction_settings
from pdpacket.errors import BadInputError

# ---- settings: the attorney's details and the firm's choices -------------------------
ATTORNEY_OPTIONS = (
    ("name", "--name", "the attorney's full name, as signed"),
    ("firm", "--firm", "firm or organisation"),
    ("address", "--address", "postal address; separate lines with ';'"),
    ("phone", "--phone", "telephone"),
    ("email", "--email", "e-mail address"),
    ("bar_number", "--bar-number", "state bar number"),
    ("eoir_id", "--eoir-id", "EOIR ID (from eRegistry)"),
)


def cmd_settings_attorney(args: argparse.Namespace) -> int:
    """Change the attorney's details named on the command line; the others stay."""
    changes = {
        key: getattr(args, key)
        for key, _, _ in ATTORNEY_OPTIONS
        if getattr(args, key, None) is not None
    }
    if "address" in changes:
        changes["address"] = "\n".join(
            x.strip() for x in changes["address"].replace("\n", ";").split(";") if x.strip()
        )
    with open_workspace(args) as ws:
        attorney = ws.update_attorney(**changes) if changes else ws.attorney()
    if not changes:
        print("Nothing changed: give an option such as --name (see --help).", file=sys.stderr)
    for key, option, _ in ATTORNEY_OPTIONS:
        value = getattr(attorney, key).replace("\n", "; ")
        print(f"{option[2:]}: {value}")
    return 0


def cmd_settings_esign(args: argparse.Namespace) -> int:
    """Allow or stop electronic ("/s/ Name") signatures for one destination."""
    with open_workspace(args) as ws:
        if args.allow is not None:
            ws.set_electronic_signature(args.destination, args.allow)
        policies = ws.signature_policies()
    for pol in policies:
        if pol.destination_id == args.destination:
            state = "allowed" if pol.electronic_allowed else "not allowed"
            print(f"{pol.destination_id}: electronic signatures {state} ({pol.label})")
            return 0

    raise BadInputError(
        f"{args.destination!r} is not a destination.",
        hint="Use one of: " + ", ".join(p.destination_id for p in policies) + ".",
    )


def cmd_settings_show(args: argparse.Namespace) -> int:
    """Every setting a user chooses: the attorney, the packet folder, backups, and
    where the firm signs electronically (``--json`` for scripts)."""

    with open_workspace(args) as ws:
        attorney = ws.attorney()
        folder = str(ws.setting("packet_folder", "") or "")
        keep = ws.backup_keep()
        policies = ws.signature_policies()
        redaction = ws.redaction_settings()
    data = {
        "attorney": dataclasses.asdict(attorney),
        "packet_folder": folder,
        "backups_keep": keep,
        "electronic_signatures": {p.destination_id: p.electronic_allowed for p in policies},
        "redaction": {"proposed": sorted(redaction.proposed), "label": redaction.label},
    }
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print("Attorney (pdpacket settings attorney ...)")
    for key, option, _ in ATTORNEY_OPTIONS:
        value = getattr(attorney, key).replace("\n", "; ")
        print(f"  {option[2:] + ':':<12} {value or '(not set)'}")
    print("Packets")
    print(f"  {'folder:':<12} {folder or '(not set: the window asks)'}")
    print(f"  {'backups:':<12} the newest {keep} kept (pdpacket backups --keep N)")
    print('Electronic signatures ("/s/ Name" and the date) per destination (settings esign ...)')
    for p in policies:
        state = "allowed" if p.electronic_allowed else "in ink"
        default = "" if p.electronic_allowed == p.default else " (changed by the firm)"
        print(f"  {p.destination_id:<20} {state:<8} {p.label}{default}")
    print("Redaction (settings redaction ...)")
    print(
        f"  {'proposed:':<12} {', '.join(sorted(redaction.proposed)) or '(none: all only listed)'}"
    )
    print(f"  {'label:':<12} {'Redacted' if redaction.label else '(plain black box)'}")
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    """List the case's signatures, or record how one (or all) is signed."""
    from pdpacket.model.identifiers import parse_date

    on = parse_date(args.date, "date") if args.date else None
    with open_workspace(args) as ws:
        if args.all:
            sigs = ws.sign_all_electronically(args.case, on=on)
        elif args.key:
            document, _, rest = args.key.partition(":")
            signer, _, exhibit = rest.partition(":")
            if not args.method:
                from pdpacket.errors import BadInputError

                raise BadInputError(
                    f"Say how {args.key} is signed.",
                    hint="Add --electronic, --wet (to sign in ink) or --missing.",
                )
            ws.set_signature(
                args.case,
                document,
                signer,
                args.method,
                exhibit_id=int(exhibit) if exhibit.isdigit() else 0,
                name=args.name,
                signed_on=on,
            )
            sigs = ws.signatures(args.case)
        else:
            sigs = ws.signatures(args.case)
    for sig in sigs:
        how = sig.mark or str(sig.method)
        if sig.electronic and sig.signed_on:
            how += f" ({sig.signed_on.isoformat()})"
        print("\t".join((sig.key, str(sig.method), how, sig.label)))
    if not sigs:
        print(f"case {args.case}: nothing needs a signature yet", file=sys.stderr)
    missing = [s for s in sigs if str(s.method) == "missing"]
    return 2 if args.check and missing else 0


def add_settings_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "settings",
        help="show or change the settings: the attorney's details, electronic signatures",
        description="Without a subcommand, prints every setting (like `settings show`).",
    )
    p.set_defaults(func=cmd_settings_show, json=False)
    ssub = p.add_subparsers(dest="settings_command", metavar="WHAT")
    s = ssub.add_parser("show", help="print every setting")
    s.add_argument("--json", action="store_true", help="as one JSON object")
    s.set_defaults(func=cmd_settings_show)
    s = ssub.add_parser(
        "attorney",
        help="set the attorney's details printed on letters, covers and certificates",
        description="Only the options given change; the others keep their value.",
    )
    for key, option, text in ATTORNEY_OPTIONS:
        s.add_argument(option, dest=key, metavar="TEXT", default=None, help=text)
    s.set_defaults(func=cmd_settings_attorney)
    add_redaction_settings(ssub)
    s = ssub.add_parser(
        "esign",
        help='allow or stop electronic "/s/" signatures for a destination',
        description="Destinations: opla_email, opla_eservice, court_motion, "
        "court_motion_paper, joint_motion, ero. Without --allow or --deny, shows the setting.",
    )
    s.add_argument("destination", metavar="DESTINATION")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--allow", dest="allow", action="store_true", default=None)
    g.add_argument("--deny", dest="allow", action="store_false", default=None)
    s.set_defaults(func=cmd_settings_esign)

    p = sub.add_parser(
        "sign",
        help="list the documents of a case that need a signature, or record how each is signed",
        description="Without KEY or --all, lists each signature: KEY, method, what the packet "
        "prints, document. Electronic: the packet prints '/s/ Name' and the date (where the "
        "firm allows it for the case's destination: settings esign); wet: a line to sign in "
        "ink before filing; missing: a review error, so a --final build is refused.",
    )
    p.add_argument("case", type=case_number, metavar="CASE")
    p.add_argument(
        "key",
        nargs="?",
        metavar="KEY",
        help="a signature as listed, e.g. letter:attorney or translation:translator:12",
    )
    g = p.add_mutually_exclusive_group()
    for flag, method in (
        ("--electronic", "electronic"),
        ("--wet", "wet"),
        ("--missing", "missing"),
    ):
        g.add_argument(flag, dest="method", action="store_const", const=method)
    g.add_argument(
        "--all",
        action="store_true",
        help="sign electronically every signature the firm allows whose signer's name is known",
    )
    p.add_argument("--name", metavar="TEXT", help="who signs (e.g. the interpreter, the server)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the date of an electronic signature")
    p.add_argument(
        "--check", action="store_true", help="exit 2 while any signature is still missing"
    )
    p.set_defaults(func=cmd_sign)
    add_place_commands(ssub)


# ---- where requests go: the firm's OPLA offices and courts, a case's destination ----
PLACE_OPTIONS = {
    "office": (
        ("address", "--address", "postal address; separate lines with ';'"),
        ("email", "--email", "the office's PD mailbox, from ICE's published list"),
        ("max_mb", "--max-mb", "the most one e-mail may carry, in MB"),
        ("subject_format", "--subject-format", "e.g. 'PD Request - {client_name} - {a_number}'"),
    ),
    "court": (("address", "--address", "street address, suite, city, state and ZIP"),),
}


def _place_lines(place: object, kind: str) -> list[str]:
    from pdpacket.model.policy import Place

    assert isinstance(place, Place)
    mark = "  (edited by the firm: " + ", ".join(place.edited) + ")" if place.edited else ""
    lines = [f"{place.id}\t{place.name}{mark}"]
    for key, option, _ in PLACE_OPTIONS[kind]:
        value = place.get(key, "") if key in ("max_mb", "subject_format") else getattr(place, key)
        lines.append(f"  {option[2:] + ':':<16} {str(value).replace(chr(10), '; ') or '(blank)'}")
    if place.source or place.verified_on:
        lines.append(f"  {'source:':<16} {place.source} (verified {place.verified_on or 'never'})")
    return lines


def cmd_settings_place(args: argparse.Namespace) -> int:
    """Show or edit one OPLA office or court (only the options given change)."""
    kind = args.place_kind
    changes = {
        key: getattr(args, key)
        for key, _, _ in PLACE_OPTIONS[kind]
        if getattr(args, key, None) is not None
    }
    if "address" in changes:
        changes["address"] = "\n".join(
            x.strip() for x in changes["address"].replace("\n", ";").split(";") if x.strip()
        )
    with open_workspace(args) as ws:
        edit = ws.edit_office if kind == "office" else ws.edit_court
        found = ws.opla_office(args.id) if kind == "office" else ws.court(args.id)
        if changes or args.reset or found is None:  # an unknown id: the edit says so
            found = edit(args.id, changes, reset=args.reset)
        place = found
    print("\n".join(_place_lines(place, kind)))
    return 0


def cmd_settings_places(args: argparse.Namespace) -> int:
    """Every OPLA office (or court) with its address and mailbox."""
    with open_workspace(args) as ws:
        found = ws.opla_offices() if args.place_kind == "office" else ws.courts()
    for place in found:
        print("\n".join(_place_lines(place, args.place_kind)))
    return 0


def add_place_commands(ssub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for kind, what in (("office", "an OPLA office"), ("court", "an immigration court")):
        s = ssub.add_parser(
            kind,
            help=f"show or change {what}'s "
            + (
                "address, PD mailbox, size limit and subject line"
                if kind == "office"
                else "address"
            ),
            description="Only the options given change; the firm's values are kept in the "
            "database and shown as edited by the firm. --reset goes back to the shipped data.",
        )
        s.add_argument("id", metavar="ID", help=f"the id of {what} (see `settings {kind}s`)")
        for key, option, text in PLACE_OPTIONS[kind]:
            s.add_argument(option, dest=key, metavar="TEXT", default=None, help=text)
        s.add_argument("--reset", action="store_true", help="forget the firm's edits first")
        s.set_defaults(func=cmd_settings_place, place_kind=kind)
        s = ssub.add_parser(f"{kind}s", help=f"list every {kind} with its address")
        s.set_defaults(func=cmd_settings_places, place_kind=kind)


def cmd_destination(args: argparse.Namespace) -> int:
    """Show (or, with an id, choose) where a case's request goes."""
    with open_workspace(args) as ws:
        if args.destination is not None:
            ws.set_destination(args.case, "" if args.destination == "auto" else args.destination)
        dest = ws.destination(args.case)
        chosen = ws.get_case(args.case).proceedings.destination
        if args.list:
            for d in ws.catalogue.destinations():
                mark = "*" if d.id == dest.id else " "
                print(f"{mark} {d.id:<20} {d.label}")
            return 0
    how = "" if chosen else " (from the PD form; choose one to fix it)"
    print(f"{dest.id}\t{dest.label}{how}\n  {dest.summary}")
    return 0


def add_destination_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "destination",
        help="show or choose where a case's request goes (OPLA, court, joint motion, ERO)",
        description="The destination decides the packet's parts, caption, VIA line and "
        "service. Ids: opla_email, opla_eservice, court_motion, court_motion_paper, "
        "joint_motion, ero; 'auto' follows the PD form again.",
    )
    p.add_argument("case", type=case_number, metavar="CASE")
    p.add_argument("destination", nargs="?", default=None, metavar="DESTINATION")
    p.add_argument("--list", action="store_true", help="list every destination (* the case's)")
    p.set_defaults(func=cmd_destination)
