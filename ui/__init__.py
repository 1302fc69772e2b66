"""The pdpacket desktop app (PySide6).  Imports the core; never the reverse."""
