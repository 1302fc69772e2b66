"""Low-level PDF, importing nothing above it (and never pypdf): ``syntax`` (how
numbers, strings, names and dates are spelled), ``reader`` (the object
tokenizer), ``writer`` (objects, streams, bookmarks, xref), ``images``,
``stamps`` (page placement and numbers) and ``text`` (fonts and widths)."""
