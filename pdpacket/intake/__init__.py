"""Evidence in: recognising a file, cleaning PDFs, turning images into letter-size pages."""
