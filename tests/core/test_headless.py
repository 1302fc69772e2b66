"""The core never imports Qt: a paralegal's script must run where Qt can't."""

import subprocess
import sys


def test_importing_the_core_leaves_qt_out():
    code = (
        "import sys, pdpacket, pdpacket.api, pdpacket.cli, pdpacket.packet, pdpacket.intake, "
        "pdpacket.demo, pdpacket.catalog, pdpacket.store;"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'ui'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
