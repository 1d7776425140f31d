"""Language processing: pure functions over text, no network and no database."""
