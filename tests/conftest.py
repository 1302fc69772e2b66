"""Shared fixtures.  Qt runs offscreen; every test gets its own data folder."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Must be set before Qt is imported anywhere (pytest-qt has no ini option for it).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from pdpacket.api import Workspace
from tests import netguard
from tests.pdftools import make_pdf


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long soak runs (@pytest.mark.slow) run only with PDPACKET_SLOW=1."""
    if os.environ.get("PDPACKET_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow soak run: set PDPACKET_SLOW=1 to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any test that opens a network socket or looks up a host name fails (#8):
    an audit hook catches sockets made anywhere, and the usual entry points are
    replaced too.  Local AF_UNIX sockets (Qt, asyncio) stay allowed."""

    def refuse(*args: object, **kwargs: object) -> None:
        netguard.violations.append(f"socket.create_connection{args[:1]!r}")
        raise netguard.NetworkUsedError("the app must not use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    before = len(netguard.violations)
    netguard.install()
    yield
    new = netguard.violations[before:]
    del netguard.violations[before:]
    if new:
        pytest.fail(f"the test used the network: {new}")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user data folder."""
    monkeypatch.setenv("PDPACKET_HOME", str(tmp_path / "home"))


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    yield ws
    ws.close()


@pytest.fixture
def pdf_factory(tmp_path: Path) -> Callable[..., Path]:
    folder = tmp_path / "evidence"
    folder.mkdir(exist_ok=True)

    def factory(name: str, texts: list[str] | None = None, **kw: Any) -> Path:
        return make_pdf(folder / name, texts or [f"{name} page 1"], **kw)

    return factory


@pytest.fixture
def manifest_factory(tmp_path: Path) -> Callable[..., Path]:
    """Write a manifest (and the PDFs it names, unless told not to) into a folder."""

    def factory(
        data: dict[str, Any], *, create_files: bool = True, folder: Path | None = None
    ) -> Path:
        folder = folder or tmp_path / "case"
        folder.mkdir(parents=True, exist_ok=True)
        if create_files:
            for ex in data.get("exhibits", []):
                for f in ex.get("files", []):
                    rel = f if isinstance(f, str) else f["path"]
                    target = folder / rel
                    if not target.exists() and ".." not in rel and not Path(rel).is_absolute():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        make_pdf(target, [f"{ex['title']} ({rel})"])
        path = folder / "case.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    return factory
