"""No network, anywhere in the test suite (#8: the app never touches the network).

``install()`` adds an audit hook (so even a library that calls ``_socket``
directly is caught) that refuses creating, connecting, binding or sending on
any socket other than a local AF_UNIX one, and any host-name lookup.  A refused
call raises ``NetworkUsedError`` *and* is recorded, so a test whose code
swallows the error still fails (tests/conftest.py checks ``violations`` after
every test).  Subprocess drivers of the safety tests call ``install(strict=True)``
first: there a violation ends the process with exit code 97.

AF_UNIX stays allowed: Qt, asyncio and multiprocessing use local socket pairs.
"""

from __future__ import annotations

import os
import socket
import sys
from typing import Any

ALLOWED_FAMILIES = {getattr(socket, "AF_UNIX", -999)}
LOOKUPS = {
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyname_ex",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
}
USES = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"}

violations: list[str] = []
_state = {"installed": False, "active": False, "strict": False}


class NetworkUsedError(RuntimeError):
    """Something tried to use the network."""


def _family(sock: Any) -> int:
    try:
        return int(sock.family)
    except Exception:  # pragma: no cover - a half-made socket
        return -1


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _state["active"] or not event.startswith("socket."):
        return
    what = ""
    if event == "socket.__new__":
        family = args[1] if len(args) > 1 else -1
        if family not in ALLOWED_FAMILIES and family != -1:
            what = f"socket(family={family})"
        elif family == -1 and len(args) > 0:
            pass  # family from a file descriptor: checked on use
    elif event in USES:
        if _family(args[0]) not in ALLOWED_FAMILIES:
            what = f"{event} {args[1:2]!r}"
    elif event in LOOKUPS:
        what = f"{event} {args[:1]!r}"
    if what:
        violations.append(what)
        if _state["strict"]:
            sys.stderr.write(f"NETWORK USED: {what}\n")
            sys.stderr.flush()
            os._exit(97)
        raise NetworkUsedError(f"the app must not use the network: {what}")


def install(*, strict: bool = False) -> None:
    if not _state["installed"]:
        sys.addaudithook(_hook)
        _state["installed"] = True
    _state["strict"] = strict
    _state["active"] = True


def set_active(active: bool) -> None:
    _state["active"] = active
