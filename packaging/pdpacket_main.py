"""The frozen app's entry point: the same ``pdpacket`` command as the source install."""

from pdpacket.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
