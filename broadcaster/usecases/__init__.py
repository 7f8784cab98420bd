"""Use cases: wire adapters (files, database, audio…) to the pure core."""
