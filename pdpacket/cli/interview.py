"""``pdpacket interview`` (the case interview as JSON) and ``pdpacket advice``
(the client-advice note, never part of a packet)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pdpacket.cli.common import case_number, open_workspace
from pdpacket.errors import BadInputError


def cmd_interview(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        ws.get_case(args.case)
        if args.set is not None:
            try:
                raw = sys.stdin.read() if str(args.set) == "-" else args.set.read_text("utf-8")
                data = json.loads(raw)
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise BadInputError(
                    f"{args.set}: cannot read the interview ({exc}).",
                    hint=f"Give a JSON file written with `pdpacket interview {args.case} > FILE`.",
                ) from None
            if not isinstance(data, dict):
                raise BadInputError(
                    f"{args.set}: the interview is not a JSON object.",
                    hint=f"Start from `pdpacket interview {args.case} > FILE`.",
                )
            ws.set_interview_data(args.case, data)
            print(f"interview of case {args.case}: stored", file=sys.stderr)
            return 0
        json.dump(ws.interview_data(args.case), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    return 0


def cmd_advice(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        path = ws.export_client_advice(args.case, args.out)
    print(f"{path}: client-advice note (for the client and the file; not part of the packet)")
    return 0


def add_interview_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "interview",
        help="the case interview (the Story step) as JSON: print it, or store it with --set",
    )
    p.add_argument("case", type=case_number, metavar="CASE")
    p.add_argument(
        "--set", type=Path, metavar="FILE", help="store FILE ('-': standard input) as the interview"
    )
    p.set_defaults(func=cmd_interview)

    p = sub.add_parser(
        "advice",
        help="write the client-advice note: what the requested form of discretion means for "
        "the client (never part of the packet)",
    )
    p.add_argument("case", type=case_number, metavar="CASE")
    p.add_argument("--out", type=Path, metavar="FILE.pdf", required=True)
    p.set_defaults(func=cmd_advice)
