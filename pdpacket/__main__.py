from pdpacket.cli import main

raise SystemExit(main())
