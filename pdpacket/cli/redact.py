"""``pdpacket redact``: the personal numbers found on a case's evidence, the
attorney's decisions, and applying them; ``pdpacket settings redaction``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from pdpacket.cli.common import case_number, open_workspace
from pdpacket.cli.ocr import wait_for_ocr
from pdpacket.errors import BadInputError

if TYPE_CHECKING:
    from pdpacket.api import Workspace
    from pdpacket.model.redaction import Box

KINDS = ("ssn", "itin", "a_number", "minor_dob", "bank_account", "card")


def _ids(raw: str) -> list[int]:
    try:
        return [int(x) for x in raw.replace(" ", "").split(",") if x]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not a list of redaction ids (e.g. 3,4,7)"
        ) from None


def _place(ws: Workspace, case_id: int, spec: str) -> tuple[int, int, Box]:
    """EXHIBIT:PAGE:x0,y0,x1,y1 -> (file id, page in the file, box)."""
    from pdpacket.model import packet_exhibits
    from pdpacket.model.redaction import Box

    parts = spec.split(":")
    hint = (
        "Write EXHIBIT:PAGE:x0,y0,x1,y1: the exhibit's letter (or #id), its page from 1, "
        "and the box in points from the page's bottom-left corner, e.g. F:2:72,600,300,620."
    )
    if len(parts) != 3:
        raise BadInputError(f"{spec!r} does not say where the box goes.", hint=hint)
    exhibits = ws.exhibits(case_id)
    key = parts[0].strip()
    if key.startswith("#"):
        found = [e for e in exhibits if str(e.id) == key[1:]]
    else:
        found = [e for lt, e in packet_exhibits(exhibits) if lt.upper() == key.upper()]
    if not found:
        raise BadInputError(f"The case has no exhibit {key!r}.", hint=hint)
    try:
        page = int(parts[1]) - 1
        x0, y0, x1, y1 = (float(v) for v in parts[2].split(","))
    except ValueError:
        raise BadInputError(f"{spec!r} is not a page and a box.", hint=hint) from None
    shown = [(f.id, slot.source) for f in found[0].files for slot in f.kept]
    if 0 <= page < len(shown):
        file_id, stored = shown[page]
        return file_id, stored, Box(x0, y0, x1, y1)
    raise BadInputError(f"Exhibit {key} has {len(shown)} pages, not {page + 1}.", hint=hint)


def cmd_redact(args: argparse.Namespace) -> int:
    """List the personal numbers found and the boxes drawn; accept, reject, add;
    apply with --apply."""
    from pdpacket.model import packet_exhibits
    from pdpacket.model.redaction import KIND_NAMES, RedactionState

    with open_workspace(args) as ws:
        wait_for_ocr(ws, args.case)  # numbers on scans are found in their OCR words
        found = ws.find_personal_numbers(args.case)
        if found:
            print(f"{found} new personal numbers found.", file=sys.stderr)
        if args.accept:
            ws.set_redaction_state(args.accept, RedactionState.ACCEPTED)
        if args.reject:
            ws.set_redaction_state(args.reject, RedactionState.REJECTED)
        for spec in args.add or ():
            file_id, page, box = _place(ws, args.case, spec)
            ws.add_redaction(file_id, page, box)
        if args.apply:
            result = ws.apply_redactions(args.case)
            print(
                f"{result.boxes} redactions applied in {result.files} files "
                f"({result.glyphs} characters and {result.pixels:,} image pixels removed).",
                file=sys.stderr,
            )
        letters = {e.id: lt for lt, e in packet_exhibits(ws.exhibits(args.case))}
        reds = ws.redactions(args.case)
        if args.original:
            return _write_original(ws, args.case, args.original, args.out)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "exhibit": letters.get(r.exhibit_id, ""),
                        "page": r.exhibit_page + 1 if r.exhibit_page >= 0 else None,
                        "kind": str(r.kind),
                        "text": r.masked,
                        "state": str(r.state),
                        "source": str(r.source),
                        "box": [round(v, 1) for v in (r.box.x0, r.box.y0, r.box.x1, r.box.y1)],
                    }
                    for r in reds
                ],
                indent=2,
            )
        )
        return 0
    if not reds:
        print("No personal numbers found on this case's evidence.")
        return 0
    for r in reds:
        exhibit = f"Exh. {letters[r.exhibit_id]}" if r.exhibit_id in letters else "(left out)"
        print(
            "\t".join(
                (
                    str(r.id),
                    exhibit,
                    f"p. {r.exhibit_page + 1}" if r.exhibit_page >= 0 else "deleted page",
                    KIND_NAMES[r.kind][0],
                    r.masked or "-",
                    str(r.state),
                )
            )
        )
    pending = sum(r.state in (RedactionState.PROPOSED, RedactionState.ACCEPTED) for r in reds)
    if pending and not args.apply:
        print(
            f"{pending} to apply: `pdpacket redact {args.case} --apply` removes them "
            "(--reject IDS first for those to keep).",
            file=sys.stderr,
        )
    return 0


def _write_original(ws: Workspace, case_id: int, key: str, out: str | None) -> int:
    """Write an exhibit's files as they were before their redaction."""
    from pathlib import Path

    from pdpacket.model import packet_exhibits
    from pdpacket.store.atomic import atomic_file

    if not out:
        raise BadInputError("Say where to write it.", hint="Add --out FILE.pdf.")
    exhibits = ws.exhibits(case_id)
    key = key.strip()
    found = (
        [e for e in exhibits if str(e.id) == key[1:]]
        if key.startswith("#")
        else [e for lt, e in packet_exhibits(exhibits) if lt.upper() == key.upper()]
    )
    if not found:
        raise BadInputError(f"The case has no exhibit {key!r}.", hint="Give its letter, e.g. F.")
    originals = [pdf for f in found[0].files if (pdf := ws.unredacted_pdf(f.id)) is not None]
    if not originals:
        raise BadInputError(
            f"Exhibit {key} was never redacted: its stored files are the originals."
        )
    target = Path(out)
    for n, pdf in enumerate(originals):
        path = target if n == 0 else target.with_name(f"{target.stem}-{n + 1}{target.suffix}")
        with atomic_file(path, private=True) as fh:  # it shows the numbers
            fh.write(pdf)
        print(path)
    return 0


def add_redact_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "redact",
        help="list the personal numbers found on a case's evidence; remove them with --apply",
        description="Lists each personal number found (id, exhibit, page, kind, the number "
        "masked except its last digits, state). --apply removes what is proposed or "
        "accepted from the stored pages: text and image pixels, not only covered.",
    )
    p.add_argument("case", type=case_number, metavar="CASE")
    p.add_argument("--accept", type=_ids, metavar="IDS", help="accept these (e.g. 3,4)")
    p.add_argument("--reject", type=_ids, metavar="IDS", help="keep these on the page")
    p.add_argument(
        "--add",
        action="append",
        metavar="EXHIBIT:PAGE:x0,y0,x1,y1",
        help="a box drawn by hand, in points from the page's bottom-left (repeatable)",
    )
    p.add_argument("--apply", action="store_true", help="remove what is proposed or accepted")
    p.add_argument("--json", action="store_true", help="the list as JSON")
    p.add_argument(
        "--original",
        metavar="EXHIBIT",
        help="write the exhibit's files as they were before redaction to --out (for the attorney)",
    )
    p.add_argument("--out", metavar="FILE", help="where --original writes")
    p.set_defaults(func=cmd_redact)


def cmd_settings_redaction(args: argparse.Namespace) -> int:
    from pdpacket.model.redaction import KIND_NAMES, NumberKind, RedactionSettings

    with open_workspace(args) as ws:
        current = ws.redaction_settings()
        proposed = set(current.proposed)
        proposed |= {NumberKind(k) for k in args.propose or ()}
        proposed -= {NumberKind(k) for k in args.list_only or ()}
        label = current.label if args.label is None else args.label
        new = RedactionSettings(frozenset(proposed), label)
        if new != current:
            ws.set_redaction_settings(new)
    for k in KINDS:
        kind = NumberKind(k)
        state = "proposed for redaction" if kind in new.proposed else "only listed"
        print(f"{k:<13} {state:<24} {KIND_NAMES[kind][1]}")
    print(f"label         {'the black box says Redacted' if new.label else 'plain black box'}")
    return 0


def add_redaction_settings(ssub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = ssub.add_parser(
        "redaction",
        help="which personal numbers are proposed for redaction, and the box's label",
        description="Numbers of a kind not proposed are only listed (the review names them).",
    )
    s.add_argument("--propose", action="append", choices=KINDS, metavar="KIND")
    s.add_argument("--list-only", action="append", choices=KINDS, metavar="KIND")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--label", dest="label", action="store_true", default=None)
    g.add_argument("--no-label", dest="label", action="store_false", default=None)
    s.set_defaults(func=cmd_settings_redaction)
