"""Station registry files: an office's station tree and clocks as TOML (``schedules/*.toml``)."""

from .toml_file import load_station_file, parse_station_toml

__all__ = ["load_station_file", "parse_station_toml"]
