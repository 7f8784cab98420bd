"""Guidance documents written for this repo, with expectations (see README.md)."""
