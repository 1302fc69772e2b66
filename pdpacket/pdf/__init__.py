"""Low-level PDF: reading and writing objects, page stamps, text. Imports nothing above it."""
