"""The page commands: list an exhibit's pages and rotate, delete, restore or
move them (``pages``), split an exhibit in two (``split``), merge two
(``merge``).  An exhibit is named as CASE:LETTER (``3:B``) or by its id."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pdpacket.cli.common import open_workspace
from pdpacket.errors import BadInputError

if TYPE_CHECKING:
    from pdpacket.api import Workspace

EXHIBIT_HELP = "the exhibit: CASE:LETTER as the packet letters it (e.g. 3:B), or its id"


def _pair(raw: str, what: str) -> tuple[int, int]:
    a, sep, b = raw.partition(":")
    try:
        if sep:
            return int(a), int(b)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{raw!r}: give {what}, e.g. 2:90")


def _rotation(raw: str) -> tuple[int, int]:
    return _pair(raw, "PAGE:DEGREES")


def _move(raw: str) -> tuple[int, int]:
    return _pair(raw, "PAGE:TO")


def resolve_exhibit(ws: Workspace, raw: str) -> int:
    """An exhibit id from CASE:LETTER or an id."""
    from pdpacket.model import packet_exhibits

    text = raw.strip()
    case, sep, letter = text.partition(":")
    if not sep:
        try:
            return ws.get_exhibit(int(text.lstrip("#"))).id
        except ValueError:
            pass
    else:
        try:
            case_id = int(case.strip().lstrip("#"))
        except ValueError:
            case_id = 0
        if case_id:
            lettered = packet_exhibits(ws.exhibits(case_id))
            for lt, ex in lettered:
                if lt.upper() == letter.strip().upper():
                    return ex.id
            letters = ", ".join(lt for lt, _ in lettered) or "none"
            raise BadInputError(
                f"Case {case_id} has no Exhibit {letter.strip()} (its exhibits: {letters}).",
                hint="An exhibit left out of the packet has no letter: name it by its id.",
            )
    raise BadInputError(
        f"{raw!r} does not name an exhibit.",
        hint="Give CASE:LETTER (e.g. 3:B) or the exhibit's id; `pdpacket list` shows cases.",
    )


def _print_pages(ws: Workspace, exhibit_id: int) -> None:
    from pdpacket.model import packet_exhibits

    ex = ws.get_exhibit(exhibit_id)
    letter = next((lt for lt, e in packet_exhibits(ws.exhibits(ex.case_id)) if e.id == ex.id), "")
    name = f"Exhibit {letter}" if letter else "Exhibit (not in the packet)"
    pages = ws.exhibit_pages(ex.id)
    print(f"{name}, id {ex.id}: {ex.title}. {ex.pages} of {len(pages)} pages in the packet.")
    for p in pages:
        state = "deleted" if p.deleted else f"p. {p.exhibit_page}"
        turn = f"turned {p.turns * 90}" if p.turns else ""
        cols = [str(p.number), state, f"{p.file_name} page {p.source + 1}", turn]
        print("\t".join(c for c in cols if c))


def cmd_pages(args: argparse.Namespace) -> int:
    """List an exhibit's pages; with options, edit them first (each edit is
    stored over the original file, which never changes)."""
    with open_workspace(args) as ws:
        ex = resolve_exhibit(ws, args.exhibit)
        for page, degrees in args.rotate or []:
            ws.rotate_pages(ex, [page], degrees)
        if args.delete:
            ws.delete_pages(ex, args.delete)
        if args.restore:
            ws.restore_pages(ex, args.restore)
        for page, to in args.move or []:
            ws.move_pages(ex, [page], to)
        _print_pages(ws, ex)
    return 0


def cmd_split(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        ex = resolve_exhibit(ws, args.exhibit)
        step = ws.split_exhibit(ex, args.at)
        print(f"Done: {step.text}.")
        for exhibit_id in step.exhibit_ids:
            _print_pages(ws, exhibit_id)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        first = resolve_exhibit(ws, args.first)
        second = resolve_exhibit(ws, args.second)
        step = ws.merge_exhibits(first, second)
        print(f"Done: {step.text}.")
        _print_pages(ws, first)
    return 0


def add_pages_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "pages",
        help="list an exhibit's pages; rotate, delete, restore or move them",
        description="Pages are numbered as listed here (deleted ones too). Edits are stored "
        "over the original file, which never changes, and show in the packet, its index and "
        "the letter's citations (a citation of a moved page follows it). Order: rotations, "
        "deletions, restorations, then moves.",
    )
    p.add_argument("exhibit", metavar="EXHIBIT", help=EXHIBIT_HELP)
    p.add_argument(
        "--rotate",
        action="append",
        type=_rotation,
        metavar="N:DEG",
        help="turn page N clockwise by DEG (90, 180, 270; -90 anticlockwise); repeatable",
    )
    p.add_argument("--delete", action="append", type=int, metavar="N", help="leave page N out")
    p.add_argument("--restore", action="append", type=int, metavar="N", help="put page N back")
    p.add_argument(
        "--move",
        action="append",
        type=_move,
        metavar="N:M",
        help="move page N to place M (within its file); repeatable",
    )
    p.set_defaults(func=cmd_pages)

    p = sub.add_parser(
        "split",
        help="split an exhibit in two: page N and the pages after it become a new exhibit",
    )
    p.add_argument("exhibit", metavar="EXHIBIT", help=EXHIBIT_HELP)
    p.add_argument("--at", type=int, required=True, metavar="N", help="first page of the new one")
    p.set_defaults(func=cmd_split)

    p = sub.add_parser("merge", help="append exhibit B's pages to exhibit A (B goes away)")
    p.add_argument("first", metavar="A", help=EXHIBIT_HELP)
    p.add_argument("second", metavar="B", help="the exhibit merged into A")
    p.set_defaults(func=cmd_merge)
