"""pdpacket: prosecutorial-discretion request packets, built offline.

The headless core.  Nothing here imports Qt; the window lives in ``ui``.
"""

from pdpacket._version import __version__

__all__ = ["__version__"]
