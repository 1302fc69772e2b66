"""Policy as typed data read from resources/: factor frameworks, stages and forms, document types, courts and offices, identifiers."""
