"""Study history persisted in TinyDB: atomic, versioned, one writer."""
