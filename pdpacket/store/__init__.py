"""Where a case lives: SQLite and its migrations, content-addressed blobs, backups, case archives, atomic file writes."""
