"""The core never imports Qt: a paralegal's script must run where Qt can't."""

import subprocess
import sys


def test_importing_the_core_leaves_qt_out():
    # Every module of the core, found by walking the package (the window, which
    # is installed as pdpacket.ui, is the one part allowed to need Qt).
    code = (
        "import importlib, pkgutil, sys, pdpacket;"
        "names = [m.name for m in pkgutil.walk_packages(pdpacket.__path__, 'pdpacket.')"
        " if not m.name.startswith(('pdpacket.ui', 'pdpacket.resources', 'pdpacket.__main__'))];"
        "[importlib.import_module(n) for n in names];"
        "assert len(names) > 20, names;"
        "bad = [m for m in sys.modules"
        " if m.startswith(('PySide6', 'shiboken6', 'pdpacket.ui')) or m == 'ui' or m.startswith('ui.')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
